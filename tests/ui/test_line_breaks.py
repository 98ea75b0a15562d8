"""Addresses wrap where an admin expects: after "/" or ".", never mid-word or at a hyphen.

Qt's line breaking alone breaks https://acme-support.halopsa.com after its hyphen and never
after a dot. The labels mark the places to break for display only; what is copied, read by
code or by a screen reader is the real text. The lines checked here are the ones Qt lays
out: QLabel's own text document where it has one (selectable or rich text), otherwise the
QTextLayout that QPainter.drawText wraps a plain label with, checked against the label's
own height.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetrics,
    QFontMetricsF,
    QGuiApplication,
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QVBoxLayout, QWidget

from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, shot
from tests.ui.test_pages import open_at
from wizard.core import Finding, Step
from wizard.core.findings import Severity
from wizard.core.model import StepStatus
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardState
from wizard.ui.widgets import (
    NON_BREAKING_HYPHEN,
    ZERO_WIDTH_SPACE,
    Callout,
    Checklist,
    FindingView,
    SummaryLine,
    WrapLabel,
    breakable,
    heading,
    unmarked,
)

pytestmark = QT_LOG_MARKS

URL = "https://acme-support.halopsa.com/api/authinfo"
SENTENCE = f"Halo could not be found at {URL} today."
# The parts of the address that must each stay on one line.
WORDS = ("https:", "acme-support", "halopsa", "com", "api", "authinfo")
MARKS = (ZERO_WIDTH_SPACE, NON_BREAKING_HYPHEN)


# ----- what Qt lays out -----


def laid_out_lines(label: QLabel) -> list[str]:
    """The lines of `label` as Qt wraps them at its present width, as displayed."""
    label.grab()  # paints it, so the text is laid out at the label's width
    documents = label.findChildren(QTextDocument)
    if documents:
        # Selectable or rich text: QLabel lays it out in its own document; read its lines.
        (document,) = documents
        assert document.textWidth() == label.contentsRect().width()
        lines: list[str] = []
        block = document.begin()
        while block.isValid():
            layout = block.layout()
            for number in range(layout.lineCount()):
                line = layout.lineAt(number)
                lines.append(block.text()[line.textStart() : line.textStart() + line.textLength()])
            block = block.next()
        return lines
    # Plain text: QLabel paints it with QPainter.drawText, which wraps words with a
    # QTextLayout at the label's width. The label's own height must agree with the count.
    shown = label.shown_text() if isinstance(label, WrapLabel) else label.text()
    width = label.contentsRect().width()
    layout = QTextLayout(shown, label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    leading = QFontMetricsF(label.font()).leading()
    height = -leading
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        # As QPainter.drawText places its lines: each on a whole pixel, after the leading.
        height = math.ceil(height + leading) + line.height()
        lines.append(shown[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    assert math.ceil(height) == label.heightForWidth(label.width()), lines
    return lines


def breaks_inside(lines: list[str], address: str) -> list[tuple[str, str]]:
    """Where the lines break inside `address`: (end of one line, start of the next)."""
    real = unmarked("".join(lines))
    start = real.index(address)
    end = start + len(address)
    found = []
    offset = 0
    for line in lines[:-1]:
        offset += len(unmarked(line))
        if start < offset < end:
            found.append((real[start:offset], real[offset:end]))
    return found


def assert_breaks_only_after_slash_or_dot(lines: list[str], address: str = URL) -> None:
    for before, after in breaks_inside(lines, address):
        assert before.endswith(("/", ".")), f"broken after {before!r}: {lines}"
        assert not (before.endswith("/") and after.startswith("/")), lines
    real_lines = [unmarked(line) for line in lines]
    for word in WORDS:
        if word in address:
            assert any(word in line for line in real_lines), f"{word!r} is split: {lines}"


# ----- the labels the wizard shows -----


def _holder(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    return holder


def _paragraph() -> tuple[QWidget, WrapLabel]:
    label = WrapLabel(SENTENCE)
    return label, label


def _heading() -> tuple[QWidget, QLabel]:
    label = heading(SENTENCE)
    return label, label


def _selectable() -> tuple[QWidget, WrapLabel]:
    label = WrapLabel(SENTENCE, selectable=True)
    return label, label


def _rich() -> tuple[QWidget, WrapLabel]:
    label = WrapLabel(f"<b>Halo</b> could not be found at {html.escape(URL)} today.", rich=True)
    return label, label


def _callout() -> tuple[QWidget, QLabel]:
    callout = Callout.titled("error", "Not found.", SENTENCE)
    return callout, callout.label


def _summary() -> tuple[QWidget, QLabel]:
    line = SummaryLine()
    line.show_status("error", SENTENCE)
    return line, line.label


def _checklist() -> tuple[QWidget, QLabel]:
    checklist = Checklist()
    checklist.show_step(Step("discovery", "Find the instance", StepStatus.FAILED, SENTENCE))
    summary = checklist.findChildren(WrapLabel)[0]
    return checklist, summary


def _finding(part: str) -> Callable[[], tuple[QWidget, QLabel]]:
    def make() -> tuple[QWidget, QLabel]:
        finding = Finding(
            "AGENT_URL_DIFFERS",
            Severity.WARNING,
            params={"host": "https://acme.halopsa.com", "reported_agent_url": URL},
        )
        view = FindingView(finding, open_url=lambda _url: None)
        if part == "title":
            return view, view.title
        if part == "detail":
            return view, view.detail
        assert view.steps is not None
        return view, view.steps.findChildren(WrapLabel)[0]

    return make


LABELS: dict[str, Callable[[], tuple[QWidget, QLabel]]] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "selectable": _selectable,
    "rich text": _rich,
    "call-out": _callout,
    "verdict": _summary,
    "checklist summary": _checklist,
    "finding title": _finding("title"),
    "finding detail": _finding("detail"),
    "finding fix": _finding("fix"),
}


@pytest.mark.parametrize("kind", list(LABELS))
def test_a_long_address_wraps_only_after_a_slash_or_a_dot(qtbot: Any, kind: str) -> None:
    widget, label = LABELS[kind]()
    holder = _holder(widget)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    narrowest = holder.minimumSizeHint().width()
    widest = narrowest + QFontMetrics(label.font()).horizontalAdvance(SENTENCE)
    most_lines = 0
    for width in range(narrowest, widest, 9):
        holder.setFixedWidth(width)
        QApplication.processEvents()
        lines = laid_out_lines(label)
        assert_breaks_only_after_slash_or_dot(lines)
        most_lines = max(most_lines, len(breaks_inside(lines, URL)) + 1)
        assert label.width() <= width, "the label sticks out of its place"
    # The address did wrap (a finding's buttons keep it wider: fewer breaks there), so the
    # test saw real breaks, not one line.
    assert most_lines >= (2 if kind.startswith("finding") else 4)


def test_qt_alone_breaks_the_address_at_its_hyphen(qtbot: Any) -> None:
    """Why the labels mark addresses: the measure above sees the break they prevent."""
    label = QLabel(SENTENCE)
    label.setWordWrap(True)
    holder = _holder(label)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    bad = []
    metrics = QFontMetrics(label.font())
    for width in range(metrics.horizontalAdvance("acme-support.halopsa.com/"), 400, 9):
        holder.setFixedWidth(width)
        QApplication.processEvents()
        bad.extend(before for before, _after in breaks_inside(laid_out_lines(label), URL))
    assert any(before.endswith("acme-") for before in bad), bad


def test_a_label_in_a_narrow_window_keeps_its_address_whole_between_breaks(qtbot: Any) -> None:
    """What a 200% screen and a narrow window show: rendered for a look (tests/_renders)."""
    finding = Finding(
        "AGENT_URL_DIFFERS",
        Severity.WARNING,
        params={"host": "https://acme.halopsa.com", "reported_agent_url": URL},
    )
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.addWidget(heading(f"Looking for Halo at {URL}\u2026"))
    layout.addWidget(Callout.titled("error", "Not found.", SENTENCE))
    layout.addWidget(FindingView(finding, open_url=lambda _url: None))
    # As narrow as the finding allows (its buttons and code set that), and no narrower.
    width = max(260, box.minimumSizeHint().width())
    box.setFixedWidth(width)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.setFixedHeight(layout.totalHeightForWidth(width))
    QApplication.processEvents()
    for label in box.findChildren(WrapLabel):
        if URL in label.plain_text():
            assert_breaks_only_after_slash_or_dot(laid_out_lines(label))
    shot(box, "line-breaks", "narrow")  # type: ignore[arg-type]


# ----- the marks are for display only -----


@pytest.mark.parametrize(
    "value",
    [
        "Write to support@acme-corp.com or first.last@acme.com.",
        "Halo 2.236.133, and Halo 2.234 and later. The end.",
        "Base-64 encoded, e-mail, read:tickets, e.g. this one.",
        "A Halo Client ID looks like 1a2b3c4d-0000-4000-8000-123456789abc.",
    ],
)
def test_sentences_numbers_and_e_mail_addresses_are_left_as_they_are(value: str) -> None:
    assert breakable(value) == value


def test_an_address_at_the_end_of_a_sentence_keeps_its_full_stop_plain() -> None:
    shown = breakable(f"Use {URL}. Then test.")
    assert shown.endswith("authinfo. Then test.")
    assert shown.count(ZERO_WIDTH_SPACE) == 5 and NON_BREAKING_HYPHEN in shown
    assert unmarked(shown) == f"Use {URL}. Then test."


def test_rich_text_is_marked_in_its_text_never_in_its_tags() -> None:
    value = f'Open <a href="{URL}">{html.escape(URL)}</a> in <b>acme-support</b>.'
    shown = breakable(value, rich=True)
    assert f'<a href="{URL}">' in shown and "<b>acme-support</b>" in shown
    assert "https://\u200bacme\u2011support.\u200b" in shown
    assert unmarked(shown) == value


def test_code_reads_the_real_text_and_screen_readers_hear_it(qtbot: Any) -> None:
    label = WrapLabel(SENTENCE, selectable=True)
    qtbot.addWidget(label)
    assert label.text() == SENTENCE and label.plain_text() == SENTENCE
    assert any(mark in label.shown_text() for mark in MARKS)
    assert label.accessibleName() == SENTENCE
    label.setText("No address here.")
    assert label.accessibleName() == "" and label.shown_text() == "No address here."
    callout = Callout.titled("error", "Not found.", SENTENCE)
    qtbot.addWidget(callout)
    rich = callout.label
    assert rich.plain_text() == f"Not found. {SENTENCE}"
    assert rich.accessibleName() == f"Not found. {SENTENCE}"


def _shown(qtbot: Any, widget: QWidget, width: int = 220) -> QWidget:
    holder = _holder(widget)
    holder.setFixedWidth(width)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    return holder


def _clipboard() -> str:
    return QGuiApplication.clipboard().text()


def test_copying_a_selection_with_ctrl_c_gives_the_real_text(qtbot: Any) -> None:
    label = WrapLabel(SENTENCE, selectable=True)
    holder = _shown(qtbot, label)
    QGuiApplication.clipboard().setText("before")
    # Selected with the mouse, from the first character to the last, as an admin does.
    end = QPoint(label.width() - 1, label.height() - 2)
    qtbot.mousePress(label, Qt.MouseButton.LeftButton, pos=QPoint(0, 2))
    qtbot.mouseMove(label, end)
    qtbot.mouseRelease(label, Qt.MouseButton.LeftButton, pos=end)
    assert label.hasSelectedText()
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert _clipboard() == SENTENCE
    # Part of it: "acme-support.halopsa" as shown, with its marks, copies as typed.
    shown = label.shown_text()
    start = shown.index("acme")
    label.setSelection(start, shown.index("halopsa") + len("halopsa") - start)
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert _clipboard() == "acme-support.halopsa"
    # Ctrl+A selects all of it.
    qtbot.keyClick(label, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert _clipboard() == SENTENCE
    holder.close()


def test_a_selection_is_never_dragged_out_with_its_marks(qtbot: Any) -> None:
    """A drag would carry the text as shown: a press on a label's selection starts a new
    selection (Qt's label never drags it), so no drag ever starts."""
    label = WrapLabel(SENTENCE, selectable=True)
    holder = _shown(qtbot, label)
    label.select_all()
    middle = QPoint(label.width() // 2, 3)
    qtbot.mousePress(label, Qt.MouseButton.LeftButton, pos=middle)
    assert not label.hasSelectedText(), "a drag of the text with its marks could start here"
    qtbot.mouseRelease(label, Qt.MouseButton.LeftButton, pos=middle)
    holder.close()


def _context_menu(qtbot: Any, label: WrapLabel) -> QMenu:
    point = QPoint(5, 5)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, label.mapToGlobal(point))
    QApplication.sendEvent(label, event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def _choose(qtbot: Any, menu: QMenu, name: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(name))
    assert action.isEnabled(), f"{name} is disabled"
    action.trigger()
    menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=3000)


# The offscreen platform of the tests cannot raise a menu or give it the keyboard; a real
# one can. Only this test opens menus.
@pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
def test_the_context_menu_selects_all_and_copies_the_real_text(qtbot: Any) -> None:
    callout = Callout.titled("error", "Not found.", SENTENCE)
    holder = _shown(qtbot, callout, 300)
    label = callout.label
    QGuiApplication.clipboard().setText("before")
    menu = _context_menu(qtbot, label)
    copy = next(a for a in menu.actions() if a.text().startswith("&Copy"))
    assert not copy.isEnabled(), "nothing is selected yet"
    _choose(qtbot, menu, "Select All")
    assert label.hasSelectedText()
    _choose(qtbot, _context_menu(qtbot, label), "Copy")
    copied = _clipboard()
    assert copied == f"Not found. {SENTENCE}"
    assert not any(mark in copied for mark in MARKS)
    holder.close()


def test_the_address_page_shows_the_address_marked_and_copies_it_as_typed(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
    )
    window = open_at(make_wizard, StepKey.HOSTNAME, state)
    hostname: Any = window.current_page()
    qtbot.keyClicks(hostname.address, "acme-support.halopsa.com/portal/")
    preview: WrapLabel = hostname.preview
    assert preview.text() == "https://acme-support.halopsa.com"
    assert NON_BREAKING_HYPHEN in preview.shown_text()
    # The field itself is never touched: what was typed stays typed.
    assert hostname.address.text() == "acme-support.halopsa.com/portal/"
    shot(window, "line-breaks", "05-hostname")
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    preview.select_all()
    qtbot.keyClick(preview, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert _clipboard() == "https://acme-support.halopsa.com"
