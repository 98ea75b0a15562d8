"""Step 2: which tool is being connected; its recipe then chooses the scopes and the identity
for the admin, and the last page shows the values to type into it."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from wizard.core.recipes import Recipe
from wizard.core.recipes import recipe as recipe_of
from wizard.flow import StepKey
from wizard.flow.tools import (
    OTHER_TOOL,
    SCRIPT,
    choose_tool,
    is_command,
    tool_choices,
    tool_recipe,
)
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.widgets import ArrowKeysChoose, Callout, WrapLabel


def ending(chosen: Recipe) -> str:
    """What the last page gives for the tool: its form, its command, or the settings."""
    if chosen.id == SCRIPT:
        return text.TOOL_ENDING_SCRIPT
    if chosen.id == OTHER_TOOL:
        return text.TOOL_ENDING_OTHER
    if is_command(chosen):
        return text.TOOL_ENDING_COMMAND.format(command=chosen.fields[0].label)
    return text.TOOL_ENDING_FORM.format(name=chosen.called)


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
        # Once the page is shown (QWizard gives the focus to its first control after this),
        # on the tool chosen, with its frame drawn.
        show_focus_on_entry(self, self._choice)

    def _choice(self) -> QRadioButton:
        checked = self.group.checkedButton()
        if isinstance(checked, QRadioButton):
            return checked
        return next(iter(self.tools.values()))

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
            # A tool that runs in the cloud cannot read this computer's keychain: its secret
            # is kept nowhere unless the admin chooses otherwise (Client ID page, Save page).
            chosen = recipe_of(str(changes["tool"]))
            changes["remember_secret"] = not chosen.in_the_cloud
            self.flow.update(**changes)

    def refresh(self) -> None:
        chosen = tool_recipe(self.flow.state)
        if chosen is None:
            self.chosen_note.show_message("info", "")
            return
        self.chosen_note.show_message(
            "info",
            text.TOOL_CHOSEN.format(
                scopes=", ".join(chosen.scopes),
                identity=text.TOOL_IDENTITY_WORDS[chosen.identity],
                ending=ending(chosen),
            ),
        )

    def blocked_reason(self) -> str | None:
        return text.TOOL_BLOCKED
