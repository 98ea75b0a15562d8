"""Demo mode: a simulated Halo in this process, and the panel that switches its situation."""

from __future__ import annotations

from ssl import SSLContext

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QVBoxLayout, QWidget

from wizard.sim import SCENARIOS, SimulatedHalo
from wizard.ui import text, theme
from wizard.ui.widgets import WrapLabel


class DemoSession(QObject):
    """A running simulated Halo whose scenario can be changed while the wizard runs.

    Signals:
        scenario_changed(str): the simulated Halo now behaves as this scenario.
    """

    scenario_changed = Signal(str)

    def __init__(
        self,
        scenario: str = "healthy",
        *,
        tls: SSLContext | None = None,
        public_host: str = "127.0.0.1",
        latency_ms: int = 0,
    ) -> None:
        super().__init__()
        self.halo = SimulatedHalo(scenario, tls=tls, public_host=public_host, latency_ms=latency_ms)
        self._started = False

    def start(self) -> None:
        self.halo.start()
        self._started = True

    def stop(self) -> None:
        if self._started:
            self.halo.stop()
            self._started = False

    @property
    def scenario(self) -> str:
        return self.halo.scenario

    def set_scenario(self, name: str) -> None:
        if name != self.halo.scenario:
            self.halo.scenario = name
            self.scenario_changed.emit(name)

    @property
    def url(self) -> str:
        return self.halo.url

    @property
    def client_id(self) -> str:
        return self.halo.client_id

    @property
    def client_secret(self) -> str:
        return self.halo.client_secret


class DemoPanel(QFrame):
    """The "Demo: simulated Halo" banner, with the chooser of the simulated situation."""

    def __init__(self, session: DemoSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        self.banner = QLabel(text.DEMO_BANNER)
        self.banner.setFont(theme.bold(self.banner.font(), 1.1))
        self.banner.setWordWrap(True)
        # The selection colours: they stand out, and every theme makes them readable.
        self.banner.setAutoFillBackground(True)
        self.banner.setBackgroundRole(QPalette.ColorRole.Highlight)
        self.banner.setForegroundRole(QPalette.ColorRole.HighlightedText)
        self.banner.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.banner)
        layout.addWidget(WrapLabel(text.DEMO_EXPLAINED))
        label = QLabel(text.DEMO_SCENARIO)
        self.scenarios = QComboBox()
        self.scenarios.setAccessibleName(text.DEMO_SCENARIO_NAME)
        self.scenarios.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scenarios.setMinimumContentsLength(12)
        for name, description in SCENARIOS.items():
            self.scenarios.addItem(name.replace("_", " "), name)
            self.scenarios.setItemData(
                self.scenarios.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        label.setBuddy(self.scenarios)
        layout.addWidget(label)
        layout.addWidget(self.scenarios)
        self.description = WrapLabel()
        layout.addWidget(self.description)
        self.scenarios.setCurrentIndex(self.scenarios.findData(session.scenario))
        self._show_description()
        self.scenarios.currentIndexChanged.connect(self._chosen)
        session.scenario_changed.connect(self._follow)

    def _chosen(self) -> None:
        name = self.scenarios.currentData()
        if isinstance(name, str):
            self._session.set_scenario(name)
        self._show_description()

    def _follow(self, name: str) -> None:
        index = self.scenarios.findData(name)
        if index != self.scenarios.currentIndex():
            self.scenarios.setCurrentIndex(index)

    def _show_description(self) -> None:
        name = self.scenarios.currentData()
        self.description.setText(SCENARIOS.get(name, "") if isinstance(name, str) else "")
