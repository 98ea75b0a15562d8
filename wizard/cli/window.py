"""No command: the wizard's window, when this computer can show it.

On Linux, Qt ends the process with its own abort ("could not connect to display",
"Reinstalling the application may fix this problem") when there is no display, when the
X11 display named does not answer, or when its X11 platform plugin cannot load a system
library it links. Each is checked here before anything of Qt is loaded, and said in one
sentence with what to do instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wizard.cli.common import EXIT_PROBLEMS, UsageError, _check_ca_bundle

# How the command line is started, for "what to run instead" (run.py sets it: there, the
# halo-wizard command is in .venv, not on PATH).
LAUNCHER_ENV = "HALO_WIZARD_LAUNCHER"

# The system libraries Qt's X11 ("xcb") platform plugin links, beyond Qt's own and the C
# and C++ runtimes, each with the Debian and Ubuntu package that has it: the DT_NEEDED
# entries of PySide6's Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6 (6.11;
# Qt 6 no longer links libxcb-xinerama). tests/test_cli_words.py reads the installed
# PySide6's and fails when one is missing here.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}

# Qt platforms that show a window on a display; any other (offscreen, minimal, vnc, eglfs,
# linuxfb) needs none.
_DISPLAY_PLATFORMS = ("xcb", "wayland", "wayland-egl")


@dataclass(frozen=True)
class DisplayProblem:
    """Why the window cannot open: the libraries (sonames) of XCB_LIBRARIES that cannot be
    loaded; else the X11 display named in DISPLAY that does not answer (`unanswered`);
    else no display at all."""

    missing: tuple[str, ...] = ()
    unanswered: str | None = None

    @property
    def packages(self) -> list[str]:
        """The Debian and Ubuntu packages that would bring the missing libraries."""
        return sorted({XCB_LIBRARIES.get(soname, soname) for soname in self.missing})


def _loads(soname: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _x_server_answers(display: str) -> bool:
    """True when the X server at `display` accepts a connection (as Qt's would be), or
    when libxcb cannot be loaded to ask."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # Never NULL: a failed connection is an object whose error is set.
    connection = xcb.xcb_connect(display.encode(errors="surrogateescape"), None)
    try:
        return bool(xcb.xcb_connection_has_error(connection) == 0)
    finally:
        xcb.xcb_disconnect(connection)


def display_problem(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    can_load: Callable[[str], bool] | None = None,
    frozen: bool | None = None,
    answers: Callable[[str], bool] | None = None,
) -> DisplayProblem | None:
    """Why Qt could not show the window on this Linux desktop; None when it can, or when
    it is not for this check to say (another system, or a platform chosen in
    QT_QPA_PLATFORM that is not X11). `can_load(soname)` and `answers(display)` stand in
    for loading a library and connecting to the X server. The frozen app carries its own
    X11 libraries (packaging/README.md), so they are not looked for there."""
    environ = os.environ if environ is None else environ
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not platform.startswith("linux"):
        return None
    chosen = [
        entry.split(":", 1)[0].strip()
        for entry in environ.get("QT_QPA_PLATFORM", "").split(";")
        if entry.strip()
    ]
    if chosen:
        # As asked: only X11 is checked, and only when nothing before it may be used.
        if "xcb" not in chosen or any(
            name in _DISPLAY_PLATFORMS for name in chosen[: chosen.index("xcb")]
        ):
            return None
    elif environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return None  # Qt prefers Wayland in a Wayland session
    if not environ.get("DISPLAY"):
        # X11 asked for in a Wayland session without XWayland: as asked, not second-guessed.
        return None if environ.get("WAYLAND_DISPLAY") else DisplayProblem()
    display = environ["DISPLAY"]
    if not frozen:
        loads = can_load or _loads
        missing = tuple(soname for soname in XCB_LIBRARIES if not loads(soname))
        if missing:
            return DisplayProblem(missing)
    if not (answers or _x_server_answers)(display):
        return DisplayProblem(unanswered=display)
    return None


def display_problem_words(
    problem: DisplayProblem, *, demo: bool, launcher: str = "halo-wizard"
) -> str:
    """The one sentence that says why the window cannot open, and what to run instead."""
    if demo:
        instead = f"try the demo on the command line instead: {launcher} demo"
    else:
        instead = (
            "test a connection on the command line instead: "
            f'{launcher} check --host HOST --client-id ID --scopes "read:tickets" '
            f"({launcher} check --help says more)"
        )
    if problem.unanswered is not None:
        return (
            "halo-wizard: the wizard's window cannot open, because no X11 display answers "
            f"at DISPLAY={problem.unanswered} (the X server there is not running, or does "
            f"not let this user in); {instead}."
        )
    if not problem.missing:
        return (
            "halo-wizard: the wizard's window needs a graphical desktop, and there is none "
            "here (neither DISPLAY nor WAYLAND_DISPLAY is set, as over SSH or in a text "
            f"console); {instead}."
        )
    libraries = ", ".join(problem.missing)
    packages = " ".join(problem.packages)
    return (
        "halo-wizard: the wizard's window cannot open on this X11 desktop, because Qt's "
        f"X11 support needs system libraries that are not installed ({libraries}): on "
        f"Debian or Ubuntu, `sudo apt install {packages}` adds them; until then, {instead}."
    )


def run(args: argparse.Namespace) -> int:
    if args.demo:
        from wizard.sim import SCENARIOS  # only a demo needs the simulator

        if args.gui_scenario not in SCENARIOS:
            raise UsageError(
                f"Unknown scenario {args.gui_scenario!r}; see `halo-wizard simulate --list`."
            )
    if args.gui_ca_bundle:
        _check_ca_bundle(args.gui_ca_bundle)
    problem = display_problem()
    if problem is not None:
        launcher = os.environ.get(LAUNCHER_ENV) or "halo-wizard"
        sys.stderr.write(display_problem_words(problem, demo=args.demo, launcher=launcher) + "\n")
        return EXIT_PROBLEMS
    try:
        from wizard.ui.app import run
    except ImportError as exc:
        sys.stderr.write(
            f"halo-wizard: the wizard's window cannot be opened on this computer ({exc}). "
            "`halo-wizard check` tests a connection without a window.\n"
        )
        return EXIT_PROBLEMS
    return run(
        demo=args.demo,
        scenario=args.gui_scenario,
        ca_bundle=args.gui_ca_bundle,
        exit_after_first_paint=args.exit_after_first_paint,
        after_first_paint=getattr(args, "start_log", None),
    )
