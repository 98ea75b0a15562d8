"""An error inside the wizard opens one dialog that says so, names the log and copies a report.

These tests turn off pytest-qt's own capture of exceptions in Qt slots: the reporter under
test is the one that must receive them.
"""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from tests.test_cli import REPO, _env
from tests.ui.driver import shot
from wizard import __version__
from wizard.core.log import log_status, register_secret, setup_logging, stop_logging
from wizard.ui import text
from wizard.ui.crash import CrashDialog, CrashReporter
from wizard.ui.tasks import TaskSlot

pytestmark = pytest.mark.qt_no_exception_capture


class Reporter:
    """A CrashReporter installed for one test, with what it was given to keep secret."""

    def __init__(self, log_folder: Path) -> None:
        self.on_screen = secrets.token_urlsafe(24)
        self.opened: list[Path] = []
        self.quit_calls = 0
        self.crash = CrashReporter(secrets=lambda: (self.on_screen,), open_folder=self._open)
        self.crash.quit = self._quit
        self.log_folder = log_folder

    def _open(self, folder: Path) -> bool:
        self.opened.append(folder)
        return True

    def _quit(self) -> None:
        self.quit_calls += 1

    @property
    def dialog(self) -> CrashDialog:
        assert self.crash.dialog is not None
        return self.crash.dialog

    def dialogs(self) -> list[CrashDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]


@pytest.fixture
def reporter(
    qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Reporter]:
    monkeypatch.setenv("HALO_WIZARD_LOG_DIR", str(tmp_path))
    setup_logging()
    made = Reporter(tmp_path)
    made.crash.install()
    yield made
    made.crash.uninstall()
    for dialog in made.dialogs():
        dialog.close()
        dialog.deleteLater()
    stop_logging()


def _raise_in_a_slot(error: BaseException) -> None:
    def slot() -> None:
        raise error

    QTimer.singleShot(0, slot)


def _wait_for_dialog(qtbot: Any, reporter: Reporter) -> CrashDialog:
    qtbot.waitUntil(lambda: reporter.crash.dialog is not None and reporter.dialog.isVisible())
    return reporter.dialog


def test_an_error_in_a_qt_slot_opens_the_dialog_with_the_log_path(
    qtbot: Any, reporter: Reporter
) -> None:
    _raise_in_a_slot(KeyError("tenant"))
    dialog = _wait_for_dialog(qtbot, reporter)
    assert dialog.windowTitle() == text.CRASH_TITLE
    assert dialog.heading.text() == text.CRASH_HEADING
    assert "not something you did" in dialog.explanation.text()
    assert dialog.what.text() == text.CRASH_WHAT.format(summary="KeyError: 'tenant'")
    log_file = reporter.log_folder / "halo-wizard.log"
    assert str(log_file) in dialog.log_place.text()
    assert dialog.folder_button.isVisible()
    labels = {b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()}
    assert {text.CRASH_COPY, text.CRASH_OPEN_LOG, text.CRASH_KEEP_GOING, text.CRASH_QUIT} <= labels
    logged = log_file.read_text(encoding="utf-8")
    assert "Unexpected error" in logged and "KeyError: 'tenant'" in logged
    assert "Traceback (most recent call last)" in logged
    shot(dialog, "crash", "dialog")  # type: ignore[arg-type]


def test_copy_report_has_the_versions_and_traceback_but_no_secret(
    qtbot: Any, reporter: Reporter
) -> None:
    typed_in_a_check = secrets.token_urlsafe(24)
    register_secret(typed_in_a_check)
    message = f"Halo said no to {typed_in_a_check} and {reporter.on_screen}"
    _raise_in_a_slot(RuntimeError(message))
    dialog = _wait_for_dialog(qtbot, reporter)
    assert typed_in_a_check not in dialog.what.text()
    assert reporter.on_screen not in dialog.what.text()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    report = QGuiApplication.clipboard().text()
    assert f"Halo connection wizard {__version__}" in report
    assert "Operating system:" in report and "Python:" in report and "Qt:" in report
    assert "RuntimeError: Halo said no to ***" in report
    assert "Traceback (most recent call last)" in report and "in slot" in report
    assert typed_in_a_check not in report and reporter.on_screen not in report
    assert dialog.said.text() == text.CRASH_COPIED
    logged = (reporter.log_folder / "halo-wizard.log").read_text(encoding="utf-8")
    assert typed_in_a_check not in logged and reporter.on_screen not in logged


def test_a_burst_of_errors_opens_one_dialog_that_counts_the_rest(
    qtbot: Any, reporter: Reporter
) -> None:
    _raise_in_a_slot(ValueError("first"))
    dialog = _wait_for_dialog(qtbot, reporter)
    for index in range(5):
        _raise_in_a_slot(ValueError(f"again {index}"))
    qtbot.waitUntil(lambda: reporter.crash.missed == 5)
    assert reporter.dialogs() == [dialog]
    assert dialog.what.text().endswith("ValueError: first")
    assert dialog.more.isVisible() and "5 more errors" in dialog.more.text()


def test_keep_going_closes_the_dialog_and_a_later_error_opens_a_new_one(
    qtbot: Any, reporter: Reporter
) -> None:
    _raise_in_a_slot(ValueError("first"))
    first = _wait_for_dialog(qtbot, reporter)
    first.keep_button.click()
    qtbot.waitUntil(lambda: reporter.crash.dialog is None)
    assert reporter.quit_calls == 0
    _raise_in_a_slot(ValueError("second"))
    second = _wait_for_dialog(qtbot, reporter)
    assert second is not first and second.what.text().endswith("ValueError: second")


def test_quit_closes_the_wizard_through_its_own_close(qtbot: Any, reporter: Reporter) -> None:
    _raise_in_a_slot(ValueError("boom"))
    dialog = _wait_for_dialog(qtbot, reporter)
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: reporter.quit_calls == 1)
    assert reporter.crash.dialog is None


def test_open_log_folder_opens_the_folder_of_the_log_file(qtbot: Any, reporter: Reporter) -> None:
    _raise_in_a_slot(ValueError("boom"))
    dialog = _wait_for_dialog(qtbot, reporter)
    dialog.folder_button.click()
    assert reporter.opened == [log_status().file.parent]
    assert reporter.opened == [reporter.log_folder]


def test_an_error_in_an_asyncio_callback_or_task_opens_the_dialog(
    qtbot: Any, reporter: Reporter, event_loop_qt: asyncio.AbstractEventLoop
) -> None:
    reporter.crash.watch(event_loop_qt)

    def callback() -> None:
        raise LookupError("in a callback")

    event_loop_qt.call_soon(callback)
    dialog = _wait_for_dialog(qtbot, reporter)
    assert dialog.what.text().endswith("LookupError: in a callback")
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: reporter.crash.dialog is None)

    async def task() -> None:
        raise ArithmeticError("in a task")

    TaskSlot().start(task())
    dialog = _wait_for_dialog(qtbot, reporter)
    assert dialog.what.text().endswith("ArithmeticError: in a task")


def test_an_error_in_a_thread_opens_the_dialog_on_the_gui_thread(
    qtbot: Any, reporter: Reporter
) -> None:
    def work() -> None:
        raise OSError("in a thread")

    worker = threading.Thread(target=work, name="test-worker")
    worker.start()
    worker.join(5)
    dialog = _wait_for_dialog(qtbot, reporter)
    assert dialog.what.text().endswith("OSError: in a thread")
    assert dialog.thread() is QApplication.instance().thread()  # type: ignore[union-attr]
    logged = (reporter.log_folder / "halo-wizard.log").read_text(encoding="utf-8")
    assert "in thread test-worker" in logged


def test_without_a_log_the_dialog_says_why(
    qtbot: Any, reporter: Reporter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("HALO_WIZARD_LOG_DIR", str(blocked / "logs"))
    setup_logging()
    _raise_in_a_slot(ValueError("boom"))
    dialog = _wait_for_dialog(qtbot, reporter)
    assert "No log file is being written" in dialog.log_place.text()
    assert not dialog.folder_button.isVisible()


def test_an_error_that_ends_the_wizard_leaves_only_quit(qtbot: Any, reporter: Reporter) -> None:
    seen: list[tuple[bool, bool, str, str]] = []

    def answer() -> None:
        dialog = reporter.crash.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, answer)
            return
        buttons = (dialog.keep_button.isVisible(), dialog.quit_button.isVisible())
        seen.append((*buttons, dialog.explanation.text(), dialog.what.text()))
        dialog.quit_button.click()

    QTimer.singleShot(0, answer)
    reporter.crash.show_final(RuntimeError("the window could not be made"))
    assert seen == [
        (False, True, text.CRASH_FINAL, "What happened: RuntimeError: the window could not be made")
    ]
    assert reporter.crash.dialog is None


def test_the_real_wizard_shows_the_dialog_and_quit_closes_it(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QTimer
        from wizard.ui.app import application
        from wizard.ui.crash import CrashDialog
        from wizard.cli import main

        app = application()

        def fail():
            raise ZeroDivisionError("inside the wizard")

        def answer():
            for widget in app.topLevelWidgets():
                if isinstance(widget, CrashDialog) and widget.isVisible():
                    print("DIALOG", widget.what.text(), flush=True)
                    widget.quit_button.click()
                    return
            QTimer.singleShot(20, answer)

        QTimer.singleShot(0, fail)
        QTimer.singleShot(0, answer)
        sys.exit(main([]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen", "HALO_WIZARD_LOG_DIR": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "DIALOG What happened: ZeroDivisionError: inside the wizard" in result.stdout, (
        result.stdout + result.stderr
    )
    assert result.returncode == 1, "Quit closes the wizard as cancelled"
    log = (tmp_path / "halo-wizard.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: inside the wizard" in log and "Quit chosen" in log
