"""Helpers to drive the wizard as an admin would, and to render its pages to PNG files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QWizard

from wizard.flow import StepKey
from wizard.sim import SimulatedHalo
from wizard.ui.pages.base import FlowPage, page_id
from wizard.ui.theme import dark_palette
from wizard.ui.window import WizardWindow

# Every Qt warning fails a test (as in qutebrowser), except one the offscreen platform used
# for the tests prints for every dialog it shows; a real platform does not.
QT_LOG_MARKS = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)"),
]

NEXT = QWizard.WizardButton.NextButton
BACK = QWizard.WizardButton.BackButton
FINISH = QWizard.WizardButton.FinishButton
WAIT_MS = 8000
RENDERS = Path(__file__).resolve().parent.parent / "_renders"


def page(window: WizardWindow) -> Any:
    """The page on screen (typed loosely: tests reach into each page's widgets)."""
    return window.current_page()


def click_next(qtbot: Any, window: WizardWindow, expect: StepKey) -> FlowPage:
    button = window.button(NEXT)
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.currentId() == page_id(expect), timeout=WAIT_MS)
    assert window.context.flow.current is expect
    return window.current_page()


def click(qtbot: Any, widget: Any) -> None:
    """Click where an admin would: on a check box or radio button, its box, not its middle."""
    if (
        isinstance(widget, QAbstractButton)
        and widget.isCheckable()
        and not isinstance(widget, QPushButton)
    ):
        point = QPoint(widget.iconSize().width() // 2 + 2, widget.height() // 2)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_idle(qtbot: Any, window: WizardWindow) -> None:
    qtbot.waitUntil(lambda: not window.current_page().busy, timeout=WAIT_MS)


def choose_tool(qtbot: Any, window: WizardWindow, tool: str = "script") -> Any:
    """From Welcome, answered, to the tool's page, and choose `tool` there (by default the
    admin's own script, whose last page is the connection file and environment variables)."""
    current = click_next(qtbot, window, StepKey.TOOL)
    click(qtbot, current.tools[tool])
    assert window.context.flow.state.tool == tool
    return current


def walk_to_credentials(
    qtbot: Any,
    window: WizardWindow,
    halo: SimulatedHalo,
    *,
    shots: str | None = None,
    identity: str = "agent",
    tool: str = "script",
    preset: str | None = "ticket_sync",
) -> FlowPage:
    """From Welcome to the credentials page with the mouse and typing, as an admin would.

    `preset`: the purpose chosen on the Permissions page; None keeps the tool's scopes."""
    current = page(window)
    click(qtbot, current.new)
    shot(window, shots, "01-welcome")
    choose_tool(qtbot, window, tool)
    shot(window, shots, "01b-tool")
    current = click_next(qtbot, window, StepKey.CREATE_APP)
    shot(window, shots, "02-create-app")
    current = click_next(qtbot, window, StepKey.IDENTITY)
    click(qtbot, current.agent if identity == "agent" else current.application)
    shot(window, shots, "03-identity")
    current = click_next(qtbot, window, StepKey.SCOPES)
    if preset is not None:
        click(qtbot, current.preset_buttons[preset])
    shot(window, shots, "04-scopes")
    current = click_next(qtbot, window, StepKey.HOSTNAME)
    current.address.setFocus()
    qtbot.keyClicks(current.address, f" {halo.url}/api/ ")
    shot(window, shots, "05-hostname")
    current = click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    shot(window, shots, "06-tenant")
    return click_next(qtbot, window, StepKey.CREDENTIALS)


def enter_credentials(qtbot: Any, window: WizardWindow, client_id: str, secret: str) -> None:
    current = page(window)
    qtbot.keyClicks(current.client_id, client_id)
    qtbot.keyClicks(current.secret, secret)


def shot(window: WizardWindow, prefix: str | None, name: str) -> None:
    """Render the window to PNG in light and dark, at 100% and 200%, when `prefix` is given."""
    if prefix is None:
        return
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    RENDERS.mkdir(exist_ok=True)
    saved = app.palette()
    try:
        for mode, palette in (("light", app.style().standardPalette()), ("dark", dark_palette())):
            app.setPalette(palette)
            app.processEvents()
            for ratio in (1, 2):
                size = window.size()
                image = QImage(
                    size.width() * ratio, size.height() * ratio, QImage.Format.Format_ARGB32
                )
                image.setDevicePixelRatio(ratio)
                image.fill(palette.window().color())
                # The first render at a new pixel ratio can measure wrapped text anew and
                # post a relayout; let it settle, then render what a 200% screen would show.
                window.render(image)
                app.processEvents()
                image.fill(palette.window().color())
                window.render(image)
                image.save(str(RENDERS / f"{prefix}-{name}-{mode}-{ratio}x.png"))
    finally:
        app.setPalette(saved)
        app.processEvents()
