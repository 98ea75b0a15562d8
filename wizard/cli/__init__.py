"""The command line: `check`, `diagnose`, `profiles`, `doctor`, `simulate`, `demo`,
`licences`; with no command, the wizard's window.

Imports no Qt itself: the window's modules are loaded only when the window is opened, so
`check` stays fast and works where Qt cannot run.

One module per command (check, diagnose, profiles, keygen, recipes, doctor, simulate, demo,
licences, and window for no command), with what they share in common.py, saving.py (check
--save and diagnose --report), tools.py (--for) and signing.py (--private-key). This module
only builds the parser and dispatches; no module imports back up.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from wizard import __version__
from wizard.cli import window
from wizard.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    SECRET_ENV,
    UsageError,
    _check_common,
    _log,
    _Parser,
    _qt_versions,
)
from wizard.cli.window import DisplayProblem, display_problem

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "DisplayProblem",
    "UsageError",
    "display_problem",
    "main",
]


# The commands, each a module of its own, imported only when the command line names one: the
# window (no command) starts without them.
COMMANDS = (
    "check",
    "diagnose",
    "profiles",
    "keygen",
    "recipes",
    "doctor",
    "simulate",
    "demo",
    "licences",
)
# The options of the window alone; with nothing else on the command line, no command's
# module is loaded (the first page paints sooner).
_WINDOW_FLAGS = ("--demo", "--exit-after-first-paint")
_WINDOW_VALUES = ("--scenario", "--ca-bundle")


def _window_only(arguments: Sequence[str]) -> bool:
    """Whether `arguments` only open the window (no command, no --help or --version)."""
    waiting_value = False
    for argument in arguments:
        if waiting_value:
            waiting_value = False
            continue
        name = argument.split("=", 1)[0]
        if name in _WINDOW_FLAGS:
            continue
        if name in _WINDOW_VALUES:
            waiting_value = "=" not in argument
            continue
        return False
    return not waiting_value


def _command(name: str) -> Any:
    import importlib

    return importlib.import_module(f"wizard.cli.{name}")


def _parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="halo-wizard",
        allow_abbrev=False,
        description="Set up and diagnose a Halo (HaloPSA, HaloITSM, HaloServiceDesk) API "
        "connection.",
    )
    parser.add_argument("--version", action="version", version=f"halo-wizard {__version__}")
    window = parser.add_argument_group(
        "the wizard's window (opened when no command is given)",
    )
    window.add_argument(
        "--demo",
        action="store_true",
        help="connect the wizard to a simulated Halo on this computer, to try it out",
    )
    window.add_argument(
        "--scenario",
        dest="gui_scenario",
        default="healthy",
        metavar="NAME",
        help="with --demo: how the simulated Halo behaves at first (see `simulate --list`)",
    )
    window.add_argument(
        "--ca-bundle",
        dest="gui_ca_bundle",
        metavar="FILE",
        help="a PEM file of extra CA certificates to trust (e.g. a company proxy's root)",
    )
    # For the packaged app's smoke test and start-up benchmark: open, paint, close, exit 0.
    window.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        if name == "profiles":
            _command(name).add_command(commands, _Parser)
        else:
            _command(name).add_command(commands)
    return parser


class _Discard(io.TextIOBase):
    """Stands in for a standard stream that does not exist: a windowed Windows app has none."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def isatty(self) -> bool:
        return False


_missing_streams: list[str] = []


def _ensure_standard_streams() -> None:
    """Give a missing stdin, stdout or stderr a harmless stand-in, so no print can crash."""
    missing = [name for name in ("stdin", "stdout", "stderr") if getattr(sys, name) is None]
    if not missing:
        return
    _missing_streams[:] = missing
    for fd in (0, 1, 2):
        # A closed descriptor would be handed to the next file opened (the log, a
        # connection file), and anything a library writes to it at C level would land there.
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            except OSError:
                pass
    if sys.stdin is None:
        sys.stdin = io.StringIO()
    if sys.stdout is None:
        sys.stdout = _Discard()
    if sys.stderr is None:
        sys.stderr = _Discard()


def _start_log(args: argparse.Namespace, arguments: Sequence[str]) -> None:
    from wizard.core.log import log_start, setup_logging

    setup_logging()
    # Option names only: their values can be addresses, IDs or a mistyped secret.
    options = sorted({a.split("=", 1)[0] for a in arguments if a.startswith("--")})
    log_start(" ".join([args.command or "window", *options]))
    if _missing_streams:
        _log.info("no %s (a windowed app): output there is discarded", ", ".join(_missing_streams))


def main(
    argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    _ensure_standard_streams()
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    arguments = list(sys.argv[1:] if argv is None else argv)
    if any(a.split("=", 1)[0] in ("--client-secret", "--secret") for a in arguments):
        sys.stderr.write(
            "halo-wizard: the client secret cannot be given as an argument (other users of "
            f"this computer can read arguments). Set {SECRET_ENV}, or use "
            "--client-secret-stdin.\n"
        )
        return EXIT_USAGE
    parser = _parser(with_commands=not _window_only(arguments))
    args = parser.parse_args(arguments)
    if args.command is None:
        # The window starts its log once its first page is painted (the log's modules and
        # its file are not needed to show it).
        args.start_log = lambda: _start_log(args, arguments)
    else:
        _start_log(args, arguments)
    try:
        code = _dispatch(args, stdin, out)
    except BrokenPipeError:
        # The reader went away (`halo-wizard check ... | head`): nothing more can be said
        # there, and Python's flush at exit must not fail again on the same pipe.
        _log.info("the output was closed before the report was written in full")
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return EXIT_PROBLEMS
    _log.info("exit code %d", code)
    return code


def _dispatch(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    command = "licences" if args.command == "licenses" else args.command
    try:
        if command in ("check", "profiles"):
            return int(_command(command).run(args, stdin, out))
        if command == "diagnose":
            return int(
                _command(command).run(
                    args, stdin, out, check_options=_check_common, qt_versions=_qt_versions
                )
            )
        if command == "licences":
            return int(_command(command).run(out))
        if command is not None:
            return int(_command(command).run(args, out))
        return window.run(args)
    except UsageError as exc:
        _log.info("usage error: %s", exc)
        sys.stderr.write(f"halo-wizard: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("Cancelled.\n")
        return 130
    except Exception:
        _log.exception("halo-wizard stopped on an unexpected error")
        raise


if __name__ == "__main__":
    sys.exit(main())
