"""Step 1: what the wizard does and needs, and whether an API application exists already."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from wizard.flow import AppChoice, StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.widgets import WrapLabel, heading


class WelcomePage(FlowPage):
    key = StepKey.WELCOME

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.WELCOME_TITLE)
        self.setSubTitle(text.WELCOME_SUBTITLE)
        self.body.addWidget(WrapLabel(text.WELCOME_BODY, rich=True))
        question = heading(text.WELCOME_QUESTION)
        self.body.addWidget(question)
        self.new = QRadioButton(text.WELCOME_NEW)
        self.existing = QRadioButton(text.WELCOME_EXISTING)
        self.group = QButtonGroup(self)
        choices = QVBoxLayout()
        choices.setSpacing(6)
        for button, choice in ((self.new, AppChoice.NEW), (self.existing, AppChoice.EXISTING)):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(text.WELCOME_QUESTION)
            self.group.addButton(button)
            button.setProperty("choice", choice.value)
            button.installEventFilter(self)
            choices.addWidget(button)
        note = WrapLabel(text.WELCOME_EXISTING_NOTE)
        note.setIndent(self.existing.sizeHint().height())
        choices.addSpacing(-4)
        choices.addWidget(note)
        self.body.addLayout(choices)
        self.body.addStretch(1)
        self.group.buttonToggled.connect(self._toggled)

    def entered(self) -> None:
        # The keyboard starts on the question, so Space (or an arrow) answers it at once.
        self.new.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """An arrow key chooses the answer it moves to, as in the desktops' radio groups.

        Qt only moves the focus while nothing is chosen, which looks like a choice but
        leaves Next disabled, so Return would do nothing.
        """
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Right: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_Left: -1,
            }.get(Qt.Key(event.key()))
            buttons = [self.new, self.existing]
            if step is not None and watched in buttons:
                index = buttons.index(watched)
                target = buttons[max(0, min(len(buttons) - 1, index + step))]
                # A key moved the focus: its frame stays drawn (other reasons hide it).
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                target.setChecked(True)
                return True
        return super().eventFilter(watched, event)

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def load(self) -> None:
        choice = self.flow.state.app_choice
        self.group.setExclusive(False)
        self.new.setChecked(choice is AppChoice.NEW)
        self.existing.setChecked(choice is AppChoice.EXISTING)
        self.group.setExclusive(True)
        super().load()

    def apply(self) -> None:
        button = self.group.checkedButton()
        if button is not None:
            choice = AppChoice(str(button.property("choice")))
            if choice is not self.flow.state.app_choice:
                self.flow.update(app_choice=choice)

    def blocked_reason(self) -> str | None:
        return text.WELCOME_BLOCKED
