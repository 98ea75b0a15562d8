"""The wizard window: a QWizard with one page per step, kept in step with the flow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.flow import AppChoice, StepKey, WizardState
from wizard.flow.verdict import StepVerdict, step_verdict
from wizard.ui import text, theme
from wizard.ui.context import UiContext
from wizard.ui.pages import page_type
from wizard.ui.pages.base import FlowPage, page_id, step_of
from wizard.ui.widgets import StatusMark

if TYPE_CHECKING:
    from wizard.ui.about import AboutDialog
    from wizard.ui.demo import DemoPanel


class StepList(QWidget):
    """The side panel: "Step 3 of 9", the steps on this admin's path, and the demo banner."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(6)
        self.position = QLabel()
        self.position.setFont(theme.bold(self.position.font()))
        layout.addWidget(self.position)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(6)
        layout.addLayout(self._rows_box)
        self._rows: list[tuple[QWidget, StatusMark, QLabel]] = []
        layout.addStretch(1)
        self.demo: DemoPanel | None = None
        if context.demo is not None:
            from wizard.ui.demo import DemoPanel  # the simulator loads only for a demo

            self.demo = DemoPanel(context.demo)
            layout.addWidget(self.demo)
        self.setAccessibleName(text.STEPS_LIST_NAME)
        # Wide enough for the longest step name in bold, so no name wraps or is cut.
        metrics = QFontMetrics(theme.bold(self.font()))
        longest = max(metrics.horizontalAdvance(name) for name in text.STEP_NAMES.values())
        self.setFixedWidth(longest + 14 + 8 + 4 + 16)
        self.update_steps()

    def update_steps(self) -> None:
        flow = self._context.flow
        path = flow.path()
        number, total = flow.position()
        self.position.setText(text.STEP_OF.format(number=number, total=total))
        while len(self._rows) < len(path):
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.setSpacing(8)
            mark = StatusMark("todo", 14)
            label = QLabel()
            row_layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
            row_layout.addWidget(label, 1)
            self._rows_box.addWidget(row)
            self._rows.append((row, mark, label))
        for index, (row, mark, label) in enumerate(self._rows):
            row.setVisible(index < len(path))
            if index >= len(path):
                continue
            name = step_name(path[index], flow.state)
            kind, accessible = _mark_of(step_verdict(flow.state, path[index]), index + 1 - number)
            mark.set_kind(kind)
            label.setText(name)
            font = label.font()
            font.setBold(kind == "current")
            label.setFont(font)
            label.setAccessibleName(accessible.format(name=name))


def step_name(key: StepKey, state: WizardState) -> str:
    """The step's name in the side panel; a connection that signs with a key has no secret."""
    if key is StepKey.CREDENTIALS and state.uses_assertion:
        # An application that exists already is given its key file there.
        if state.app_choice is AppChoice.EXISTING:
            return text.STEP_NAME_CREDENTIALS_KEY_FILE
        return text.STEP_NAME_CREDENTIALS_KEY
    return text.STEP_NAMES[key.value]


def _mark_of(verdict: StepVerdict, offset: int) -> tuple[str, str]:
    """The mark and the spoken words of a step `offset` steps after the current one.

    A tick only where the step's last check succeeded, never for having clicked Next. A
    step ahead keeps a verdict from before Back (it was visited then); otherwise it has none.
    """
    if offset == 0:
        return "current", text.STEP_HERE
    if verdict is StepVerdict.VERIFIED:
        return "ok", text.STEP_VERIFIED
    if verdict is StepVerdict.PROBLEM:
        return "error", text.STEP_PROBLEM
    if offset < 0:
        return "visited", text.STEP_VISITED
    return "todo", text.STEP_NOT_YET


class WizardWindow(QWizard):
    """The wizard. QWizard moves between pages; the flow decides where and whether it may.

    Signals:
        closed: the window was closed (finished or cancelled); its tasks are cancelled.
    """

    closed = Signal()

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self._going_back = False
        self._quit_box: QMessageBox | None = None
        self._focus_shown = False
        theme.use_visible_outlines()
        style = theme.wizard_style()
        if style is not None:
            self.setWizardStyle(style)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        title = text.WINDOW_TITLE_DEMO if context.demo else text.WINDOW_TITLE
        # On Windows and Linux Qt appends the application's display name to a title that
        # does not already end with it ("... (demo) - Halo connection wizard"): the title is
        # the display name, so the program is named once, and its message boxes agree.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setApplicationDisplayName(title)
        self.setWindowTitle(title)
        # The pages made so far. Only the first is made now; each other page (and the
        # modules it needs) is made when the flow first goes to it, or page_for asks for it:
        # the first page paints without waiting for the rest.
        self.pages: dict[StepKey, FlowPage] = {}
        self.page_for(StepKey.WELCOME)
        self.setStartId(page_id(StepKey.WELCOME))
        self.steps = StepList(context)
        # In a scroll area of its own: with a large system font the steps and the demo panel
        # may be taller than the window, and nothing of them is ever cut off.
        side = QScrollArea()
        side.setWidget(self.steps)
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setFixedWidth(self.steps.width() + side.verticalScrollBar().sizeHint().width())
        # The window's own background behind the steps, as without the scroll area.
        for part in (side, side.viewport(), self.steps):
            part.setBackgroundRole(QPalette.ColorRole.Window)
        self.side_scroll = side
        self.setSideWidget(side)
        # In characters and lines, so larger fonts get a larger window; Qt scales for the
        # screen itself (200% doubles the pixels, not the layout).
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * 118, metrics.height() * 38)
        self.resize(metrics.averageCharWidth() * 150, metrics.height() * 46)
        context.flow.subscribe(self._flow_changed)
        self.currentIdChanged.connect(self._page_shown)
        # About, on every page: QWizard's Help button, relabelled; F1 opens it too.
        self.about: AboutDialog | None = None
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        self.setButtonText(QWizard.WizardButton.HelpButton, text.ABOUT_BUTTON)
        about = self.button(QWizard.WizardButton.HelpButton)
        about.setAccessibleName(text.ABOUT_BUTTON_NAME)
        about.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.helpRequested.connect(self.show_about)

    # ----- keeping QWizard and the flow in step -----

    def page_for(self, key: StepKey) -> FlowPage:
        """The page of `key`, made (and given to QWizard) the first time it is asked for."""
        page = self.pages.get(key)
        if page is None:
            page = page_type(key)(self.context)
            self.pages[key] = page
            self.setPage(page_id(key), page)
        return page

    def made_page(self, key: StepKey) -> FlowPage | None:
        """The page of `key` if it has been made, without making it."""
        return self.pages.get(key)

    def current_page(self) -> FlowPage:
        page = self.currentPage()
        assert isinstance(page, FlowPage)
        return page

    def validateCurrentPage(self) -> bool:
        """Next or Finish was clicked: hand the page's values to the flow, then move it on."""
        page = self.current_page()
        page.apply()
        if not page.validatePage():
            return False
        flow = self.context.flow
        if flow.is_last:
            return flow.can_finish(busy=page.busy)
        if not flow.can_go_next(busy=page.busy):
            return False
        # QWizard goes to the next page's id once this returns: its page must exist by then.
        self.page_for(flow.go_next())
        return True

    def cleanupPage(self, id: int) -> None:
        """Back was clicked: keep what the page holds, stop its work, step the flow back."""
        page = self.page(id)
        assert isinstance(page, FlowPage)
        page.apply()
        page.leave()
        flow = self.context.flow
        if flow.can_go_back():
            flow.go_back()
        self._going_back = True

    def _page_shown(self, id: int) -> None:
        if id < 0:
            return
        flow = self.context.flow
        assert flow.current is step_of(id), (flow.current, step_of(id))
        if self._going_back:
            self._going_back = False
            self.current_page().load()
        self.current_page().changed()
        self.steps.update_steps()

    def _flow_changed(self) -> None:
        page = self.currentPage()
        if isinstance(page, FlowPage) and page.key is self.context.flow.current:
            page.changed()
        self.steps.update_steps()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.WindowActivate and not self._focus_shown:
            # Fusion draws the focus frame only once a key has moved the focus, and Qt
            # clears that flag when a window is activated: the first page's focus must show
            # before any key is pressed. After that, Qt's own rules apply.
            # Set once the activation has settled: Qt clears it again while it runs.
            self._focus_shown = True
            QTimer.singleShot(0, self._show_focus)
        return handled

    def _show_focus(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        focus = self.focusWidget()
        if focus is not None:
            focus.update()

    def show_about(self) -> None:
        """Open the About box (open(), not exec(): the wizard's tasks keep running)."""
        from wizard.ui.about import AboutDialog

        if self.about is None:
            self.about = AboutDialog(self)
            self.about.finished.connect(self._about_closed)
        self.about.open()

    def _about_closed(self) -> None:
        if self.about is not None:
            self.about.deleteLater()
            self.about = None

    # ----- closing -----

    def reject(self) -> None:
        if self._needs_quit_confirmation():
            self._ask_to_quit()
            return
        super().reject()

    def _needs_quit_confirmation(self) -> bool:
        state = self.context.flow.state
        if self.context.demo is not None or not self.isVisible():
            return False
        diagnosis = state.diagnosis if state.diagnosing else None
        if diagnosis is not None and diagnosis.secret_kept and not state.rotate_secret:
            # An opened connection keeps its secret: closing loses nothing typed.
            return False
        if diagnosis is not None and diagnosis.signs_with_key:
            # Nor one that signs with a key: its key is in a keychain entry or a file.
            return False
        entered = bool(state.secret_text.strip() or state.client_id_text.strip())
        return entered and state.exported_to is None

    def _ask_to_quit(self) -> None:
        # open(), not exec(): a nested event loop would stall every running task.
        if self._quit_box is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(text.QUIT_TITLE)
        box.setText(text.QUIT_TITLE)
        box.setInformativeText(text.QUIT_TEXT)
        quit_button = box.addButton(text.QUIT_BUTTON, QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(text.STAY_BUTTON, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        _widen(box)

        def answered() -> None:
            self._quit_box = None
            if box.clickedButton() is quit_button:
                self.close_now()
            box.deleteLater()

        box.finished.connect(answered)
        self._quit_box = box
        box.open()

    def close_now(self) -> None:
        """Close without asking (tests, and the Quit answer)."""
        QWizard.reject(self)

    def done(self, result: int) -> None:
        for page in self.pages.values():
            page.tasks.cancel()
        super().done(result)
        self.closed.emit()


def _widen(box: QMessageBox) -> None:
    """Give a message box a width for its sentences, not a narrow column of short lines.

    QMessageBox ignores setMinimumWidth (it sizes itself on show); a spacer in its grid
    layout is the width it keeps.
    """
    layout = box.layout()
    if not isinstance(layout, QGridLayout):
        return
    width = box.fontMetrics().averageCharWidth() * 56
    spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
    layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())
