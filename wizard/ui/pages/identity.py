"""Step 3: who the connection acts as, an API-only agent or the application identity."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QRadioButton, QVBoxLayout

from wizard.flow import IdentityChoice, StepKey
from wizard.flow.tools import identity_differs, tool_recipe
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.create_app import api_menu_for, example_name
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.widgets import Callout, NumberedSteps, WrapLabel


class IdentityPage(FlowPage):
    key = StepKey.IDENTITY

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.IDENTITY_TITLE)
        self.setSubTitle(text.IDENTITY_SUBTITLE)
        # What the chosen tool's recipe says the identity needs.
        self.advice = Callout("info", rich=True)
        self.advice.setVisible(False)
        self.body.addWidget(self.advice)
        self.group = QButtonGroup(self)
        self.agent = self._option(
            IdentityChoice.AGENT, text.IDENTITY_AGENT, text.IDENTITY_AGENT_TEXT
        )
        self.application = self._option(
            IdentityChoice.APPLICATION, text.IDENTITY_APPLICATION, text.IDENTITY_APPLICATION_TEXT
        )
        self.tool_differs = Callout("warning")
        self.tool_differs.setVisible(False)
        self.body.addWidget(self.tool_differs)
        self.body.addWidget(
            Callout.titled("warning", text.IDENTITY_WARNING_TITLE + ".", text.IDENTITY_WARNING)
        )

        how = QGroupBox(text.IDENTITY_HOW_TITLE)
        how_box = QVBoxLayout(how)
        self.how_hint = WrapLabel(text.IDENTITY_HOW_NONE)
        how_box.addWidget(self.how_hint)
        self.how = NumberedSteps(rich=True)
        self.how.setAccessibleName(text.IDENTITY_HOW_TITLE)
        how_box.addWidget(self.how)
        self.body.addWidget(how)
        self.body.addStretch(1)
        self.group.buttonToggled.connect(self._toggled)

    def _option(self, choice: IdentityChoice, title: str, explanation: str) -> QRadioButton:
        button = QRadioButton(title)
        button.setAccessibleName(title.replace("&", ""))
        button.setAccessibleDescription(explanation)
        button.setProperty("choice", choice.value)
        self.group.addButton(button)
        label = WrapLabel(explanation)
        label.setIndent(button.sizeHint().height())
        option = QVBoxLayout()
        option.setSpacing(2)
        option.addWidget(button)
        option.addWidget(label)
        self.body.addLayout(option)
        return button

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def load(self) -> None:
        identity = self.flow.state.identity
        self.group.setExclusive(False)
        self.agent.setChecked(identity is IdentityChoice.AGENT)
        self.application.setChecked(identity is IdentityChoice.APPLICATION)
        self.group.setExclusive(True)
        super().load()

    def apply(self) -> None:
        button = self.group.checkedButton()
        if button is not None:
            choice = IdentityChoice(str(button.property("choice")))
            if choice is not self.flow.state.identity:
                self.flow.update(identity=choice)

    def entered(self) -> None:
        show_focus_on_entry(self)

    def refresh(self) -> None:
        state = self.flow.state
        identity = state.identity
        recipe = tool_recipe(state)
        # Rich text: the example and the tool as the chosen tool's recipe names them.
        words = {
            "example": html.escape(example_name(state) or text.IDENTITY_EXAMPLE_ANY),
            "tool": html.escape(recipe.called if recipe else text.IDENTITY_TOOL_ANY),
            "api_menu": api_menu_for(state),
        }
        steps: list[str] = []
        if identity is IdentityChoice.AGENT:
            steps = [step.format(**words) for step in text.IDENTITY_HOW_AGENT]
        elif identity is IdentityChoice.APPLICATION:
            steps = [step.format(**words) for step in text.IDENTITY_HOW_APPLICATION]
        if steps != self.how.texts():
            self.how.set_items(steps)
        self.how_hint.setVisible(not steps)
        self._show_tool()

    def _show_tool(self) -> None:
        state = self.flow.state
        recipe = tool_recipe(state)
        if recipe is None:
            self.advice.setVisible(False)
            self.tool_differs.setVisible(False)
            return
        title = text.IDENTITY_TOOL_NEEDS.format(name=recipe.called)
        advice = text.sentence_start(recipe.identity_advice)
        self.advice.label.setText(f"<b>{html.escape(title)}</b> {html.escape(advice)}")
        self.advice.label.setAccessibleName(f"{title} {advice}")
        self.advice.setVisible(True)
        wanted = identity_differs(state)
        self.tool_differs.show_message(
            "warning",
            text.IDENTITY_TOOL_DIFFERS[wanted].format(Name=recipe.called_first, name=recipe.called)
            if wanted
            else "",
        )

    def blocked_reason(self) -> str | None:
        return text.IDENTITY_BLOCKED
