"""No command: the wizard's window, when this computer can show it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping

from wizard.cli.common import EXIT_PROBLEMS, UsageError, _check_ca_bundle


def missing_linux_display_library(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    find_library: Callable[[str], str | None] | None = None,
    frozen: bool | None = None,
) -> str | None:
    """The Debian package Qt's X11 window needs and this system lacks, if any.

    Without it Qt ends the process with an unhelpful message before Python can intervene.
    The frozen app carries its own copy (packaging/README.md), so it never lacks it.
    """
    environ = os.environ if environ is None else environ
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if frozen or not platform.startswith("linux") or not environ.get("DISPLAY"):
        return None
    if environ.get("QT_QPA_PLATFORM", "xcb") != "xcb" or environ.get("WAYLAND_DISPLAY"):
        return None
    if find_library is None:
        import ctypes.util

        find_library = ctypes.util.find_library
    return None if find_library("xcb-cursor") else "libxcb-cursor0"


def run(args: argparse.Namespace) -> int:
    if args.demo:
        from wizard.sim import SCENARIOS  # only a demo needs the simulator

        if args.gui_scenario not in SCENARIOS:
            raise UsageError(
                f"Unknown scenario {args.gui_scenario!r}; see `halo-wizard simulate --list`."
            )
    if args.gui_ca_bundle:
        _check_ca_bundle(args.gui_ca_bundle)
    missing = missing_linux_display_library()
    if missing:
        sys.stderr.write(
            f"halo-wizard: the wizard's window needs the system library {missing} on Linux "
            f"(Debian and Ubuntu: sudo apt install {missing}). "
            "`halo-wizard check` tests a connection without a window.\n"
        )
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
    )
