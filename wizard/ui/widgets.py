"""Small widgets the pages share: wrapped labels, call-outs, findings, the live checklist."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import (
    QClipboard,
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wizard.ui import text, theme

if TYPE_CHECKING:
    # Names for annotations only: the engine's model loads when a check first runs.
    import asyncio

    from wizard.core import Finding, Step

SEVERITY_KIND = {"error": "error", "warning": "warning", "info": "info"}
STEP_KIND = {
    "ok": "ok",
    "warning": "warning",
    "failed": "error",
    "running": "running",
    "skipped": "skipped",
}


def copy_to_clipboard(value: str) -> None:
    QGuiApplication.clipboard().setText(value)


# ----- where host names, addresses and paths may break across lines -----
#
# Qt's line breaking sees "https://acme-support.halopsa.com/api" as words joined by
# punctuation: it breaks after the hyphen, never after a dot, and a part too long for the
# line sticks out. For display only, an address gets a zero-width space after each dot and
# each slash (a place to break) and a non-breaking hyphen for each hyphen (no place to
# break). The marks never leave the label: text() and what is copied are the real text.

ZERO_WIDTH_SPACE = "\u200b"
NON_BREAKING_HYPHEN = "\u2011"

# Characters that end an address in a sentence (quotes, brackets, spaces).
_STOP = r"\s<>\"'()\[\]{}"
_URL = rf"[A-Za-z][A-Za-z0-9+.\-]*://[^{_STOP}]+"
_NAME_PART = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
# A host name ends in a part of two or more characters that starts with a letter, so
# neither 2.236.133 nor "e.g" is one.
_HOST = (
    rf"(?:{_NAME_PART}\.)+[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9](?::[0-9]+)?"
    rf"(?:[/\\][^{_STOP}]*)?"
)
_PATH = rf"(?:~|[A-Za-z]:)?[/\\][^{_STOP}/\\]+(?:[/\\][^{_STOP}]*)?"
# Not inside a word, and not the parts of an e-mail address (name@host.com).
_ADDRESS = re.compile(rf"(?<![\w@.\-/\\:])(?:{_URL}|{_HOST}|{_PATH})(?![\w@\-])")
# Punctuation that ends the sentence, not the address: "at acme.halopsa.com/api."
_TRAILING = ".,;:!?\u2026"
_TAG = re.compile(r"(<[^>]*>)")


def _mark_address(address: str) -> str:
    out: list[str] = []
    for index, char in enumerate(address):
        if char == "-":
            out.append(NON_BREAKING_HYPHEN)
            continue
        out.append(char)
        following = address[index + 1 : index + 2]
        if not following or following in "/\\":
            continue
        if char == ".":
            # Not inside a number (127.0.0.1, 2.236): only between names.
            if not (address[index - 1 : index].isdigit() and following.isdigit()):
                out.append(ZERO_WIDTH_SPACE)
        elif char in "/\\":
            # After "https://" or a folder, not after the slash a path starts with.
            before = address[:index].rstrip("/\\")
            if before not in ("", "~") and not re.fullmatch(r"[A-Za-z]:", before):
                out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def _mark_match(match: re.Match[str]) -> str:
    address = match.group()
    tail = ""
    while address and address[-1] in _TRAILING:
        address, tail = address[:-1], address[-1] + tail
    return _mark_address(address) + tail


def _mark_plain(value: str) -> str:
    return _ADDRESS.sub(_mark_match, value)


def breakable(value: str, *, rich: bool = False) -> str:
    """`value` as a label shows it: host names, web addresses and file paths may break after
    "/" and ".", never at their hyphens. Rich text is marked in its text, never in its tags.

    Unchanged when it already holds one of the marks, so `unmarked` always gives it back.
    """
    if not value or ZERO_WIDTH_SPACE in value or NON_BREAKING_HYPHEN in value:
        return value
    if not rich:
        return _mark_plain(value)
    parts = _TAG.split(value)
    # split() with a group: the tags are at the odd places.
    return "".join(part if index % 2 else _mark_plain(part) for index, part in enumerate(parts))


def unmarked(value: str) -> str:
    """The real text of what `breakable` marked: no zero-width spaces, plain hyphens."""
    return value.replace(ZERO_WIDTH_SPACE, "").replace(NON_BREAKING_HYPHEN, "-")


def _document_text(value: str, rich: bool) -> str:
    """What a label shows of `value`, as plain text (tags removed, entities read)."""
    if not rich:
        return value
    document = QTextDocument()
    document.setHtml(value)
    return document.toPlainText()


class WrapLabel(QLabel):
    """A label that wraps, never clips, and can be selected with the mouse where admins copy.

    Addresses in it break only after "/" and "." (see `breakable`). `text()` is the text as
    given; copying a selection (Ctrl+C, the context menu) puts the real text on the
    clipboard, without the marks that place the line breaks.
    """

    def __init__(
        self,
        value: str = "",
        *,
        rich: bool = False,
        selectable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._value = ""
        self._marked = False
        self._auto_name = False
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setOpenExternalLinks(False)
        if selectable:
            # Mouse only: keyboard selection would add a tab stop to every paragraph.
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setText(value)

    # ----- the text: as given, and as shown -----

    def _rich(self, value: str) -> bool:
        text_format = self.textFormat()
        if text_format == Qt.TextFormat.AutoText:
            return QtGui.Qt.mightBeRichText(value)
        return text_format == Qt.TextFormat.RichText

    def setText(self, value: str, /) -> None:
        rich = self._rich(value)
        shown = breakable(value, rich=rich)
        self._value = value
        self._marked = shown != value
        super().setText(shown)
        # A screen reader reads the real text, not the marks, unless a name was given.
        if self._marked and (self._auto_name or not self.accessibleName()):
            super().setAccessibleName(_document_text(value, rich))
            self._auto_name = True
        elif self._auto_name:
            super().setAccessibleName("")
            self._auto_name = False

    def text(self, /) -> str:
        """The text as it was given (rich text with its tags), without the line-break marks."""
        return self._value

    def shown_text(self) -> str:
        """The text Qt lays out: with the marks that place line breaks in addresses."""
        return super().text()

    def plain_text(self) -> str:
        """What the label shows, as plain text and without the marks: what an admin reads."""
        return _document_text(self._value, self._rich(self._value))

    def clear(self, /) -> None:
        self.setText("")

    def setAccessibleName(self, name: str, /) -> None:
        self._auto_name = False
        super().setAccessibleName(name)

    # ----- copying the real text -----

    def _selectable(self) -> bool:
        flags = self.textInteractionFlags()
        return bool(
            flags
            & (
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        )

    def selected_plain_text(self) -> str:
        """The selection as it is copied: real text, lines ending in newlines."""
        value = self.selectedText()
        # QTextCursor's paragraph and line separators, and spaces as Qt copies them.
        value = value.replace("\u2029", "\n").replace("\u2028", "\n").replace("\u00a0", " ")
        return unmarked(value) if self._marked else value

    def copy_selection(self) -> None:
        """Copy what is selected, as Ctrl+C does; nothing selected leaves the clipboard."""
        if self.hasSelectedText():
            copy_to_clipboard(self.selected_plain_text())

    def select_all(self) -> None:
        document = QTextDocument()
        shown = self.shown_text()
        if self._rich(self._value):
            document.setHtml(shown)
        else:
            document.setPlainText(shown)
        self.setSelection(0, max(0, document.characterCount() - 1))
        self._share_selection()

    def _share_selection(self) -> None:
        """Where selecting copies (X11's middle-click paste), the real text is what is pasted."""
        clipboard = QGuiApplication.clipboard()
        if self._marked and clipboard.supportsSelection() and self.hasSelectedText():
            clipboard.setText(self.selected_plain_text(), QClipboard.Mode.Selection)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._selectable() and event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)
        if self._selectable() and event.matches(QKeySequence.StandardKey.SelectAll):
            self._share_selection()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._selectable():
            self._share_selection()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Qt's menu (Copy, Select All), with a Copy that copies the real text."""
        if not self._selectable():
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        copy = menu.addAction(_with_keys(text.LABEL_COPY, QKeySequence.StandardKey.Copy))
        copy.setEnabled(self.hasSelectedText())
        copy.triggered.connect(self.copy_selection)
        select_all = menu.addAction(
            _with_keys(text.LABEL_SELECT_ALL, QKeySequence.StandardKey.SelectAll)
        )
        select_all.setEnabled(bool(self._value))
        select_all.triggered.connect(self.select_all)
        menu.popup(event.globalPos())
        event.accept()

    def minimumSizeHint(self) -> QSize:
        # QLabel's own minimum for wrapped text is its height at a narrow guessed width:
        # inside a scroll area that adds a scroll bar to pages that fit. The height for
        # the real width comes from heightForWidth, which layouts and scroll areas ask.
        hint = super().minimumSizeHint()
        if not self.wordWrap() or not self.text():
            return hint
        return QSize(hint.width(), min(hint.height(), self.fontMetrics().lineSpacing()))


def _with_keys(label: str, key: QKeySequence.StandardKey) -> str:
    """A menu entry with its shortcut shown beside it, as in Qt's own menus."""
    keys = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{label}\t{keys}" if keys else label


def push_button(label: str, name: str | None = None, parent: QWidget | None = None) -> QPushButton:
    """A page button: Space clicks it when focused, while Return stays with Next (the default)."""
    button = QPushButton(label, parent)
    button.setAutoDefault(False)
    button.setAccessibleName(name or label.replace("&", ""))
    return button


def secret_field(label_text: str, placeholder: str, name: str) -> tuple[QLabel, QLineEdit]:
    """A field for a secret, its characters hidden, and its label (the field its buddy)."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(name)
    label = QLabel(label_text)
    label.setBuddy(field)
    return label, field


class ArrowKeysChoose(QObject):
    """An arrow key chooses the answer it moves to, as in the desktops' radio groups.

    Qt only moves the focus while nothing is chosen, which looks like a choice but leaves
    Next disabled, so Return would do nothing.
    """

    def __init__(self, buttons: list[QRadioButton], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buttons = buttons
        for button in buttons:
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Right: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_Left: -1,
            }.get(Qt.Key(event.key()))
            buttons = self.buttons
            if step is not None and watched in buttons:
                index = buttons.index(watched)
                target = buttons[max(0, min(len(buttons) - 1, index + step))]
                # A key moved the focus: its frame stays drawn (other reasons hide it).
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                target.setChecked(True)
                return True
        return super().eventFilter(watched, event)


class FocusList(QListWidget):
    """A list whose frame shows, in the highlight colour, that it has the keyboard focus.

    Fusion marks a focused field's frame but not a list's, and the current row's focus
    rectangle disappears into its selection: without this, Tab seems to go nowhere.
    """

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and self.hasFocus():
            painter = QtGui.QPainter(self)
            pen = QtGui.QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            painter.end()
        return handled

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


def heading(value: str, parent: QWidget | None = None) -> QLabel:
    label = WrapLabel(value, parent=parent)
    label.setFont(theme.bold(label.font()))
    return label


class StatusMark(QLabel):
    """A coloured status mark that redraws itself when the palette changes (dark mode)."""

    def __init__(self, kind: str = "info", size: int = 16, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._size = size
        self.setFixedSize(size, size)
        self._draw()

    @property
    def kind(self) -> str:
        return self._kind

    def set_kind(self, kind: str) -> None:
        if kind != self._kind:
            self._kind = kind
            self._draw()

    def _draw(self) -> None:
        self.setPixmap(theme.status_pixmap(self._kind, self._size, self.palette()))
        word = text.STATUS_WORD.get(self._kind) or text.SEVERITY_WORD.get(self._kind, "")
        self.setAccessibleName(word)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._draw()


class Callout(QFrame):
    """A status mark beside a short paragraph, on a subtly different background."""

    # Space above its paragraph: a label beside a call-out starts that much lower, in line.
    TEXT_TOP = 8

    @classmethod
    def titled(cls, kind: str, title: str, body: str) -> Callout:
        """A call-out whose first words, in bold, say what it is about."""
        callout = cls(kind, rich=True)
        callout.label.setText(f"<b>{html.escape(title)}</b> {html.escape(body)}")
        callout.label.setAccessibleName(f"{title} {body}")
        return callout

    def __init__(
        self,
        kind: str = "info",
        value: str = "",
        *,
        rich: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, self.TEXT_TOP, 10, self.TEXT_TOP)
        layout.setSpacing(8)
        self.mark = StatusMark(kind, 16)
        self.label = WrapLabel(value, rich=rich, selectable=True)
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self._row = layout

    def add_button(self, button: QPushButton) -> None:
        """A button after the paragraph, for what it suggests doing."""
        self._row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def show_message(self, kind: str, value: str) -> None:
        self.mark.set_kind(kind)
        self.label.setText(value)
        self.setVisible(bool(value))


class SummaryLine(QWidget):
    """The one-line verdict at the top of a page, with a larger mark."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.mark = StatusMark("running", 22)
        self.label = WrapLabel()
        self.label.setFont(theme.bold(self.label.font(), 1.15))
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)

    def show_status(self, kind: str, value: str) -> None:
        """Show `value` with the mark of `kind`, or with no mark when kind is "none"."""
        if kind != "none":
            self.mark.set_kind(kind)
        self.mark.setVisible(kind != "none")
        self.label.setText(value)
        self.label.setAccessibleName(value)


class BusyBar(QProgressBar):
    """Qt's native "busy" indicator: a progress bar without an end."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setAccessibleName(name)
        self.setMaximumHeight(self.fontMetrics().height())


class NumberedSteps(QWidget):
    """Steps to follow, numbered, one wrapped label each (rich text lists measure badly)."""

    def __init__(
        self,
        items: tuple[str, ...] | list[str] = (),
        *,
        rich: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rich = rich
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        self._labels: list[tuple[QLabel, WrapLabel]] = []
        self.set_items(items)

    def set_items(self, items: tuple[str, ...] | list[str]) -> None:
        for number_label, label in self._labels:
            for widget in (number_label, label):
                self._grid.removeWidget(widget)
                # Hidden at once: until it is deleted it would still be drawn under the new.
                widget.hide()
                widget.deleteLater()
        self._labels = []
        for row, item in enumerate(items):
            number_label = QLabel(f"{row + 1}.")
            number_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label = WrapLabel(item, rich=self._rich, selectable=True)
            self._grid.addWidget(number_label, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label, row, 1)
            self._labels.append((number_label, label))
        self.setAccessibleDescription(self.plain_text())

    def texts(self) -> list[str]:
        return [label.text() for _number, label in self._labels]

    def plain_text(self) -> str:
        """The steps as numbered lines (rich text tags removed), for tests and screen readers."""
        lines = []
        for number, (_label_number, label) in enumerate(self._labels, 1):
            value = label.text()
            if self._rich:
                value = html.unescape(re.sub(r"<[^>]+>", "", value))
            lines.append(f"{number}. {value}")
        return "\n".join(lines)


def finding_as_text(finding: Finding) -> str:
    """The finding as plain text for the clipboard: to paste into a ticket or an e-mail."""
    word = text.SEVERITY_WORD.get(str(finding.severity), "")
    lines = [f"{word}: {finding.title}", finding.detail]
    from wizard.core.messages import Front

    fix = finding.fix_for(Front.WINDOW)  # the window's own words: its pages, not options
    if fix:
        lines.append(finding.fix_heading)
        lines.extend(f"{number}. {step}" for number, step in enumerate(fix, 1))
    if finding.link:
        lines.append(finding.link)
    lines.append(f"[{finding.code}]")
    return "\n".join(lines)


class FindingView(QFrame):
    """One finding: what happened, why, the numbered fix, and buttons to copy it or open Halo."""

    def __init__(
        self,
        finding: Finding,
        *,
        open_url: Callable[[str], None],
        go_to_fix: tuple[str, Callable[[], None]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`go_to_fix`: the label and action of a button to the wizard page where the fix is
        typed, when it is typed in the wizard."""
        super().__init__(parent)
        self.finding = finding
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAccessibleName(finding.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)

        top = QHBoxLayout()
        top.setSpacing(8)
        kind = SEVERITY_KIND[str(finding.severity)]
        self.mark = StatusMark(kind, 18)
        word = text.SEVERITY_WORD[str(finding.severity)]
        self.title = WrapLabel(f"{word}: {finding.title}", selectable=True)
        self.title.setFont(theme.bold(self.title.font()))
        # The code, for support and the report: a small caption, not what the admin reads.
        code = QLabel(finding.code)
        code.setObjectName("caption")
        code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        top.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title, 1)
        top.addWidget(code, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.detail = WrapLabel(finding.detail, selectable=True)
        layout.addWidget(self.detail)
        self.steps: NumberedSteps | None = None
        from wizard.core.messages import Front

        fix = finding.fix_for(Front.WINDOW)
        if fix:
            layout.addWidget(heading(finding.fix_heading))
            self.steps = NumberedSteps(fix)
            layout.addWidget(self.steps)

        self.copy_button: QPushButton | None = None
        self.open_button: QPushButton | None = None
        self.fix_button: QPushButton | None = None
        if fix or finding.link:
            buttons = QHBoxLayout()
            buttons.setSpacing(8)
            if go_to_fix is not None:
                label, go = go_to_fix
                self.fix_button = QPushButton(label)
                self.fix_button.setAutoDefault(False)
                self.fix_button.clicked.connect(go)
                buttons.addWidget(self.fix_button)
            self.copy_button = QPushButton(text.COPY)
            self.copy_button.setAccessibleName(text.COPY_FIX_NAME.format(title=finding.title))
            self.copy_button.setAutoDefault(False)
            self.copy_button.clicked.connect(self._copy)
            buttons.addWidget(self.copy_button)
            if finding.link:
                link = finding.link
                self.open_button = QPushButton(text.OPEN_IN_HALO)
                self.open_button.setAccessibleName(
                    text.OPEN_IN_HALO_NAME.format(title=finding.title)
                )
                self.open_button.setToolTip(link)
                self.open_button.setAutoDefault(False)
                self.open_button.clicked.connect(lambda: open_url(link))
                buttons.addWidget(self.open_button)
            self.copied = QLabel("")
            buttons.addWidget(self.copied)
            buttons.addStretch(1)
            layout.addLayout(buttons)

    def _copy(self) -> None:
        copy_to_clipboard(finding_as_text(self.finding))
        self.copied.setText(text.COPIED)


class Checklist(QWidget):
    """The live checklist: one row per engine step, in the order the steps first appeared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(2, 1)
        self._rows: dict[str, tuple[StatusMark, QLabel, WrapLabel]] = {}

    def clear(self) -> None:
        for mark, label, summary in self._rows.values():
            for widget in (mark, label, summary):
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows.clear()

    def stop_running(self) -> None:
        """Mark the steps still running as not done (the test was cancelled)."""
        for mark, label, _summary in self._rows.values():
            if mark.kind == "running":
                mark.set_kind("skipped")
                label.setAccessibleName(f"{label.text()}: {text.STATUS_WORD['skipped']}")

    def step_keys(self) -> list[str]:
        return list(self._rows)

    def status_of(self, key: str) -> str | None:
        row = self._rows.get(key)
        return row[0].kind if row else None

    def summary_of(self, key: str) -> str:
        row = self._rows.get(key)
        return row[2].text() if row else ""

    def show_step(self, step: Step) -> None:
        kind = STEP_KIND[str(step.status)]
        row = self._rows.get(step.key)
        if row is None:
            number = len(self._rows)
            mark = StatusMark(kind, 16)
            label = QLabel(step.label)
            summary = WrapLabel(selectable=True)
            self._grid.addWidget(mark, number, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label, number, 1, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(summary, number, 2)
            row = self._rows[step.key] = (mark, label, summary)
        mark, label, summary = row
        mark.set_kind(kind)
        label.setText(step.label)
        summary.setText(step.summary)
        word = text.STATUS_WORD[str(step.status)]
        label.setAccessibleName(f"{step.label}: {word}. {step.summary}".strip())


def careful_question(
    parent: QWidget,
    *,
    title: str,
    question: str,
    details: str,
    action: str,
    role: QMessageBox.ButtonRole,
) -> tuple[QMessageBox, QAbstractButton]:
    """A question before something that cannot be undone, and the button that does it.

    Return and Escape both choose Cancel: the action must be clicked.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(details)
    chosen = box.addButton(action, role)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, chosen


async def answer_of(box: QMessageBox, action: QAbstractButton) -> bool:
    """Show `box` and wait for it to close; True when `action` was clicked.

    open(), not exec(): a nested event loop would stall every running task. The box is
    deleted once answered.
    """
    import asyncio

    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def answered(_result: int) -> None:
        if not answer.done():
            answer.set_result(box.clickedButton() is action)

    box.finished.connect(answered)
    box.open()
    try:
        return await answer
    finally:
        box.deleteLater()
