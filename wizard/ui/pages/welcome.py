"""Step 1: what the wizard does and needs, whether an API application exists already, or
whether an existing connection is to be diagnosed (support mode)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from wizard.flow import AppChoice, StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.widgets import ArrowKeysChoose, WrapLabel, heading


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
        self.diagnose = QRadioButton(text.WELCOME_DIAGNOSE)
        self.group = QButtonGroup(self)
        self.buttons = [self.new, self.existing, self.diagnose]
        questions = {
            self.new: text.WELCOME_QUESTION,
            self.existing: text.WELCOME_QUESTION,
            self.diagnose: text.WELCOME_DIAGNOSE_QUESTION,
        }
        self.notes_of = {
            self.new: text.WELCOME_NEW_NOTE,
            self.existing: text.WELCOME_EXISTING_NOTE,
            self.diagnose: text.WELCOME_DIAGNOSE_NOTE,
        }
        # When to choose each answer, shown below it.
        self.notes: dict[QRadioButton, WrapLabel] = {}
        # One answer for each case, each with when to choose it below it.
        choices = QVBoxLayout()
        choices.setSpacing(6)
        for button, choice in zip(
            self.buttons, (AppChoice.NEW, AppChoice.EXISTING, AppChoice.DIAGNOSE), strict=True
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(f"{questions[button]} {self.notes_of[button]}")
            self.group.addButton(button)
            button.setProperty("choice", choice.value)
        self._option(choices, self.new)
        self._option(choices, self.existing)
        self.body.addLayout(choices)
        self.body.addSpacing(6)
        self.body.addWidget(heading(text.WELCOME_DIAGNOSE_QUESTION))
        support = QVBoxLayout()
        support.setSpacing(6)
        self._option(support, self.diagnose)
        self.body.addLayout(support)
        self.body.addStretch(1)
        self.arrows = ArrowKeysChoose(self.buttons, self)
        self.group.buttonToggled.connect(self._toggled)

    def _option(self, layout: QVBoxLayout, button: QRadioButton) -> None:
        """The answer, and below it, indented under its text, when to choose it."""
        note = WrapLabel(self.notes_of[button])
        note.setIndent(button.sizeHint().height())
        self.notes[button] = note
        layout.addWidget(button)
        layout.addSpacing(-4)
        layout.addWidget(note)

    def entered(self) -> None:
        # The keyboard starts on the question, so Space (or an arrow) answers it at once; its
        # frame shows where it is.
        show_focus_on_entry(self, self._first_choice)

    def _first_choice(self) -> QRadioButton:
        checked = self.group.checkedButton()
        return checked if isinstance(checked, QRadioButton) else self.new

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def load(self) -> None:
        choice = self.flow.state.app_choice
        self.group.setExclusive(False)
        self.new.setChecked(choice is AppChoice.NEW)
        self.existing.setChecked(choice is AppChoice.EXISTING)
        self.diagnose.setChecked(choice is AppChoice.DIAGNOSE)
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
