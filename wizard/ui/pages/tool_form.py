"""The last page's "Type these into Rewst": each field of the tool's form by its own label,
its value to select, and a Copy button; the secret is copied only by its own button.

Each field is its label on a line of its own, then its value with its buttons beside it, then
its note: the box is never wider than its widest value and buttons, so it fits the page
without a horizontal scroll bar. A value wraps only as a whole, between its words (a command,
a list of scopes) or, in an address, after "/" and "."; never inside a Client ID.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wizard.core.recipes import FormField
from wizard.flow.tools import NOT_TESTED, OTHER_TOOL, ToolForm, is_command
from wizard.ui import text, theme
from wizard.ui.widgets import (
    NON_BREAKING_HYPHEN,
    ZERO_WIDTH_SPACE,
    WrapLabel,
    breakable,
    copy_to_clipboard,
    push_button,
    unmarked,
)

# Space above each field's label but the first: the fields read as separate entries.
FIELD_GAP = 10


# Between two characters, no place to break (Unicode's word joiner, shown as nothing).
WORD_JOINER = "\u2060"


def whole(value: str) -> str:
    """`value` as the form shows it: it may break between its words (a command, a list of
    scopes) and, in an address, after "/" and "." (`breakable`), nowhere else: not at a
    hyphen of a Client ID, nor after the "?" or "=" of an address."""
    shown = breakable(value).replace("-", NON_BREAKING_HYPHEN)
    out: list[str] = []
    for char in shown:
        breaks = (out[-1] if out else " ") + char
        if not any(c.isspace() or c == ZERO_WIDTH_SPACE for c in breaks):
            out.append(WORD_JOINER)
        out.append(char)
    return "".join(out)


def unwhole(shown: str) -> str:
    """The real text of what `whole` shows."""
    return unmarked(shown.replace(WORD_JOINER, ""))


class ValueLabel(WrapLabel):
    """A value to type into the tool, shown `whole`; selected and copied as the real text."""

    def setText(self, value: str, /) -> None:
        super().setText(value)
        shown = whole(value)
        if shown != self.shown_text():
            QLabel.setText(self, shown)
            # What is selected is copied without the marks (selected_plain_text).
            self._marked = True

    def selected_plain_text(self) -> str:
        return unwhole(super().selected_plain_text())


class NoteSpace(WrapLabel):
    """A note under buttons ("Copied ...") that keeps the room of the longest thing it may
    say, whether it says it or nothing: a note appearing moves no button below it."""

    def __init__(self) -> None:
        super().__init__(selectable=True)
        self._sayable: tuple[str, ...] = ()
        # The room kept, by width and font: layouts ask for it again and again.
        self._room: dict[tuple[int, str], int] = {}
        # Measures each message as this label would lay it out (never shown).
        self._measure = QLabel()
        self._measure.setWordWrap(True)
        self._measure.setTextFormat(Qt.TextFormat.PlainText)
        self._measure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def reserve(self, sayable: Iterable[str]) -> None:
        """Keep room for each of `sayable`, the messages this note may show."""
        kept = tuple(breakable(message) for message in sayable if message)
        if kept != self._sayable:
            self._sayable = kept
            self._room = {}
            self.updateGeometry()

    def _kept_room(self, width: int) -> int:
        key = (width, self.font().key())
        room = self._room.get(key)
        if room is None:
            room = 0
            self._measure.setFont(self.font())
            for message in self._sayable:
                self._measure.setText(message)
                room = max(room, self._measure.heightForWidth(width))
            self._room[key] = room
        return room

    def heightForWidth(self, width: int) -> int:
        said = super().heightForWidth(width) if self.text() else 0
        return max(said, self._kept_room(width))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(max(self.width(), hint.width())))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), 0 if not self.text() else hint.height())


class ToolFormBox(QGroupBox):
    """The tool's form for the tested connection, or why it is not shown yet.

    `secret` gives the client secret, asked only when its own button is clicked. What a copy
    says appears below the fields, in room kept for it: nothing moves, nothing scrolls.
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
        self.grid.setColumnStretch(0, 1)
        layout.addWidget(self.fields_box)
        # Below the fields, with room kept for what a copy says (NoteSpace).
        self.copied = NoteSpace()
        layout.addWidget(self.copied)
        self._rows: list[QWidget] = []
        self._next_row = 0
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
        self.clear_note()
        self._clear()
        for field in form.fields:
            self._add_field(field, name)
        self.fields_box.setVisible(bool(form.fields))
        self.copied.setVisible(bool(form.fields))
        self.copied.reserve(self._sayable(form.fields, name))

    def clear_note(self) -> None:
        """Forget what the last copy said (the page was entered again, or tested again)."""
        self._say("")

    def _clear(self) -> None:
        for widget in self._rows:
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._rows = []
        self._next_row = 0
        self.values = {}
        self.copy_buttons = {}
        self.notes = {}

    def _add_field(self, field: FormField, tool: str) -> None:
        # Its label; its value with its buttons beside it (a whole command below them, the
        # width of the box); its note.
        row = self._next_row
        label = WrapLabel(field.label)
        label.setFont(theme.bold(label.font()))
        if row:
            label.setContentsMargins(0, FIELD_GAP, 0, 0)
        if field.value is None:
            value: WrapLabel = WrapLabel(text.FORM_SECRET_HIDDEN)
        else:
            value = ValueLabel(field.value, selectable=True)
            value.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        value.setAccessibleName(field.label)
        notes = [field.note] if field.note else []
        if field.sure == "inferred":
            notes.append(text.FORM_INFERRED)
        if field.value is None or field.secret:
            # What to do once the secret is copied, said beside its button: the note under
            # the fields may be out of sight.
            notes.append(text.FORM_SECRET_NOTE)
        buttons = self._buttons(field, tool)
        middle = Qt.AlignmentFlag.AlignVCenter
        if field.secret and field.value is not None:
            self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignBottom)
            self.grid.addWidget(buttons, row, 1, Qt.AlignmentFlag.AlignBottom)
            self.grid.addWidget(value, row + 1, 0, 1, 2)
        else:
            self.grid.addWidget(label, row, 0, 1, 2)
            self.grid.addWidget(value, row + 1, 0, middle)
            self.grid.addWidget(buttons, row + 1, 1, middle)
        self._rows.extend((label, value, buttons))
        row += 2
        if notes:
            note = WrapLabel(" ".join(notes))
            self.grid.addWidget(note, row, 0, 1, 2, Qt.AlignmentFlag.AlignTop)
            self._rows.append(note)
            self.notes[field.label] = note
            row += 1
        self._next_row = row
        self.values[field.label] = value

    def _buttons(self, field: FormField, tool: str) -> QWidget:
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
        self.copy_buttons[field.label] = list(made)
        return buttons

    @staticmethod
    def _sayable(fields: Iterable[FormField], tool: str) -> list[str]:
        """Every message a copy from these fields may show."""
        said = []
        for field in fields:
            if field.value is None:
                said += [
                    text.FORM_COPIED_SECRET.format(label=field.label, name=tool),
                    text.FORM_NO_SECRET,
                ]
            elif field.value:
                copied = text.FORM_COPIED_PLACEHOLDER if field.secret else text.FORM_COPIED
                said.append(copied.format(label=field.label))
                if field.secret:
                    said += [
                        text.FORM_COPIED_WITH_SECRET.format(label=field.label, name=tool),
                        text.FORM_NO_SECRET,
                    ]
        return said

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
