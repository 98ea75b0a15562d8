"""The whole wizard with the keyboard alone: Tab, Space, Return and typing, nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS
from wizard.flow import StepKey
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


class Keyboard:
    """Sends keys to whichever widget has the focus, as a person at the keyboard does."""

    def __init__(self, qtbot: Any, window: WizardWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key) -> None:
        QTest.keyClick(self.focused(), key)

    def type(self, value: str) -> None:
        QTest.keyClicks(self.focused(), value)

    def tab_to(self, target: QWidget, limit: int = 15) -> list[str]:
        """Press Tab until `target` has the focus; return the accessible names passed."""
        passed = []
        for _ in range(limit):
            if self.focused() is target:
                return passed
            passed.append(self.focused().accessibleName())
            self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {target.accessibleName()!r}; passed {passed}")

    def at(self, step: StepKey) -> Any:
        self.qtbot.waitUntil(lambda: self.window.context.flow.current is step, timeout=8000)
        self.qtbot.waitUntil(lambda: self.window.currentPage() is self.window.page_for(step))
        return self.window.page_for(step)

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.window.current_page().busy, timeout=8000)


def test_keyboard_alone_goes_from_welcome_to_a_written_connection_file(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    with qtbot.waitActive(window):
        window.activateWindow()
    keys = Keyboard(qtbot, window)
    return_key, space, tab = Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Tab

    welcome = keys.at(StepKey.WELCOME)
    assert keys.focused() is welcome.new
    keys.press(space)
    keys.press(return_key)

    tool = keys.at(StepKey.TOOL)
    assert keys.focused() is tool.tools["rewst"]
    # The arrows choose as they move: down to "A script of my own".
    order = list(tool.tools)
    for _ in range(order.index("script") - order.index("rewst")):
        keys.press(Qt.Key.Key_Down)
    assert keys.focused() is tool.tools["script"]
    assert window.context.flow.state.tool == "script"
    keys.press(return_key)

    create = keys.at(StepKey.CREATE_APP)
    # The method comes first on the page: the usual one, the secret, is chosen already.
    assert keys.focused() is create.secret_method and create.secret_method.isChecked()
    keys.press(return_key)

    identity = keys.at(StepKey.IDENTITY)
    assert keys.focused() is identity.agent
    keys.press(space)
    keys.press(return_key)

    scopes = keys.at(StepKey.SCOPES)
    # The purpose chosen for the tool (read tickets for a script) has the focus, not Copy.
    qtbot.waitUntil(lambda: keys.focused() is scopes.preset_buttons["read_tickets"])
    keys.press(space)
    assert window.context.flow.state.scopes == ("read:tickets",)
    keys.press(return_key)

    hostname = keys.at(StepKey.HOSTNAME)
    assert keys.focused() is hostname.address
    keys.type(halo.url)
    keys.press(return_key)

    keys.at(StepKey.TENANT)
    keys.idle()
    assert window.context.flow.state.discovery is not None
    keys.press(return_key)

    credentials = keys.at(StepKey.CREDENTIALS)
    assert keys.focused() is credentials.client_id
    keys.type(halo.client_id)
    keys.press(tab)
    assert keys.focused() is credentials.secret
    keys.type(halo.client_secret)
    keys.press(return_key)

    live_test = keys.at(StepKey.TEST)
    keys.idle()
    assert live_test.summary.label.text() == "The connection works."
    assert keys.focused() is live_test.again_button
    keys.press(return_key)

    export = keys.at(StepKey.EXPORT)
    passed = keys.tab_to(export.save_button)
    # Reading order: where the secret goes, then the file's place, then saving it.
    assert passed[-2:] == [
        "Where to save the connection file",
        "Choose where to save the connection file",
    ]
    keys.press(space)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=8000)
    path = window.context.flow.state.exported_to
    assert path is not None
    assert json.loads(Path(path).read_text(encoding="utf-8"))["client_id"] == halo.client_id
    keys.press(return_key)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)


def _reading_position(page: Any, widget: QWidget) -> tuple[int, int, int]:
    """Where `widget` sits on `page` for a reader: the part above the scroll area, then down."""
    content = page.scroll_area.widget()
    if content.isAncestorOf(widget):
        point = widget.mapTo(content, widget.rect().topLeft())
        return (1, point.y(), point.x())
    point = widget.mapTo(page, widget.rect().topLeft())
    return (0, point.y(), point.x())


def assert_tab_order_follows_reading_order(keys: Keyboard, window: WizardWindow) -> list[str]:
    """Tab through the current page from its first control; the focus must go down the page."""
    page = window.current_page()
    first = page.nextInFocusChain()
    while not (
        first.focusPolicy() & Qt.FocusPolicy.TabFocus and first.isVisible() and first.isEnabled()
    ):
        first = first.nextInFocusChain()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[QWidget] = []
    while page.isAncestorOf(keys.focused()) and keys.focused() not in visited:
        visited.append(keys.focused())
        keys.press(Qt.Key.Key_Tab)
    positions = [_reading_position(page, widget) for widget in visited]
    for before, after, widget in zip(positions, positions[1:], visited[1:], strict=False):
        same_row = before[0] == after[0] and abs(before[1] - after[1]) <= 8
        assert (same_row and after[2] > before[2]) or after[:2] > before[:2], (
            f"{type(page).__name__}: Tab goes up to {widget.accessibleName()!r}"
        )
    return [widget.accessibleName() for widget in visited]


def test_tab_order_follows_reading_order_on_every_page(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tests.ui.driver as driver
    from tests.ui.driver import click_next, enter_credentials, wait_idle, walk_to_credentials

    halo = start_halo("agent_no_permission")
    window = make_wizard()
    with qtbot.waitActive(window):
        window.activateWindow()
    keys = Keyboard(qtbot, window)
    orders: dict[str, list[str]] = {}

    original = click_next

    def next_checking(qtbot: Any, window: WizardWindow, expect: StepKey) -> Any:
        orders[window.current_page().key.value] = assert_tab_order_follows_reading_order(
            keys, window
        )
        return original(qtbot, window, expect)

    # Check each page just before the admin leaves it, all the way to the credentials.
    monkeypatch.setattr(driver, "click_next", next_checking)
    walk_to_credentials(qtbot, window, halo)
    monkeypatch.undo()
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    orders["credentials"] = assert_tab_order_follows_reading_order(keys, window)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    orders["test"] = assert_tab_order_follows_reading_order(keys, window)
    click_next(qtbot, window, StepKey.EXPORT)
    orders["export"] = assert_tab_order_follows_reading_order(keys, window)
    # "Open the connection" is on the support path only: tests/ui/test_diagnose.py.
    assert set(orders) == {step.value for step in StepKey} - {StepKey.OPEN.value}
    assert orders["credentials"][:3] == ["Client ID", "Client secret", "Show the secret"]
    assert orders["test"][:2] == [
        "Test the connection again",
        "Copy the whole test report, for support",
    ]
