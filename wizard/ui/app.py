"""Start the wizard's window: the QApplication, the qasync loop, in demo mode a simulated Halo.

python -m wizard              the wizard
python -m wizard --demo       the wizard connected to a simulated Halo on this computer

An unhandled error anywhere in the window opens wizard.ui.crash's dialog rather than
ending the program in silence.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import qasync  # type: ignore[import-untyped]  # qasync ships no type information
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from wizard import __version__
from wizard.assets import APP_ICON, resource_path
from wizard.flow import WizardFlow, WizardState
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.crash import CrashReporter
from wizard.ui.window import WizardWindow

if TYPE_CHECKING:
    from wizard.ui.demo import DemoSession


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
    return WizardState(
        host_text=session.url,
        client_id_text=session.client_id,
        secret_text=session.client_secret,
    )


# Read by the packaged app's smoke test and the start-up benchmark: keep it exactly so.
FIRST_PAINT_LINE = "first page painted: {title}"


class FirstPaint(QObject):
    """Closes the window, through its own close_now, once its first page has been painted."""

    def __init__(self, window: WizardWindow) -> None:
        super().__init__(window)
        self._window = window
        self.title: str | None = None
        app = QApplication.instance()
        assert app is not None
        self._app = app
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.title is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
            and self._window.isVisible()
        ):
            self.title = self._window.currentPage().title()
            self._app.removeEventFilter(self)
            # After this event: the paint it announces has then been done.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        print(FIRST_PAINT_LINE.format(title=self.title), flush=True)
        self._window.close_now()


async def show_wizard(
    context: UiContext,
    *,
    crash: CrashReporter | None = None,
    exit_after_first_paint: bool = False,
) -> int:
    """Show the window and wait until it is closed; 0 when finished, 1 when cancelled.

    With exit_after_first_paint the window closes once its first page is painted, and the
    result is 0.
    """
    window = WizardWindow(context)
    loop = asyncio.get_running_loop()
    if crash is not None:
        crash.watch(loop)
        crash.quit = window.close_now
    closed: asyncio.Future[int] = loop.create_future()

    def finished(result: int) -> None:
        if not closed.done():
            closed.set_result(result)

    window.finished.connect(finished)
    first_paint = FirstPaint(window) if exit_after_first_paint else None
    window.show()
    result = await closed
    if first_paint is not None and first_paint.title is not None:
        return 0
    return 0 if result == 1 else 1


def run(
    *,
    demo: bool = False,
    scenario: str = "healthy",
    ca_bundle: str | None = None,
    argv: Sequence[str] | None = None,
    exit_after_first_paint: bool = False,
) -> int:
    """Open the wizard and return the exit code once its window is closed."""
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
    crash = CrashReporter(secrets=lambda: (flow.state.secret_text, flow.state.kept_secret))
    crash.install()
    try:
        wizard = show_wizard(context, crash=crash, exit_after_first_paint=exit_after_first_paint)
        return int(qasync.run(wizard))
    except Exception as error:
        # The window is gone, or never opened: say so before the program ends. Not for a
        # smoke test, which nobody is watching and which needs the traceback, not a wait.
        if not exit_after_first_paint:
            crash.show_final(error)
        raise
    finally:
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
