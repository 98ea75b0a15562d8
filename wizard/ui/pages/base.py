"""The page contract every wizard page follows (after Electrum's): show the flow, apply, busy.

- `load()` puts the flow's state into the widgets; called whenever the page is shown, so
  Back and Next never lose what was entered.
- `apply()` is the only way widget values reach the flow (`flow.update(...)`).
- `refresh()` redraws what is derived from the state (previews, warnings) after any change.
- `busy` is true while the page waits for the network or the keychain.
- `isComplete()` asks the flow, the one place deciding whether Next (or Finish) is enabled.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from wizard.flow import STEPS, StepKey, WizardFlow
from wizard.flow.fixes import FixPlace, fix_place
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.tasks import TaskSlot
from wizard.ui.widgets import FindingView, WrapLabel

if TYPE_CHECKING:
    from wizard.core import Finding

ORDER: tuple[StepKey, ...] = tuple(StepKey)
# Rounds of layout requests a page needs to settle once a wrapped message changed.
LAYOUT_ROUNDS = 4


def page_id(key: StepKey) -> int:
    return ORDER.index(key)


def step_of(page_number: int) -> StepKey:
    return ORDER[page_number]


class ScrollContent(QWidget):
    """What a page's scroll area holds: as tall as its text needs at the width it is given.

    A layout of wrapped labels reports as its minimum the height the text would take at
    its narrowest; the scroll area would then scroll pages that fit. The scroll area asks
    heightForWidth as well, so the minimum height is left to that.
    """

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        width = layout.minimumSize().width() if layout is not None else 0
        return QSize(width, 0)


class FlowPage(QWizardPage):
    """A wizard page attached to one step of the flow."""

    key: StepKey

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        # Follows the task slot, but changes together with the widgets (in the same
        # callback), so nobody sees a page that says idle while its controls are still off.
        self._busy = False
        self.tasks = TaskSlot(self._tasks_changed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        # Above the scrolling part: what must stay in view (a verdict and its buttons).
        self.top = QVBoxLayout()
        self.top.setSpacing(8)
        outer.addLayout(self.top)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # Text wraps, so this only shows if a control cannot shrink: better than cutting it.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Tab moves between the controls inside; the area itself needs no stop of its own.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = ScrollContent()
        content.setAutoFillBackground(False)
        # The area's viewport, as Qt makes it, but made here: the first call of viewport()
        # costs PySide6 about 10 ms, which the first page would wait for.
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setAutoFillBackground(False)
        self.scroll_area.setViewport(viewport)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 12, 0)
        self.body.setSpacing(12)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)

        self.blocked = WrapLabel()
        self.blocked.setObjectName("blocked")
        outer.addWidget(self.blocked)

    # ----- the contract -----

    @property
    def flow(self) -> WizardFlow:
        return self.context.flow

    @property
    def busy(self) -> bool:
        return self._busy

    def load(self) -> None:
        """Show the flow's state in the widgets."""
        self.refresh()

    def apply(self) -> None:
        """Hand the widgets' values to the flow."""

    def refresh(self) -> None:
        """Redraw what derives from the state; never writes to the flow."""

    def entered(self) -> None:
        """The page was reached with Next: start what it does on its own (detection, test)."""

    def leave(self) -> None:
        """The admin goes Back from this page: stop its work."""
        self.tasks.cancel()

    def blocked_reason(self) -> str | None:
        """Why Next is disabled, in a few words, or None."""
        return None

    def reveal_field(self, field: str) -> None:
        """Show the field named `field` (a fix is typed there) when it is hidden."""

    def changed(self) -> None:
        """State or busy changed: update derived widgets and tell QWizard to re-ask isComplete."""
        self.refresh()
        self._show_blocked()
        self.completeChanged.emit()

    # ----- QWizardPage -----

    def initializePage(self) -> None:
        self.load()
        self._show_blocked()
        self.entered()

    def cleanupPage(self) -> None:
        # QWizard's default resets registered fields; entries live in the flow instead.
        pass

    def isComplete(self) -> bool:
        flow = self.flow
        if flow.current is not self.key:
            return False
        if flow.is_last:
            return flow.can_finish(busy=self.busy)
        return flow.can_go_next(busy=self.busy)

    def nextId(self) -> int:
        following = STEPS[self.key].next(self.flow.state)
        return -1 if following is None else page_id(following)

    # ----- helpers -----

    # ----- findings, and the way back to where their fix is typed -----

    def finding_view(self, finding: Finding) -> FindingView:
        """A finding with its fix, and a button to the field where the fix is typed when the
        fix is a value entered in the wizard."""
        place = fix_place(finding.code, self.flow.state)
        go_to_fix = None
        if place is not None:
            go_to_fix = (text.FIX_GO_TO[place.field], functools.partial(self.go_to_fix, place))
        return FindingView(finding, open_url=self.open_url, go_to_fix=go_to_fix)

    def go_to_fix(self, place: FixPlace) -> None:
        """Go back to the page where the fix is typed, with its field focused and selected."""
        wizard = self.wizard()
        flow = self.flow
        while flow.current is not place.step and flow.can_go_back():
            wizard.back()
        page = wizard.currentPage()
        if flow.current is not place.step:
            return
        # The tenant box shows only under Advanced.
        advanced = getattr(page, "advanced", None)
        if place.field == "override" and isinstance(advanced, QCheckBox):
            advanced.setChecked(True)
        if isinstance(page, FlowPage):
            page.reveal_field(place.field)
        field = getattr(page, place.field, None)
        if isinstance(field, QLineEdit):
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            field.selectAll()

    def scroll_to(self, widget: QWidget) -> None:
        """Scroll `widget` into view once it is laid out.

        A message just shown is measured (its wrapped lines) over a few rounds of layout
        requests, each posting the next: those go first, so the scroll sees its real height.
        """

        def show() -> None:
            for _ in range(LAYOUT_ROUNDS):
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.scroll_area.ensureWidgetVisible(widget)

        QTimer.singleShot(0, self, show)

    def open_url(self, url: str) -> None:
        """Open a link of a finding in the browser; pages say so when that fails."""
        self.context.services.open_url(url)

    def _tasks_changed(self, busy: bool) -> None:
        self._busy = busy
        self.changed()

    def _show_blocked(self) -> None:
        reason = None if self.isComplete() else self.blocked_reason()
        self.blocked.setText(text.NEXT_BLOCKED_PREFIX + reason if reason else "")
        self.blocked.setVisible(bool(reason))


class HostFieldPage(FlowPage):
    """A page with a field for the Halo address, kept in step with the flow's host_text.

    Two pages show that field (the instructions, to open Halo's page, and the address
    page); both edit the same value.
    """

    address: QLineEdit

    def load(self) -> None:
        if self.address.text() != self.flow.state.host_text:
            self.address.setText(self.flow.state.host_text)
        super().load()

    def apply(self) -> None:
        if self.address.text() != self.flow.state.host_text:
            self.flow.update(host_text=self.address.text())
