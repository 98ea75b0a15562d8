"""The last page's "Type these into Rewst": each field of the tool's form by its own label,
its value to select, and a Copy button; the secret is copied only by its own button."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wizard.core.recipes import FormField
from wizard.flow.tools import NOT_TESTED, OTHER_TOOL, ToolForm, is_command
from wizard.ui import text, theme
from wizard.ui.widgets import WrapLabel, copy_to_clipboard, push_button


class ToolFormBox(QGroupBox):
    """The tool's form for the tested connection, or why it is not shown yet.

    `secret` gives the client secret, asked only when its own button is clicked.
    """

    def __init__(self, secret: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._secret = secret
        self._shown: ToolForm | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.intro = WrapLabel()
        layout.addWidget(self.intro)
        self.waiting = WrapLabel()
        layout.addWidget(self.waiting)
        self.fields_box = QWidget()
        self.grid = QGridLayout(self.fields_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        layout.addWidget(self.fields_box)
        self.copied = WrapLabel()
        self.copied.setVisible(False)
        layout.addWidget(self.copied)
        self._rows: list[QWidget] = []
        # Each field's value and buttons, by label, for tests and screen readers.
        self.values: dict[str, WrapLabel] = {}
        self.copy_buttons: dict[str, list[QWidget]] = {}
        self.notes: dict[str, WrapLabel] = {}

    def show_form(self, form: ToolForm) -> None:
        """Show `form` (rebuilt only when it changed, so a selection is not lost)."""
        if form == self._shown:
            return
        self._shown = form
        recipe = form.recipe
        name = text.FORM_YOUR_TOOL if recipe.id == OTHER_TOOL else recipe.name
        command = is_command(recipe)
        title = (text.FORM_TITLE_COMMAND if command else text.FORM_TITLE).format(name=name)
        self.setTitle(title)
        self.setAccessibleName(title)
        if command:
            intro = text.FORM_INTRO_COMMAND.format(name=name)
        elif recipe.id == OTHER_TOOL:
            intro = text.FORM_INTRO_OTHER
        else:
            intro = text.FORM_INTRO.format(name=name)
        self.intro.setText(intro)
        self.intro.setVisible(not form.waiting)
        reason = {NOT_TESTED: text.FORM_NOT_TESTED}.get(form.waiting or "", text.FORM_TEST_FAILED)
        self.waiting.setText(reason.format(name=name) if form.waiting else "")
        self.waiting.setVisible(bool(form.waiting))
        self._say("")
        self._clear()
        for row, field in enumerate(form.fields):
            self._add_row(row, field, name)
        self.fields_box.setVisible(bool(form.fields))

    def _clear(self) -> None:
        for widget in self._rows:
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._rows = []
        self.values = {}
        self.copy_buttons = {}
        self.notes = {}

    def _add_row(self, row: int, field: FormField, tool: str) -> None:
        # Each field takes two grid rows: its label, value and buttons, then its note.
        label = QLabel(field.label)
        label.setFont(theme.bold(label.font()))
        if field.value is None:
            value = WrapLabel(text.FORM_SECRET_HIDDEN)
        else:
            value = WrapLabel(field.value, selectable=True)
            value.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        value.setAccessibleName(field.label)
        notes = [field.note] if field.note else []
        if field.sure == "inferred":
            notes.append(text.FORM_INFERRED)
        buttons = QWidget()
        buttons_layout = QHBoxLayout(buttons)
        buttons_layout.setContentsMargins(0, 0, 0, 0)
        made = []
        if field.value is None:
            secret = push_button(text.FORM_COPY_SECRET, text.FORM_COPY_SECRET_NAME)
            secret.clicked.connect(functools.partial(self._copy_secret, field, tool))
            made.append(secret)
        elif field.value:
            # An empty value (a field to leave empty, or the tool's own setting) has nothing
            # to copy: its note says what to do.
            copy = push_button(text.FORM_COPY, text.FORM_COPY_NAME.format(label=field.label))
            copy.clicked.connect(functools.partial(self._copy_value, field))
            made.append(copy)
            if field.secret:
                revealed = push_button(
                    text.FORM_COPY_WITH_SECRET,
                    text.FORM_COPY_WITH_SECRET_NAME.format(label=field.label),
                )
                revealed.clicked.connect(functools.partial(self._copy_secret, field, tool))
                made.append(revealed)
        for button in made:
            buttons_layout.addWidget(button)
        buttons_layout.addStretch(1)
        middle = Qt.AlignmentFlag.AlignVCenter
        self.grid.addWidget(label, 2 * row, 0, middle | Qt.AlignmentFlag.AlignLeft)
        self.grid.addWidget(buttons, 2 * row, 2, middle)
        if field.secret and field.value is not None:
            # A whole command: below its name, the width of the box.
            value.setContentsMargins(0, 4, 0, 0)
            self.grid.addWidget(value, 2 * row + 1, 0, 1, 3)
        else:
            self.grid.addWidget(value, 2 * row, 1, middle)
        self._rows.extend((label, value, buttons))
        if notes:
            note = WrapLabel(" ".join(notes))
            self.grid.addWidget(note, 2 * row + 1, 1, 1, 2, Qt.AlignmentFlag.AlignTop)
            self._rows.append(note)
            self.notes[field.label] = note
        self.values[field.label] = value
        self.copy_buttons[field.label] = list(made)

    # ----- copying -----

    def _copy_value(self, field: FormField) -> None:
        copy_to_clipboard(field.value or "")
        if field.secret:
            self._say(text.FORM_COPIED_PLACEHOLDER.format(label=field.label))
        else:
            self._say(text.FORM_COPIED.format(label=field.label))

    def _copy_secret(self, field: FormField, tool: str) -> None:
        """Only ever from the secret's own button: the secret goes to the clipboard."""
        secret = self._secret()
        if not secret:
            self._say(text.FORM_NO_SECRET)
            return
        copy_to_clipboard(field.reveal(secret))
        said = text.FORM_COPIED_SECRET if field.value is None else text.FORM_COPIED_WITH_SECRET
        self._say(said.format(label=field.label, name=tool))

    def _say(self, message: str) -> None:
        self.copied.setText(message)
        self.copied.setVisible(bool(message))
