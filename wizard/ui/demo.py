"""Demo mode: a simulated Halo in this process, and the panel that switches its situation."""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wizard.core.model import LocalRoutes
from wizard.flow import StepKey
from wizard.sim.halo import HostedHalo, PublicNames
from wizard.sim.scenarios import DEMO_SCENARIOS, SCENARIO_DATA, SCENARIO_TITLES
from wizard.ui import text, theme
from wizard.ui.widgets import WrapLabel, push_button

if TYPE_CHECKING:
    from wizard.ui.window import WizardWindow

# What a scenario changes in the instance's answers about itself (discovery); the others
# change only the token or the API calls.
DISCOVERY_FIELDS = (
    "tenant",
    "product",
    "version",
    "trial",
    "authinfo_trailing_slash",
    "reported_agent_url",
    "transport",
    "unknown_instance",
)
FOLDER_PREFIX = "halo-wizard-demo-"


def changes_discovery(before: str, after: str) -> bool:
    """Whether discovery finds something else in scenario `after` than in `before`."""
    old, new = SCENARIO_DATA.get(before), SCENARIO_DATA.get(after)
    if old is None or new is None:
        return True
    return any(getattr(old, name) != getattr(new, name) for name in DISCOVERY_FIELDS)


class DemoSession(QObject):
    """A running simulated Halo whose scenario can be changed while the wizard runs.

    It looks like a hosted Halo: it answers as https://acme.halopsa.com (and any other
    subdomain of Halo's hosted domains, as Halo's cloud does, so a mistyped name is explained
    as it would be for real) with a certificate for that name from an authority made for this
    run. Only the wizard's own checks in this demo reach it under that name (`routes`);
    nothing changes on the computer (no hosts file, no trusted certificate).

    Signals:
        scenario_changed(str): the simulated Halo now behaves as this scenario.
    """

    scenario_changed = Signal(str)

    def __init__(
        self,
        scenario: str = "healthy",
        *,
        latency_ms: int = 0,
        folder_parent: str | None = None,
        names: PublicNames | None = None,
    ) -> None:
        super().__init__()
        # Its application has ticked what the wizard says to tick (Rewst's all, n8n's admin),
        # as an admin who followed the Permissions page would have.
        self.halo = HostedHalo(scenario, names=names, latency_ms=latency_ms, tick_all=True)
        self._started = False
        self._previous = scenario
        self._folder: str | None = None
        self._folder_parent = folder_parent
        # The public key pasted into the simulated Halo's application (JWT Assertion).
        self._public_key: str | None = None

    def start(self) -> None:
        self.halo.start()
        self._started = True

    def stop(self) -> None:
        if self._started:
            self.halo.stop()
            self._started = False
        if self._folder is not None:
            # Only when nothing was saved there: a saved demo file stays for the admin to see.
            with contextlib.suppress(OSError):
                os.rmdir(self._folder)

    @property
    def folder(self) -> str:
        """The demo's own folder for connection files, made on first use, never a real one."""
        if self._folder is None or not os.path.isdir(self._folder):
            self._folder = tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=self._folder_parent)
        return self._folder

    @property
    def previous_scenario(self) -> str:
        """The scenario before the last change (the first one until there was a change)."""
        return self._previous

    def url_for(self, scenario: str) -> str:
        """The address of the simulated Halo in `scenario` (an on-premise one has its own)."""
        names = self.halo.names
        assert names is not None
        return f"https://{names.instance_for(SCENARIO_DATA[scenario])}"

    @property
    def changes_discovery(self) -> bool:
        """Whether the last change of scenario changed what discovery finds."""
        return changes_discovery(self._previous, self.halo.scenario)

    @property
    def scenario(self) -> str:
        return self.halo.scenario

    def set_scenario(self, name: str) -> None:
        if name != self.halo.scenario:
            self._previous = self.halo.scenario
            self.halo.scenario = name
            self._hold_public_key()
            self.scenario_changed.emit(name)

    def register_public_key(self, pem: str) -> None:
        """The admin pasted this public key into the simulated Halo's application and saved
        it: the JWT Assertion situations accept assertions signed by its private key."""
        self._public_key = pem
        self._hold_public_key()

    def _hold_public_key(self) -> None:
        # Only the situations whose application uses the method hold it: in the others the
        # application still signs in with its secret.
        uses_key = SCENARIO_DATA[self.halo.scenario].jwt_assertion
        self.halo.assertion_public_key = self._public_key if uses_key else None

    @property
    def url(self) -> str:
        return self.halo.url

    @property
    def routes(self) -> LocalRoutes:
        """What a check needs to reach this simulated Halo under its hosted names."""
        return LocalRoutes(self.halo.routes, self.halo.ca_pem)

    @property
    def client_id(self) -> str:
        return self.halo.client_id

    @property
    def client_secret(self) -> str:
        return self.halo.client_secret


def short_description(description: str, limit: int = 90) -> str:
    """A situation's description for the narrow side panel: its first sentence without
    remarks in brackets; a long one up to its colon, or cut at a word with an ellipsis."""
    import re

    text = re.sub(r"\s*\([^()]*\)", "", description).split(". ", 1)[0].rstrip(". ")
    if len(text) > limit and 30 <= text.find(": ") < limit:
        text = text[: text.find(": ")]
    if len(text) > limit:
        return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return f"{text}." if text else ""


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
        self.explained = WrapLabel(text.DEMO_EXPLAINED_IN_MEMORY)
        layout.addWidget(self.explained)
        label = QLabel(text.DEMO_SCENARIO)
        self.scenarios = QComboBox()
        self.scenarios.setAccessibleName(text.DEMO_SCENARIO_NAME)
        self.scenarios.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scenarios.setMinimumContentsLength(12)
        for name, description in DEMO_SCENARIOS.items():
            self.scenarios.addItem(SCENARIO_TITLES.get(name) or name.replace("_", " "), name)
            self.scenarios.setItemData(
                self.scenarios.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        label.setBuddy(self.scenarios)
        layout.addWidget(label)
        layout.addWidget(self.scenarios)
        self.description = WrapLabel()
        layout.addWidget(self.description)
        # After a change: which results were cleared, and a button to get them again.
        self.changed_note = WrapLabel()
        self.again_button = push_button(text.DEMO_CHANGED_TEST_AGAIN)
        self.again_button.setAutoDefault(False)
        self.changed_note.setVisible(False)
        self.again_button.setVisible(False)
        layout.addWidget(self.changed_note)
        again_row = QHBoxLayout()
        again_row.addWidget(self.again_button)
        again_row.addStretch(1)
        layout.addLayout(again_row)
        self._cleared: StepKey | None = None
        self._note = ""
        self._subscribed = False
        self.scenarios.setCurrentIndex(self.scenarios.findData(session.scenario))
        self._show_description()
        self.scenarios.currentIndexChanged.connect(self._chosen)
        session.scenario_changed.connect(self._follow)
        session.scenario_changed.connect(self._situation_changed)
        self.again_button.clicked.connect(self._run_again)

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
        full = DEMO_SCENARIOS.get(name, "") if isinstance(name, str) else ""
        # The narrow side panel shows the situation's first clause; the whole of it is the
        # tooltip and what a screen reader says.
        self.description.setText(short_description(full))
        self.description.setToolTip(full)
        self.description.setAccessibleDescription(full)

    # ----- after a change of situation -----

    def _window(self) -> WizardWindow | None:
        from wizard.ui.window import WizardWindow

        window = self.window()
        return window if isinstance(window, WizardWindow) else None

    def _situation_changed(self, _name: str) -> None:
        window = self._window()
        if window is None:
            return
        flow = window.context.flow
        moved = self._follow_the_address(window)
        window.context.forget_stale_results()
        if not self._subscribed:
            flow.subscribe(self._flow_changed)
            self._subscribed = True
        state = flow.state
        current = flow.current
        # Pages not made yet have nothing running and nothing to clear.
        test_page = window.made_page(StepKey.TEST)
        tenant_page = window.made_page(StepKey.TENANT)
        # A test or a search still running would mix the two situations: it is stopped.
        for running in (test_page, tenant_page):
            if running is not None and running.busy:
                running.cancel()  # type: ignore[attr-defined]  # both pages have cancel()
        # The live test's checklist is the old situation's too.
        checklist = getattr(test_page, "checklist", None)
        if state.report is None and checklist is not None and test_page is not None:
            checklist.clear()
            test_page.changed()
        if state.discovery is None and current is StepKey.TENANT:
            self._show_offer(StepKey.TENANT, text.DEMO_CHANGED_DISCOVERY, text.DEMO_CHANGED_LOOK)
        elif state.report is None and current is StepKey.TEST:
            self._show_offer(StepKey.TEST, text.DEMO_CHANGED_TEST, text.DEMO_CHANGED_TEST_AGAIN)
        elif state.report is None and current is StepKey.EXPORT:
            self._show_offer(StepKey.TEST, text.DEMO_CHANGED_TEST, text.DEMO_CHANGED_GO_TEST)
        else:
            self._show_offer(None, "", "")
        if moved:
            self._show_offer(
                self._cleared,
                f"{self._note} {text.DEMO_ADDRESS_MOVED.format(url=self._session.url)}".strip(),
                self.again_button.text(),
            )

    def _follow_the_address(self, window: WizardWindow) -> bool:
        """When the address entered is the previous situation's demo address and the new
        situation's Halo has another one (an on-premise Halo), enter the new one."""
        flow = window.context.flow
        old = self._session.url_for(self._session.previous_scenario)
        new = self._session.url
        address = flow.state.address
        if old == new or address is None or address.url != old:
            return False
        flow.update(host_text=new)
        if flow.current is StepKey.HOSTNAME:
            window.page_for(StepKey.HOSTNAME).load()
        return True

    def _show_offer(self, step: StepKey | None, note: str, button: str) -> None:
        self._cleared = step
        self._note = note
        self.changed_note.setText(note)
        self.changed_note.setVisible(bool(note))
        # The panel is narrow and short: the offer takes the place of the introduction.
        self.explained.setVisible(not note)
        self.again_button.setText(button)
        self.again_button.setAccessibleName(button.replace("&", ""))
        self.again_button.setVisible(step is not None)

    def _flow_changed(self) -> None:
        window = self._window()
        if window is None or self._cleared is None:
            return
        flow = window.context.flow
        back = flow.state.discovery if self._cleared is StepKey.TENANT else flow.state.report
        if back is not None or flow.current not in (self._cleared, StepKey.EXPORT):
            self._show_offer(None, "", "")

    def _run_again(self) -> None:
        window = self._window()
        step = self._cleared
        if window is None or step is None:
            return
        self._show_offer(None, "", "")
        if window.context.flow.current is StepKey.EXPORT:
            window.back()
        window.page_for(step).start()  # type: ignore[attr-defined]  # the two pages that run
