"""Step 2: which tool is being connected; its recipe then chooses the scopes and the identity
for the admin, and the last page shows the values to type into it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from wizard.flow import StepKey
from wizard.flow.tools import OTHER_TOOL, SCRIPT, choose_tool, tool_choices, tool_recipe
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.widgets import ArrowKeysChoose, Callout, WrapLabel


class ToolPage(FlowPage):
    key = StepKey.TOOL

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.TOOL_TITLE)
        self.setSubTitle(text.TOOL_SUBTITLE)
        self.body.addWidget(WrapLabel(text.TOOL_INTRO))
        self.group = QButtonGroup(self)
        self.tools: dict[str, QRadioButton] = {}
        choices = QVBoxLayout()
        choices.setSpacing(8)
        for recipe in tool_choices():
            button = QRadioButton(recipe.name)
            button.setAccessibleName(recipe.name)
            button.setAccessibleDescription(recipe.summary)
            button.setProperty("tool", recipe.id)
            self.group.addButton(button)
            self.tools[recipe.id] = button
            summary = WrapLabel(recipe.summary)
            summary.setIndent(button.sizeHint().height())
            option = QVBoxLayout()
            option.setSpacing(0)
            option.addWidget(button)
            option.addWidget(summary)
            choices.addLayout(option)
        self.body.addLayout(choices)
        # What choosing the tool does on the next pages, once one is chosen.
        self.chosen_note = Callout("info")
        self.body.addWidget(self.chosen_note)
        self.body.addStretch(1)
        self.arrows = ArrowKeysChoose(list(self.tools.values()), self)
        self.group.buttonToggled.connect(self._toggled)

    def entered(self) -> None:
        # Once the page is shown: QWizard gives the focus to its first control after this.
        QTimer.singleShot(0, self, self._focus_choice)

    def _focus_choice(self) -> None:
        checked = self.group.checkedButton()
        first = next(iter(self.tools.values()))
        (checked or first).setFocus(Qt.FocusReason.OtherFocusReason)

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def load(self) -> None:
        chosen = self.flow.state.tool
        self.group.setExclusive(False)
        for tool, button in self.tools.items():
            button.setChecked(tool == chosen)
        self.group.setExclusive(True)
        super().load()

    def apply(self) -> None:
        button = self.group.checkedButton()
        if button is None:
            return
        changes = choose_tool(self.flow.state, str(button.property("tool")))
        if changes:
            self.flow.update(**changes)

    def refresh(self) -> None:
        recipe = tool_recipe(self.flow.state)
        if recipe is None:
            self.chosen_note.show_message("info", "")
            return
        if recipe.id == SCRIPT:
            ending = text.TOOL_ENDING_SCRIPT
        elif recipe.id == OTHER_TOOL:
            ending = text.TOOL_ENDING_OTHER
        else:
            ending = text.TOOL_ENDING_FORM.format(name=recipe.name)
        self.chosen_note.show_message(
            "info",
            text.TOOL_CHOSEN.format(
                scopes=", ".join(recipe.scopes),
                identity=text.TOOL_IDENTITY_WORDS[recipe.identity],
                ending=ending,
            ),
        )

    def blocked_reason(self) -> str | None:
        return text.TOOL_BLOCKED
