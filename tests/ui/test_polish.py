"""What a new admin notices first: visible controls in dark mode, focus, Return, the title."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, choose_tool, click, click_next, page, shot
from wizard.flow import AppChoice, StepKey, WizardState
from wizard.ui import text, theme
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


@pytest.fixture
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    yield demo
    demo.stop()


def _strongest_contrast(image: QImage, area: QRect, background: QColor) -> float:
    best = 1.0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            best = max(best, theme.contrast(image.pixelColor(x, y), background))
    return best


@pytest.mark.parametrize("kind", [QRadioButton, QCheckBox, QLineEdit])
def test_radio_buttons_check_boxes_and_fields_have_visible_outlines_in_dark_mode(
    qtbot: Any, make_wizard: WizardFactory, kind: type[QWidget]
) -> None:
    make_wizard()  # the wizard's style, as an admin gets it
    palette = theme.dark_palette()
    holder = QWidget()
    holder.setPalette(palette)
    layout = QVBoxLayout(holder)
    control = kind()
    if isinstance(control, QRadioButton | QCheckBox):
        control.setText("An answer")
    layout.addWidget(control)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    image = QImage(control.size(), QImage.Format.Format_ARGB32)
    background = palette.color(palette.ColorRole.Window)
    image.fill(background)
    control.render(image)
    if isinstance(control, QLineEdit):
        # The field's left edge, where only its outline is drawn.
        area = QRect(0, 2, 3, control.height() - 4)
        behind = palette.color(palette.ColorRole.Window)
    else:
        size = control.style().pixelMetric(control.style().PixelMetric.PM_IndicatorWidth)
        area = QRect(0, 0, size + 2, control.height())
    # WCAG asks 3:1 for the parts of a control needed to see it.
    assert _strongest_contrast(image, area, behind if kind is QLineEdit else background) >= 3.0
    assert theme.contrast(theme.outline_colour(palette), background) >= 3.0
    assert (
        theme.contrast(theme.outline_colour(palette), palette.color(palette.ColorRole.Base)) >= 3.0
    )


def test_the_first_answer_has_the_keyboard_focus_and_it_shows(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    welcome = page(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is welcome.new)
    # The flag Fusion draws focus frames by; Qt sets it only once a key moved the focus.
    qtbot.waitUntil(lambda: window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange))
    focused = welcome.new.grab().toImage()
    shot(window, "polish", "welcome-focus")
    QTest.keyClick(welcome.new, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not welcome.new)
    unfocused = welcome.new.grab().toImage()
    assert focused != unfocused, "the focus frame is not drawn"


def test_return_on_the_first_page_goes_on_once_an_answer_is_chosen(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    welcome = page(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is welcome.new)
    QTest.keyClick(welcome.new, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert window.context.flow.current is StepKey.WELCOME
    assert welcome.blocked.isVisible()
    # Down arrow moves to the second answer and chooses it, as the focus ring suggests.
    QTest.keyClick(welcome.new, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is welcome.existing
    assert window.context.flow.state.app_choice is AppChoice.EXISTING
    # and the focus frame moved with it.
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    shot(window, "polish", "welcome-chosen")
    QTest.keyClick(welcome.existing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.TOOL)


def _shown_title(window: WizardWindow) -> str:
    """The title bar's text on Windows and Linux: Qt appends the application's display name
    unless the window's title already ends with it (QPlatformWindow::formatWindowTitle)."""
    title = window.windowTitle()
    name = QApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} - {name}"


def test_the_title_names_the_program_once(
    qtbot: Any, qapp: QApplication, make_wizard: WizardFactory, session: DemoSession
) -> None:
    qapp.setApplicationDisplayName(text.APP_NAME)  # as wizard.ui.app does
    window = make_wizard()
    assert _shown_title(window) == "Halo connection wizard"
    window.close_now()
    demo = make_wizard(demo_state(session), demo=session)
    assert _shown_title(demo) == "Halo connection wizard (demo)"
    assert _shown_title(demo).lower().count("halo connection wizard") == 1


def test_the_quit_question_is_wider_than_tall(qtbot: Any, make_wizard: WizardFactory) -> None:
    window = make_wizard(WizardState(client_id_text="id", secret_text="secret"))
    window.reject()
    box = window.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    qtbot.waitExposed(box)
    assert box.width() > box.height() * 1.5, box.size()
    assert box.width() >= box.fontMetrics().averageCharWidth() * 50
    shot(box, "polish", "quit")  # type: ignore[arg-type]
    box.reject()


def test_the_boxes_to_tick_are_in_view_without_scrolling(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).new)
    choose_tool(qtbot, window)
    click_next(qtbot, window, StepKey.CREATE_APP)
    identity = click_next(qtbot, window, StepKey.IDENTITY)
    click(qtbot, identity.agent)  # type: ignore[attr-defined]
    scopes: Any = click_next(qtbot, window, StepKey.SCOPES)
    click(qtbot, scopes.preset_buttons["ticket_sync"])
    shot(window, "polish", "scopes")

    def in_view(widget: QWidget) -> bool:
        corner = widget.mapTo(window, QPoint(0, 0))
        shown = QRect(corner, widget.size())
        return window.rect().contains(shown) and not widget.visibleRegion().isEmpty()

    assert scopes.scroll_area.verticalScrollBar().value() == 0
    for widget in (scopes.tick_box, scopes.tick_list, scopes.copy_button):
        assert widget.isVisible() and in_view(widget), widget
    assert scopes.tick_list.text() == "read:tickets\nedit:tickets\nread:customers"
    # Still in view after scrolling down to the last boxes, and it follows them.
    bar = scopes.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    click(qtbot, scopes.boxes["read:reporting"])
    assert in_view(scopes.tick_list)
    assert "read:reporting" in scopes.tick_list.text()
    shot(window, "polish", "scopes-scrolled")
