"""`halo-wizard --exit-after-first-paint`: the packaged app's smoke test and start-up benchmark.

And what the first paint waits for: only the first page. The later pages, and what they
need (the engine, the keychain, asyncio itself), load after it, when first used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.test_cli import REPO, _env
from tests.ui.conftest import FakeKeychain, WizardFactory
from tests.ui.driver import click, click_next, page
from wizard.flow import StepKey, WizardFlow
from wizard.ui import text
from wizard.ui.app import paint_first
from wizard.ui.context import Services, UiContext
from wizard.ui.pages import page_module
from wizard.ui.pages.base import page_id
from wizard.ui.window import WizardWindow


def run_window(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=REPO,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize("extra", [[], ["--demo"]], ids=["wizard", "demo"])
def test_the_window_prints_its_first_page_once_painted_and_exits_0(extra: list[str]) -> None:
    result = run_window("--exit-after-first-paint", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"first page painted: {text.WELCOME_TITLE}"]
    assert "Traceback" not in result.stderr


def test_the_option_is_not_in_the_help() -> None:
    result = run_window("--help")
    assert result.returncode == 0
    assert "--demo" in result.stdout
    assert "first-paint" not in result.stdout


# What `halo-wizard` must not have imported when its first page is painted: each costs
# start-up time (`python bench/bench_gui.py` measures it) and is needed only later.
NOT_BEFORE_THE_FIRST_PAINT = (
    "asyncio",  # the qasync loop starts once the first page is painted
    "qasync",
    "ssl",
    "requests",
    "urllib3",
    "cryptography",
    "keyring",
    "jwt",
    "tomllib",
    "wizard.core.engine",
    "wizard.core.http",
    "wizard.core.htmlreport",
    "wizard.core.connection_file",
    "wizard.core.recipes",
    "wizard.core.secrets",
    "wizard.sim",
    "wizard.tasks",
    "wizard.ui.demo",
    "wizard.ui.about",
    # Started once the first page is painted: the log and the crash reporter (an error
    # before then is held and reported by it), and the verdict's engine modules.
    "wizard.core.log",
    "wizard.ui.crash",
    "wizard.core.model",
    "logging.handlers",
    *(page_module(key) for key in StepKey if key is not StepKey.WELCOME),
)

# Started exactly as the start-up benchmark starts `halo-wizard` (bench/_gui_child.py): at the
# first paint of the window, it prints what was imported and which pages were made.
AT_FIRST_PAINT = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from wizard.ui.app import application

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            if window.isVisible():
                made = [key.value for key in window.pages]
                print(json.dumps({"modules": sorted(sys.modules), "pages": made}), flush=True)
                os._exit(0)
        return False

app = application(sys.argv[:1])
probe = FirstPaint()
app.installEventFilter(probe)
from wizard.cli import main
main([])
"""


def test_the_first_paint_waits_for_the_first_page_only() -> None:
    result = subprocess.run(
        [sys.executable, "-c", AT_FIRST_PAINT],
        cwd=REPO,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    painted = json.loads(result.stdout.splitlines()[-1])
    assert painted["pages"] == [StepKey.WELCOME.value]
    loaded = set(painted["modules"])
    too_soon = sorted(
        name
        for name in NOT_BEFORE_THE_FIRST_PAINT
        if name in loaded or any(module.startswith(name + ".") for module in loaded)
    )
    assert too_soon == [], f"imported before the first page was painted: {too_soon}"


def test_a_later_page_is_made_when_the_flow_first_goes_to_it(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    assert list(window.pages) == [StepKey.WELCOME]
    assert window.pageIds() == [page_id(StepKey.WELCOME)]
    assert window.made_page(StepKey.TOOL) is None
    click(qtbot, page(window).new)
    tool = click_next(qtbot, window, StepKey.TOOL)
    assert window.made_page(StepKey.TOOL) is tool
    assert window.page(page_id(StepKey.TOOL)) is tool
    assert list(window.pages) == [StepKey.WELCOME, StepKey.TOOL]
    # Back and Next again show the same page, not a new one.
    window.back()
    qtbot.waitUntil(lambda: window.currentId() == page_id(StepKey.WELCOME))
    assert click_next(qtbot, window, StepKey.TOOL) is tool
    assert list(window.pages) == [StepKey.WELCOME, StepKey.TOOL]


def test_a_page_asked_for_before_it_is_shown_is_made_then_and_shown_later(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    create_app = window.page_for(StepKey.CREATE_APP)
    assert window.page_for(StepKey.CREATE_APP) is create_app
    assert window.page(page_id(StepKey.CREATE_APP)) is create_app
    assert not create_app.isVisible()
    assert window.current_page() is window.page_for(StepKey.WELCOME)
    click(qtbot, page(window).new)
    click_next(qtbot, window, StepKey.TOOL)
    click(qtbot, page(window).tools["script"])
    assert click_next(qtbot, window, StepKey.CREATE_APP) is create_app
    assert create_app.isVisible()


def test_paint_first_returns_once_the_first_page_is_painted(
    qtbot: Any, event_loop_qt: Any, keychain: FakeKeychain
) -> None:
    context = UiContext(flow=WizardFlow(), services=Services(secret_store=keychain))
    window = WizardWindow(context)
    qtbot.addWidget(window)
    first_paint = paint_first(window)
    assert first_paint.title == text.WELCOME_TITLE
    assert window.isVisible()
    assert list(window.pages) == [StepKey.WELCOME]
    window.close_now()
