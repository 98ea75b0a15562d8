"""An error inside the wizard opens a dialog that says so, instead of the window vanishing.

Unhandled exceptions reach the CrashReporter from three places: Qt slots and overrides
(sys.excepthook, which PySide6 calls), asyncio callbacks and tasks (the loop's exception
handler) and threads (threading.excepthook). Each is logged with its traceback, and one
dialog at a time says what happened, where the log is, and offers a report to copy. The
dialog's text and the report are redacted like the log: no secret ever reaches either.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from wizard import __version__
from wizard.core.log import log_status, redact, register_secret
from wizard.ui import text, theme
from wizard.ui.widgets import WrapLabel, copy_to_clipboard, push_button

if TYPE_CHECKING:
    import asyncio

_log = logging.getLogger(__name__)

KEEP_GOING, QUIT = 0, 2
SUMMARY_LENGTH = 300


def summary(error: BaseException) -> str:
    """The exception's type and the first line of its message: "KeyError: 'tenant'"."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > SUMMARY_LENGTH:
        first = first[: SUMMARY_LENGTH - 1] + "\u2026"
    name = type(error).__name__
    return redact(f"{name}: {first}" if first else name)


def report_text(error: BaseException) -> str:
    """What Copy report puts on the clipboard: versions, OS, log path, the redacted traceback."""
    import platform

    from PySide6 import __version__ as pyside6_version
    from PySide6.QtCore import qVersion

    from wizard.core.doctor import os_description

    status = log_status()
    trace = "".join(traceback.format_exception(error))
    return redact(
        text.CRASH_REPORT.format(
            version=__version__,
            os=os_description(),
            python=f"{platform.python_version()} ({platform.python_implementation()})",
            qt=f"{qVersion()} (PySide6 {pyside6_version})",
            frozen="yes" if getattr(sys, "frozen", False) else "no",
            log=status.file if status.writing else status.reason,
            traceback=trace.rstrip(),
        )
    )


def _open_folder(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class CrashDialog(QDialog):
    """Says that the wizard hit an error, what it was, where the log is; Keep going or Quit."""

    def __init__(
        self,
        error: BaseException,
        *,
        open_folder: Callable[[Path], bool] = _open_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._error = error
        self._open_folder_with = open_folder
        self._status = log_status()
        self.setWindowTitle(text.CRASH_TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        words = QVBoxLayout()
        words.setSpacing(10)
        self.heading = WrapLabel(text.CRASH_HEADING)
        self.heading.setFont(theme.bold(self.heading.font()))
        self.explanation = WrapLabel(text.CRASH_NOT_YOUR_FAULT)
        self.what = WrapLabel(text.CRASH_WHAT.format(summary=summary(error)), selectable=True)
        if self._status.writing:
            where = text.CRASH_LOG.format(path=self._status.file)
        else:
            where = text.CRASH_NO_LOG.format(reason=self._status.reason or "")
        self.log_place = WrapLabel(where, selectable=True)
        self.more = WrapLabel()
        self.more.setVisible(False)
        self.support = WrapLabel(text.CRASH_ASK_SUPPORT)
        self.said = WrapLabel()
        self.said.setVisible(False)
        for label in (
            self.heading,
            self.explanation,
            self.what,
            self.log_place,
            self.more,
            self.support,
            self.said,
        ):
            words.addWidget(label)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(words, 1)

        buttons = QDialogButtonBox()
        self.copy_button = push_button(text.CRASH_COPY, text.CRASH_COPY_NAME)
        self.folder_button = push_button(text.CRASH_OPEN_LOG, text.CRASH_OPEN_LOG_NAME)
        self.keep_button = push_button(text.CRASH_KEEP_GOING)
        self.quit_button = push_button(text.CRASH_QUIT)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        # After addButton, which shows every button it is given.
        self.folder_button.setVisible(self._status.writing)
        self.keep_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

        self.copy_button.clicked.connect(self.copy_report)
        self.folder_button.clicked.connect(self.open_log_folder)
        self.quit_button.clicked.connect(self.quit)
        buttons.rejected.connect(self.reject)

    def copy_report(self) -> None:
        copy_to_clipboard(report_text(self._error))
        self._say(text.CRASH_COPIED)

    def open_log_folder(self) -> None:
        folder = self._status.file.parent
        if not self._open_folder_with(folder):
            self._say(text.CRASH_OPEN_LOG_FAILED.format(path=folder))

    def quit(self) -> None:
        self.done(QUIT)

    def make_final(self) -> None:
        """For an error that ended the wizard: only Quit is left to choose."""
        self.explanation.setText(text.CRASH_FINAL)
        self.keep_button.setVisible(False)
        self.quit_button.setDefault(True)

    def count_more(self, count: int) -> None:
        self.more.setText(text.CRASH_MORE.format(count=count, s=text.plural(count)))
        self.more.setVisible(True)

    def _say(self, message: str) -> None:
        self.said.setText(message)
        self.said.setVisible(True)


class CrashReporter(QObject):
    """Receives every unhandled exception, logs it, and shows one CrashDialog at a time.

    `secrets` gives the secrets on screen at the moment of the error (the secret field), so
    they are redacted from the log and the report even if no check has run yet. `quit` is
    how Quit closes the wizard (its window's close_now); without it, all windows close.

    Signals:
        arrived: an exception, from any thread; the dialog opens on the GUI thread.
    """

    arrived = Signal(object)

    def __init__(
        self,
        *,
        secrets: Callable[[], Iterable[str]] = tuple,
        open_folder: Callable[[Path], bool] = _open_folder,
    ) -> None:
        super().__init__()
        self.dialog: CrashDialog | None = None
        self.quit: Callable[[], None] | None = None
        self.missed = 0
        self._secrets = secrets
        self._open_folder = open_folder
        self._previous_excepthook: Callable[..., Any] | None = None
        self._previous_thread_hook: Callable[..., Any] | None = None
        # Queued even on the GUI thread: the dialog opens after the failing slot (perhaps
        # a paint event) has unwound, never inside it.
        self.arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # ----- the hooks -----

    def install(self) -> None:
        """Take over sys.excepthook and threading.excepthook (see watch for the loop)."""
        self._previous_excepthook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.set_exception_handler(self.loop_exception)

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook and self._previous_excepthook is not None:
            sys.excepthook = self._previous_excepthook
        if threading.excepthook == self.thread_excepthook and self._previous_thread_hook:
            threading.excepthook = self._previous_thread_hook

    def excepthook(
        self,
        kind: type[BaseException],
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            error = kind()
        if isinstance(error, KeyboardInterrupt):
            (self._previous_excepthook or sys.__excepthook__)(kind, error, trace)
            return
        if error.__traceback__ is None and trace is not None:
            error = error.with_traceback(trace)
        self.report(error)

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        message = str(context.get("message") or "")
        if not isinstance(error, BaseException):
            # "Task was destroyed but it is pending!" and the like: worth a line, no dialog.
            _log.warning("asyncio: %s", redact(message))
            return
        self.report(error, message)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        error = args.exc_value if args.exc_value is not None else args.exc_type()
        name = args.thread.name if args.thread is not None else "a thread"
        self.report(error, f"in thread {name}")

    # ----- reporting -----

    def report(self, error: BaseException, where: str = "") -> None:
        """Log `error` with its traceback and show the dialog for it; callable from any thread."""
        try:
            for secret in self._secrets():
                register_secret(secret)
        except Exception:  # nothing may stop the error from being reported
            _log.warning("The secrets on screen could not be read for redaction")
        _log.error("Unexpected error%s", f" ({redact(where)})" if where else "", exc_info=error)
        self.arrived.emit(error)

    def show_final(self, error: BaseException) -> None:
        """The dialog for an error that ended the wizard, waiting until it is closed.

        exec() is safe here, unlike while the wizard runs: no task is left to stall.
        """
        try:
            dialog = CrashDialog(error, open_folder=self._open_folder)
        except Exception:
            _log.exception("The error dialog could not be made")
            return
        dialog.make_final()
        self.dialog = dialog
        try:
            dialog.exec()
        finally:
            self.dialog = None
            dialog.deleteLater()

    def _show(self, error: BaseException) -> None:
        if self.dialog is not None:
            # A burst of errors (a failing timer, say) gives one dialog, not fifty.
            self.missed += 1
            self.dialog.count_more(self.missed)
            return
        try:
            dialog = CrashDialog(error, open_folder=self._open_folder)
        except Exception:
            # Caught here: raising would come straight back to this reporter, for ever.
            _log.exception("The error dialog could not be made")
            return
        self.dialog = dialog
        self.missed = 0
        dialog.finished.connect(self._closed)
        dialog.show()

    def _closed(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result == QUIT:
            _log.info("Quit chosen after an unexpected error")
            if self.quit is not None:
                self.quit()
            else:
                from PySide6.QtWidgets import QApplication

                QApplication.closeAllWindows()
