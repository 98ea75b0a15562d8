"""Step 4: the permission scopes, by purpose or one by one, and the boxes to tick in Halo."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from wizard.flow import StepKey, catalog
from wizard.flow.tools import (
    broad_scopes_from_tool,
    missing_tool_scopes,
    recipe_scopes,
    scopes_as_recipe,
    tool_recipe,
)
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.widgets import Callout, WrapLabel, copy_to_clipboard, heading, push_button

CUSTOM = "custom"


def scope_text(scope: str) -> str:
    """The plain-English line shown beside a scope."""
    if scope in text.SCOPE_TEXTS:
        return text.SCOPE_TEXTS[scope]
    verb, _, area = scope.partition(":")
    if area == "reporting":
        return text.SCOPE_READ_REPORTING if verb == "read" else text.SCOPE_EDIT_REPORTING
    words = text.AREA_WORDS.get(area, area)
    return (text.SCOPE_READ if verb == "read" else text.SCOPE_EDIT).format(words=words)


def _groups() -> dict[str, list[str]]:
    groups = {name: catalog.scopes_of_group(name) for name in catalog.GROUPS}
    groups["special"] = list(catalog.SPECIAL_SCOPES)
    groups["broad"] = list(catalog.BROAD_SCOPES)
    return groups


class TickList(QWidget):
    """The boxes to tick in Halo, one per line, always whole: in columns of at most ROWS
    lines (more when there are more than COLUMNS columns' worth), never scrolled."""

    ROWS = 6
    COLUMNS = 3

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self._font = font
        self._scopes: list[str] = []
        self.columns: list[WrapLabel] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(QFontMetrics(font).horizontalAdvance("    "))
        self._layout.addStretch(1)
        self.setAccessibleName(text.SCOPES_TICK_TITLE)
        self.show_scopes([])

    def show_scopes(self, scopes: list[str]) -> None:
        self._scopes = list(scopes)
        lines = self._scopes or [text.SCOPES_TICK_NONE]
        rows = max(self.ROWS, -(-len(lines) // self.COLUMNS))
        chunks = [lines[start : start + rows] for start in range(0, len(lines), rows)]
        while len(self.columns) < len(chunks):
            column = WrapLabel(selectable=True)
            # A scope name is never broken across lines: the column is as wide as its longest.
            column.setWordWrap(False)
            column.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self._layout.insertWidget(len(self.columns), column, 0, Qt.AlignmentFlag.AlignTop)
            self.columns.append(column)
        for index, column in enumerate(self.columns):
            shown = "\n".join(chunks[index]) if index < len(chunks) else ""
            column.setFont(self._font)
            column.setText(shown)
            column.setAccessibleName(", ".join(chunks[index]) if index < len(chunks) else "")
            column.setVisible(index < len(chunks))

    def text(self) -> str:
        """The list, one scope per line (or what is said while there is none)."""
        return "\n".join(self._scopes) if self._scopes else text.SCOPES_TICK_NONE

    def lines(self) -> list[str]:
        return list(self._scopes)


class ScopesPage(FlowPage):
    key = StepKey.SCOPES

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.SCOPES_TITLE)
        self.setSubTitle(text.SCOPES_SUBTITLE)
        # What the admin ticked; implied read: scopes are added when handed to the flow.
        self._chosen: set[str] = set()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        # The key instruction of this page stays in view above the long list of scopes, and
        # follows every box ticked below. Made first, so Tab reaches it first, as it reads.
        self.top.addWidget(self._tick_summary(mono))
        # A scope the tool asks for itself was unticked: said where it stays in view.
        self.tool_warning = Callout("warning")
        self.retick_button = push_button(text.SCOPES_TOOL_RETICK)
        self.retick_button.clicked.connect(self.use_tool_scopes)
        self.tool_warning.add_button(self.retick_button)
        self.tool_warning.setVisible(False)
        self.top.addWidget(self.tool_warning)

        # Which scopes came from the tool's recipe, and why.
        self.recipe_note = Callout("info", rich=True)
        self.restore_button = push_button("", text.SCOPES_TOOL_RESTORE_NAME)
        self.restore_button.clicked.connect(self.use_tool_scopes)
        self.recipe_note.add_button(self.restore_button)
        self.recipe_note.setVisible(False)
        self.body.addWidget(self.recipe_note)
        self.body.addWidget(WrapLabel(text.SCOPES_INTRO))
        presets = QGroupBox(text.SCOPES_PRESETS_TITLE)
        grid = QGridLayout(presets)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(6)
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[str, QRadioButton] = {}
        names = [*catalog.PRESETS, CUSTOM]
        for row, name in enumerate(names):
            title = text.PRESET_NAMES.get(name, text.PRESET_CUSTOM)
            button = QRadioButton(title)
            explanation = text.PRESET_TEXTS.get(name, "")
            button.setAccessibleName(title)
            button.setAccessibleDescription(explanation)
            button.setProperty("preset", name)
            self.preset_group.addButton(button)
            self.preset_buttons[name] = button
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if explanation:
                grid.addWidget(WrapLabel(explanation), row, 1)
        # "Your own choice" only reports that the boxes below match no purpose.
        self.preset_buttons[CUSTOM].setEnabled(False)
        self.body.addWidget(presets)

        self.body.addWidget(heading(text.SCOPES_LIST_TITLE))
        self.boxes: dict[str, QCheckBox] = {}
        self.lines: dict[str, QLabel] = {}
        self.groups: dict[str, QGroupBox] = {}
        for group, scopes in _groups().items():
            box = QGroupBox(text.GROUP_NAMES[group])
            self.groups[group] = box
            layout = QGridLayout(box)
            layout.setColumnStretch(1, 1)
            layout.setHorizontalSpacing(14)
            layout.setVerticalSpacing(4)
            for row, scope in enumerate(scopes):
                check = QCheckBox(scope)
                check.setFont(mono)
                check.setAccessibleName(
                    text.SCOPE_CHECK_NAME.format(scope=scope, text=scope_text(scope))
                )
                check.toggled.connect(self._make_toggle(scope))
                line = WrapLabel(scope_text(scope))
                layout.addWidget(
                    check, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
                )
                layout.addWidget(line, row, 1)
                self.boxes[scope] = check
                self.lines[scope] = line
            self.body.addWidget(box)

        self.broad_warning = Callout("warning", text.SCOPES_BROAD_WARNING)
        self.body.addWidget(self.broad_warning)

        self.body.addStretch(1)

        self.preset_group.buttonToggled.connect(self._preset_toggled)

    def _tick_summary(self, mono: QFont) -> QGroupBox:
        tick = QGroupBox(text.SCOPES_TICK_TITLE)
        self.tick_box = tick
        grid = QGridLayout(tick)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setHorizontalSpacing(16)
        grid.addWidget(WrapLabel(text.SCOPES_TICK_INTRO, rich=True), 0, 0)
        # Whole, never in a scroll box of its own: a line scrolled out of sight is a box left
        # unticked in Halo. A long list flows into columns instead of growing down.
        self.tick_list = TickList(mono)
        grid.addWidget(self.tick_list, 0, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
        row_layout = QHBoxLayout()
        self.copy_button = QPushButton(text.SCOPES_COPY_LIST)
        self.copy_button.setAccessibleName(text.SCOPES_COPY_LIST_NAME)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._copy)
        self.copied = QLabel()
        row_layout.addWidget(self.copy_button)
        row_layout.addWidget(self.copied)
        row_layout.addStretch(1)
        grid.addLayout(row_layout, 1, 0)
        return tick

    def entered(self) -> None:
        # The keyboard starts on the purposes, not on Copy above them, with its frame drawn.
        # Once the page is shown: QWizard gives the focus to the page's first control after
        # this.
        show_focus_on_entry(self, self._purpose)

    def _purpose(self) -> QRadioButton:
        checked = self.preset_group.checkedButton()
        if isinstance(checked, QRadioButton) and checked.isEnabled():
            return checked
        return next(iter(self.preset_buttons.values()))

    # ----- widgets to flow -----

    def _make_toggle(self, scope: str):  # type: ignore[no-untyped-def]
        def toggled(checked: bool) -> None:
            if checked:
                self._chosen.add(scope)
            else:
                self._chosen.discard(scope)
            self.apply()

        return toggled

    def _preset_toggled(self, button: QRadioButton, checked: bool) -> None:
        name = str(button.property("preset"))
        if checked and name in catalog.PRESETS:
            self._chosen = set(catalog.PRESETS[name])
            self.apply()

    def apply(self) -> None:
        scopes = catalog.normalise_selection(self._chosen)
        preset = catalog.preset_matching(self._chosen) if self._chosen else None
        state = self.flow.state
        if scopes != state.scopes or preset != state.preset:
            self.flow.update(scopes=scopes, preset=preset)

    # ----- flow to widgets -----

    def load(self) -> None:
        self._chosen = set(self.flow.state.scopes)
        super().load()

    def refresh(self) -> None:
        state = self.flow.state
        selected = set(state.scopes)
        for scope, check in self.boxes.items():
            implied_by = next(
                (
                    other
                    for other in selected
                    if other in self._chosen and catalog.implied_by(other) == scope
                ),
                None,
            )
            check.blockSignals(True)
            check.setChecked(scope in selected)
            check.setEnabled(implied_by is None)
            check.blockSignals(False)
            line = scope_text(scope)
            if implied_by is not None:
                line = f"{line}. {text.SCOPE_IMPLIED.format(scope=implied_by)}"
            self.lines[scope].setText(line)

        name = state.preset if state.preset else (CUSTOM if selected else None)
        self.preset_group.blockSignals(True)
        self.preset_group.setExclusive(False)
        for preset, button in self.preset_buttons.items():
            button.setChecked(preset == name)
        self.preset_group.setExclusive(True)
        self.preset_group.blockSignals(False)

        recipe = tool_recipe(state)
        from_tool = broad_scopes_from_tool(state)
        if from_tool and recipe is not None:
            broad = [scope for scope in state.scopes if scope in catalog.BROAD_SCOPES]
            self.broad_warning.show_message(
                "info",
                text.SCOPES_BROAD_FROM_TOOL.format(scopes=", ".join(broad), name=recipe.called),
            )
        else:
            self.broad_warning.show_message("warning", text.SCOPES_BROAD_WARNING)
            self.broad_warning.setVisible(catalog.is_broad(selected))
        self.groups["broad"].setTitle(
            text.GROUP_BROAD_FOR_TOOL.format(name=recipe.called)
            if from_tool and recipe is not None
            else text.GROUP_NAMES["broad"]
        )
        self._name_presets()
        self._show_tool()
        ticks = catalog.boxes_to_tick(state.scopes)
        self.tick_list.show_scopes(ticks)
        self.copy_button.setEnabled(bool(ticks))
        self.copied.setText("")

    def _name_presets(self) -> None:
        """A broad preset the chosen tool asks for (or has as its default) is named for the
        tool, not "not recommended"; its caution stays beside it."""
        state = self.flow.state
        recipe = tool_recipe(state)
        subtitle = (
            text.SCOPES_SUBTITLE_TOOL.format(name=recipe.called)
            if recipe is not None
            else text.SCOPES_SUBTITLE
        )
        if self.subTitle() != subtitle:
            self.setSubTitle(subtitle)
        for name in catalog.NOT_RECOMMENDED:
            title = text.PRESET_NAMES[name]
            if recipe is not None and set(catalog.PRESETS[name]) <= set(recipe.scopes):
                chosen_by_tool = recipe.scopes_chosen_by in ("tool", "guide")
                words = (
                    text.PRESET_EVERYTHING_FOR_TOOL
                    if chosen_by_tool
                    else text.PRESET_EVERYTHING_TOOL_DEFAULT
                )
                title = words.format(name=recipe.called)
            button = self.preset_buttons[name]
            if button.text() != title:
                button.setText(title)
                button.setAccessibleName(title)

    def _show_tool(self) -> None:
        state = self.flow.state
        recipe = tool_recipe(state)
        if recipe is None:
            self.recipe_note.setVisible(False)
            self.tool_warning.setVisible(False)
            return
        scopes = html.escape(", ".join(recipe.scopes))
        note = html.escape(recipe.scopes_note)
        name = html.escape(recipe.called)
        as_recipe = scopes_as_recipe(state)
        if recipe.scopes_fixed:
            title = text.SCOPES_TOOL_FIXED.format(name=name)
        elif as_recipe:
            title = text.SCOPES_TOOL_TICKED.format(name=name)
        else:
            title = text.SCOPES_TOOL_CHANGED.format(name=name)
        self.recipe_note.label.setText(f"<b>{title}</b> {scopes}. {note}")
        self.recipe_note.label.setAccessibleName(f"{title} {', '.join(recipe.scopes)}.")
        self.recipe_note.setVisible(True)
        restore = text.SCOPES_TOOL_RESTORE.format(name=recipe.called)
        self.restore_button.setText(restore)
        self.restore_button.setAccessibleName(restore.replace("&", ""))
        self.restore_button.setVisible(not as_recipe and not recipe.scopes_fixed)
        missing = missing_tool_scopes(state)
        self.tool_warning.show_message(
            "warning",
            text.SCOPES_TOOL_MISSING.format(
                Name=recipe.called_first,
                name=recipe.called,
                missing=", ".join(missing),
                scopes=", ".join(recipe.scopes),
            )
            if missing
            else "",
        )

    def use_tool_scopes(self) -> None:
        """Tick the tool's scopes again, as its recipe has them."""
        recipe = tool_recipe(self.flow.state)
        if recipe is None:
            return
        if recipe.scopes_fixed:
            # Whatever else was ticked stays; only what the tool asks for is added.
            self._chosen |= set(recipe.scopes)
        else:
            self._chosen = set(recipe_scopes(recipe))
        self.apply()

    def _copy(self) -> None:
        copy_to_clipboard("\n".join(catalog.boxes_to_tick(self.flow.state.scopes)))
        self.copied.setText(text.COPIED)

    def blocked_reason(self) -> str | None:
        return text.SCOPES_BLOCKED
