"""Start the wizard's window: the QApplication, the qasync loop, in demo mode a simulated Halo.

python -m wizard              the wizard
python -m wizard --demo       the wizard connected to a simulated Halo on this computer

An unhandled error anywhere in the window opens wizard.ui.crash's dialog rather than
ending the program in silence.

The first page is painted before anything it does not need is loaded: the window is made
with its first page only (the others are made when first shown), and Qt's own loop shows
it; the asyncio loop (qasync) starts once it has been painted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from wizard import __version__
from wizard.assets import APP_ICON, resource_path
from wizard.ui import text

if TYPE_CHECKING:
    from wizard.flow import WizardState
    from wizard.ui.crash import CrashReporter
    from wizard.ui.demo import DemoSession
    from wizard.ui.window import WizardWindow


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, made once, looking native on this platform in light and dark mode."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("halo-wizard")
    app.setApplicationDisplayName(text.APP_NAME)
    app.setApplicationVersion(__version__)
    icon = _icon()
    if icon is not None:
        app.setWindowIcon(icon)
    if (
        sys.platform == "win32"
        and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        and app.style().name().lower() == "windowsvista"
    ):
        # The classic Windows style has no dark mode; Fusion follows the system's palette.
        app.setStyle("Fusion")
    return app


def _icon() -> QIcon | None:
    path = resource_path(*APP_ICON)
    return QIcon(str(path)) if path is not None else None


def demo_state(session: DemoSession) -> WizardState:
    """The entries a demo starts with: the simulated Halo's address, Client ID and secret."""
    from wizard.flow import WizardState

    return WizardState(
        host_text=session.url,
        client_id_text=session.client_id,
        secret_text=session.client_secret,
    )


# Read by the packaged app's smoke test and the start-up benchmark: keep it exactly so.
FIRST_PAINT_LINE = "first page painted: {title}"

# How long the window waits for its first paint before the rest starts anyway: a window
# that is never drawn (started minimised, on a display that does not draw it) still works.
FIRST_PAINT_WAIT_MS = 1000


class FirstPaint(QObject):
    """Notices the window's first paint; with `exit_after`, then closes the window through its
    own close_now (the packaged app's smoke test and the start-up benchmark).

    Signals:
        painted: the first page has been painted (emitted once the paint is done).
    """

    painted = Signal()

    def __init__(self, window: WizardWindow, *, exit_after: bool = False) -> None:
        super().__init__(window)
        self._window = window
        self.exit_after = exit_after
        self.title: str | None = None
        # The window's own events only: Qt paints it first, before the widgets on it. (A
        # filter on the whole application would have PySide6 wrap every object that gets an
        # event, some of them Qt's private classes, which is slow the first time.)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.title is None
            and event.type() == QEvent.Type.Paint
            and watched is self._window
            and self._window.isVisible()
        ):
            self.title = self._window.currentPage().title()
            self._window.removeEventFilter(self)
            # After this event: the paint it announces has then been done.
            QTimer.singleShot(0, self, self._painted)
        return False

    def _painted(self) -> None:
        if self.exit_after:
            print(FIRST_PAINT_LINE.format(title=self.title), flush=True)
        self.painted.emit()
        if self.exit_after:
            self._window.close_now()


def paint_first(window: WizardWindow, *, exit_after_first_paint: bool = False) -> FirstPaint:
    """Show the window and run Qt's own loop until its first page is painted (or the window
    is closed, or FIRST_PAINT_WAIT_MS passed): asyncio and qasync load after that."""
    first_paint = FirstPaint(window, exit_after=exit_after_first_paint)
    loop = QEventLoop()
    waited = QTimer(loop)
    waited.setSingleShot(True)
    waited.timeout.connect(loop.quit)
    first_paint.painted.connect(loop.quit)
    window.finished.connect(loop.quit)
    window.show()
    waited.start(FIRST_PAINT_WAIT_MS)
    loop.exec()
    waited.stop()
    first_paint.painted.disconnect(loop.quit)
    window.finished.disconnect(loop.quit)
    return first_paint


async def show_wizard(
    window: WizardWindow,
    *,
    crash: CrashReporter | None = None,
    first_paint: FirstPaint | None = None,
) -> int:
    """Wait until the shown window is closed; 0 when finished, 1 when cancelled.

    When it closed after its first paint (exit_after_first_paint), the result is 0.
    """
    import asyncio

    if crash is not None:
        crash.watch(asyncio.get_running_loop())
    if window.isVisible():
        closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def finished(result: int) -> None:
            if not closed.done():
                closed.set_result(result)

        window.finished.connect(finished)
        result = await closed
    else:
        result = window.result()  # closed before the asyncio loop started
    if first_paint is not None and first_paint.title is not None and first_paint.exit_after:
        return 0
    return 0 if result == 1 else 1


def run(
    *,
    demo: bool = False,
    scenario: str = "healthy",
    ca_bundle: str | None = None,
    argv: Sequence[str] | None = None,
    exit_after_first_paint: bool = False,
    after_first_paint: Callable[[], None] | None = None,
) -> int:
    """Open the wizard and return the exit code once its window is closed.

    `after_first_paint` runs once the first page is painted (the command line starts its
    log there); the crash reporter is installed then too. An error before that is shown by
    the same reporter, made when it happens."""
    from wizard.flow import WizardFlow
    from wizard.ui.context import UiContext
    from wizard.ui.window import WizardWindow

    application(argv)
    session: DemoSession | None = None
    flow = WizardFlow()
    if demo:
        from wizard.ui.demo import DemoSession  # the simulator loads only for a demo

        session = DemoSession(scenario)
        session.start()
        _keep_profiles_in(session.folder)
        flow = WizardFlow(demo_state(session))
    context = UiContext(flow=flow, ca_bundle=ca_bundle, demo=session)
    crash: CrashReporter | None = None

    def reporter() -> CrashReporter:
        from wizard.ui.crash import CrashReporter

        return CrashReporter(secrets=lambda: (flow.state.secret_text, flow.state.kept_secret))

    # Until the crash reporter is made (after the first paint), an error in a slot is held,
    # then reported by it: never lost to the terminal.
    held: list[tuple[type[BaseException], BaseException, TracebackType | None]] = []
    previous_hook = sys.excepthook

    def hold(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        held.append((kind, error, trace))

    sys.excepthook = hold
    try:
        window = WizardWindow(context)
        first_paint = paint_first(window, exit_after_first_paint=exit_after_first_paint)
        # After the first paint: the log, the crash reporter, and the asyncio loop the
        # pages' tasks run on.
        if after_first_paint is not None:
            after_first_paint()
        sys.excepthook = previous_hook
        crash = reporter()
        crash.install()
        crash.quit = window.close_now
        for kind, error, trace in held:
            crash.excepthook(kind, error, trace)
        import qasync  # type: ignore[import-untyped]  # qasync ships no type information

        wizard = show_wizard(window, crash=crash, first_paint=first_paint)
        return int(qasync.run(wizard))
    except Exception as error:
        # The window is gone, or never opened: say so before the program ends. Not for a
        # smoke test, which nobody is watching and which needs the traceback, not a wait.
        if not exit_after_first_paint:
            (crash or reporter()).show_final(error)
        raise
    finally:
        if sys.excepthook is hold:
            sys.excepthook = previous_hook
        if crash is not None:
            crash.uninstall()
        if session is not None:
            session.stop()


def _keep_profiles_in(folder: str) -> None:
    """The demo's profiles live in its own folder, never among this computer's real ones."""
    import os

    from wizard.core import profiles

    os.environ[profiles.DATA_DIR_ENV] = os.path.join(folder, "data")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halo-wizard", description=text.APP_NAME)
    parser.add_argument("--demo", action="store_true", help="connect to a simulated Halo")
    parser.add_argument("--scenario", default="healthy", help="the demo's first situation")
    parser.add_argument("--ca-bundle", metavar="FILE", help="extra CA certificates to trust")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    return run(demo=args.demo, scenario=args.scenario, ca_bundle=args.ca_bundle)


if __name__ == "__main__":
    sys.exit(main())
