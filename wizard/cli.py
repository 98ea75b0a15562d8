"""The command line: `check`, `diagnose`, `profiles`, `doctor`, `simulate`, `demo`,
`licences`; with no command, the wizard's window.

Imports no Qt itself: the window's modules are loaded only when the window is opened, so
`check` stays fast and works where Qt cannot run.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import logging
import math
import os
import ssl
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn, TextIO

from wizard import __version__, assertion_cli, recipes_cli, support_cli

SECRET_ENV = "HALO_CLIENT_SECRET"
DEMO_SCOPES = "read:tickets read:customers read:assets read:kb"

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_TIMEOUT = 600
# A Halo client secret is 73 characters; anything near this is something else piped by mistake.
MAX_SECRET_BYTES = 64 * 1024


_log = logging.getLogger("wizard.cli")


class UsageError(Exception):
    """A command line that cannot be run as given; exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, except that it never repeats an unknown argument: it may be a secret."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (not repeated here, in case one is a secret)"
        super().error(message)


def _parser() -> argparse.ArgumentParser:
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check",
        allow_abbrev=False,
        help="test a connection: discovery, a new token, each scope and the identity",
        description="Test a Halo API connection and explain every problem with its fix. "
        f"The client secret is read from the environment variable {SECRET_ENV}, from "
        "standard input with --client-secret-stdin, or asked for when run in a terminal; "
        "never from an argument, which other users of the computer can read.",
    )
    check.add_argument(
        "--host", required=True, help="the Halo address, as copied from the browser (any form)"
    )
    check.add_argument("--client-id", required=True, help="the application's Client ID")
    check.add_argument(
        "--scopes",
        help='permission scopes, separated by spaces or commas, e.g. "read:tickets read:assets" '
        "(needed unless --for names a tool)",
    )
    check.add_argument("--tenant", help="the tenant your tool uses (checked against Halo's)")
    check.add_argument("--auth-url", help="use this authorisation server instead of Halo's own")
    check.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="a PEM file of extra CA certificates to trust (e.g. a company "
        "proxy's root); wins over REQUESTS_CA_BUNDLE",
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="give up on any request after S seconds (default 10)",
    )
    check.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the client secret from standard input",
    )
    check.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the readable report"
    )
    support_cli.add_save_options(check)
    recipes_cli.add_check_options(check)
    support_cli.add_commands(commands, _Parser)
    assertion_cli.add_check_options(check)
    assertion_cli.add_commands(commands, _Parser)
    recipes_cli.add_commands(commands)

    doctor = commands.add_parser(
        "doctor",
        allow_abbrev=False,
        help="describe this computer for a supporter: versions, keychain, certificates, "
        "proxies, folders",
        description="Describe this computer as the wizard sees it, before it looks at Halo: "
        "the program, Python and Qt versions, the operating system, the keychain that would "
        "be used, where certificates are trusted from, the proxies in effect and the folders "
        "in use. Nothing is sent over the network and no secret is shown.",
    )
    doctor.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the readable report"
    )
    doctor.add_argument(
        "--try-keychain",
        action="store_true",
        help="also store, read back and remove a throwaway test secret in the keychain "
        "(exit code 1 if that fails)",
    )

    simulate = commands.add_parser(
        "simulate", help="run a simulated Halo on this computer, for trying things out"
    )
    simulate.add_argument(
        "--scenario", default="healthy", help="how the simulated Halo behaves (see --list)"
    )
    simulate.add_argument("--port", type=int, default=0, help="port to listen on (default: any)")
    simulate.add_argument(
        "--latency-ms", type=int, default=0, help="delay every answer by this many milliseconds"
    )
    simulate.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a freshly made certificate",
    )
    simulate.add_argument("--list", action="store_true", help="list the scenarios and exit")

    demo = commands.add_parser("demo", help="start the simulated Halo and check a connection to it")
    demo.add_argument(
        "--scenario",
        default="healthy",
        help="how the simulated Halo behaves (see `simulate --list`)",
    )
    demo.add_argument("--json", action="store_true", help="print the report as JSON")

    commands.add_parser(
        "licences",
        aliases=["licenses"],
        help="print the licences of the software the wizard is built on",
        description="Print the licence and copyright of each part of the wizard: Python, Qt "
        "and PySide6 (with how to replace them), OpenSSL and every Python package. The "
        "installed app prints the texts it carries; run from the source code, they are "
        "read from the installed packages the wizard needs.",
    )
    return parser


def _read_secret(args: argparse.Namespace, stdin: TextIO) -> tuple[str, str]:
    """The secret `check` sends and where it came from (wizard.core.kinds.SecretFrom)."""
    from wizard.core.log import register_secret

    secret, origin = _secret_from_input(args, stdin)
    register_secret(secret)
    return secret, origin


def _secret_from_input(args: argparse.Namespace, stdin: TextIO) -> tuple[str, str]:
    # The same order as wizard/tasks/credential.py for a connection not saved: standard
    # input, then the environment, then a hidden prompt.
    if args.client_secret_stdin:
        # `echo "$SECRET" |` adds one line break that is not part of what was pasted.
        text = _read_stdin(stdin)
        if os.environ.get(SECRET_ENV):
            sys.stderr.write(
                f"Note: {SECRET_ENV} is set but was not used: the secret sent on standard "
                "input comes first.\n"
            )
        return (text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")), "stdin"
    from_env = os.environ.get(SECRET_ENV)
    if from_env is not None:
        return _secret_from_environment(from_env), "environment"
    if stdin.isatty():
        try:
            return getpass.getpass("Client secret (input hidden): "), "prompt"
        except UnicodeDecodeError:
            raise UsageError(
                "What was typed as the secret cannot be read as text in this terminal's "
                f"encoding. Set {SECRET_ENV} instead."
            ) from None
    raise UsageError(
        f"No client secret: set the environment variable {SECRET_ENV}, or pass "
        "--client-secret-stdin and send the secret on standard input."
    )


def _read_stdin(stdin: TextIO) -> str:
    """The secret on standard input, read as bytes and decoded here rather than by Python's
    text layer, whose encoding follows the locale (a code page on Windows) and which ends in
    a traceback on bytes it cannot decode."""
    from wizard.core.credentials import SecretUnreadable, decode_secret

    raw = getattr(stdin, "buffer", None)
    if raw is None:  # a stream of text only (a test's, or the stand-in for a missing one)
        return stdin.read()
    data = raw.read(MAX_SECRET_BYTES + 1)
    if len(data) > MAX_SECRET_BYTES:
        raise UsageError(
            f"standard input held more than {MAX_SECRET_BYTES // 1024} KB: far more than a "
            "client secret. Send only the secret, e.g. with --client-secret-stdin < secret.txt."
        )
    try:
        return decode_secret(data, "standard input")
    except SecretUnreadable as exc:
        raise UsageError(
            f"{exc} Send the secret as UTF-8 text (Windows PowerShell 5.1: run "
            "$OutputEncoding = [System.Text.UTF8Encoding]::new() before the pipe), or set "
            f"{SECRET_ENV} instead."
        ) from None


def _secret_from_environment(value: str) -> str:
    """The secret in SECRET_ENV; bytes in it that were not text are a usage error."""
    from wizard.core.credentials import SecretUnreadable, decode_secret

    if not any("\ud800" <= char <= "\udfff" for char in value):
        return value
    # On POSIX, Python keeps bytes that are not UTF-8 as lone surrogates (surrogateescape):
    # read the bytes themselves to say what they looked like.
    if os.supports_bytes_environ:
        data = os.environb.get(SECRET_ENV.encode(), b"")
    else:
        data = value.encode("utf-8", "surrogatepass")
    try:
        return decode_secret(data, SECRET_ENV)
    except SecretUnreadable as exc:
        raise UsageError(
            f"{exc} Set it to the secret as UTF-8 text, or send the secret on standard input "
            "with --client-secret-stdin."
        ) from None


def _wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return False
    if sys.platform == "win32":
        return _enable_windows_ansi()
    return True


def _enable_windows_ansi() -> bool:
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.GetStdHandle(-11)
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))
    except (AttributeError, OSError):
        return False


def _can_print_unicode(stream: TextIO) -> bool:
    try:
        "\u2714\u2718\u2026".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _print_report(report: object, as_json: bool, out: TextIO) -> None:
    from wizard.core.model import CheckReport
    from wizard.core.textreport import render

    assert isinstance(report, CheckReport)
    if as_json:
        out.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(render(report, colour=_wants_colour(out), unicode=_can_print_unicode(out)))
    out.flush()


def _check_ca_bundle(path: str) -> None:
    if not os.path.isfile(path):
        raise UsageError(f"--ca-bundle: no such file: {path}")
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        raise UsageError(
            f"--ca-bundle: {path} holds no CA certificate in PEM form (text starting with "
            "-----BEGIN CERTIFICATE-----). Export the certificate as Base-64 (PEM)."
        ) from None


def _run_check(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from wizard.core import CheckRequest, run_check_sync
    from wizard.core.scopes import parse_scopes

    _check_common(args)
    args.scopes = recipes_cli.scopes_for(args)
    if args.scopes is None:
        raise UsageError(
            'Give the scopes to test with --scopes "read:tickets ...", or name the tool being '
            "connected with --for (see `halo-wizard recipes`)."
        )
    if not parse_scopes(args.scopes):
        raise UsageError('--scopes is empty; give at least one, e.g. --scopes "read:tickets".')
    if args.save_profile:
        from wizard.core.profiles import ProfileError, check_name

        try:
            check_name(args.save_profile)
        except ProfileError as exc:
            raise UsageError(f"--save-profile: {exc}") from None
    # Before the test, so nobody waits for a test whose result cannot be saved.
    support_cli.check_save_target(args)
    origin = "none"

    def read() -> str:
        nonlocal origin
        secret, origin = _read_secret(args, stdin)
        return secret

    secret = assertion_cli.secret_or_none(args, read)
    request = CheckRequest(
        host=args.host,
        client_id=args.client_id,
        client_secret=secret,
        scopes=args.scopes,
        tenant=args.tenant,
        auth_url=args.auth_url,
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        tool=args.tool,
        **assertion_cli.request_options(args),
    )
    report = run_check_sync(request)
    if args.json:
        data = report.to_dict()
        data["secret_from"] = origin
        recipes_cli.add_to_json(data, args, report)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        out.flush()
    else:
        _print_report(report, False, out)
        out.write(support_cli.secret_origin_words(origin) + "\n")
        out.write(recipes_cli.form_text(args, report))
        out.flush()
    support_cli.save_after_check(args, report, secret, sys.stderr)
    del secret
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _check_common(args: argparse.Namespace) -> None:
    """The options `check` and `diagnose` share: the time limit and the CA file."""
    if not (math.isfinite(args.timeout) and 0 < args.timeout <= MAX_TIMEOUT):
        raise UsageError(f"--timeout must be a number of seconds above 0, at most {MAX_TIMEOUT}.")
    if args.ca_bundle:
        _check_ca_bundle(args.ca_bundle)


def _qt_versions() -> tuple[str | None, str | None, str | None]:
    """(Qt version, PySide6 version, why they are unknown); loads QtCore, never a window."""
    try:
        import PySide6
        from PySide6 import QtCore
    except Exception as exc:  # ImportError, or OSError for a missing system library
        return None, None, f"PySide6 cannot be loaded ({type(exc).__name__}: {exc})"
    return QtCore.qVersion(), PySide6.__version__, None


def _run_doctor(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.core import doctor

    report = doctor.collect(qt_versions=_qt_versions(), try_keychain=args.try_keychain)
    if args.json:
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(doctor.render(report))
    out.flush()
    trip = report.get("keychain_round_trip")
    return EXIT_PROBLEMS if trip is not None and not trip["ok"] else EXIT_OK


def _run_simulate(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.sim import SimulatedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS

    if args.list:
        width = max(len(name) for name in DEMO_SCENARIOS)
        for name, description in DEMO_SCENARIOS.items():
            out.write(f"{name:<{width}}  {description}\n")
        return EXIT_OK
    _known_scenario(args.scenario)
    tls = None
    ca_path = None
    if args.tls:
        from wizard.sim.tls import make_tls

        tls, ca_path = make_tls()
    halo = SimulatedHalo(
        args.scenario,
        port=args.port,
        latency_ms=args.latency_ms,
        tls=tls,
        public_host="localhost" if tls else "127.0.0.1",
    )
    halo.start()
    keys = tempfile.TemporaryDirectory(prefix="halo-wizard-sim-") if halo.uses_assertion() else None
    try:
        out.write(halo.describe().rstrip() + "\n\n")
        extra = f" --ca-bundle {ca_path}" if ca_path else ""
        command = (
            f"halo-wizard check --host {halo.url} --client-id {halo.client_id} "
            f'--scopes "{DEMO_SCOPES}"{extra}'
        )
        if keys is not None:
            # The admin's half of the simulated application's key pair, owner-only.
            from wizard.core import assertion

            key = assertion.load_private_key_pem(halo.assertion_private_key)
            files = assertion.write_key_pair(keys.name, key)
            out.write(f"The private key of this application: {files.private_key}\n\n")
            command = f"{command} --private-key {files.private_key}"
        else:
            command = f"{SECRET_ENV}=<the secret above> {command}"
        out.write(f"Check it from another terminal:\n  {command}\n\nPress Ctrl+C to stop.\n")
        out.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        out.write("Stopped.\n")
    finally:
        halo.stop()
        if keys is not None:
            keys.cleanup()
    return EXIT_OK


def _known_scenario(name: str) -> None:
    from wizard.sim.scenarios import DEMO_SCENARIOS

    if name not in DEMO_SCENARIOS:
        raise UsageError(f"Unknown scenario {name!r}; see `halo-wizard simulate --list`.")


def _run_demo(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.core import CheckRequest, run_check_sync
    from wizard.core.model import LocalRoutes
    from wizard.sim.halo import HostedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS

    _known_scenario(args.scenario)
    with HostedHalo(args.scenario) as halo:
        if not args.json:
            out.write(
                f"Demo: a simulated Halo runs at {halo.url} "
                f'(scenario "{args.scenario}": {DEMO_SCENARIOS[args.scenario]})\n\n'
            )
        key = None
        if halo.uses_assertion():
            from wizard.core import assertion

            # Signed with the admin's half of the application's key pair: no secret.
            key = assertion.load_private_key_pem(halo.assertion_private_key)
        request = CheckRequest(
            host=halo.url,
            client_id=halo.client_id,
            client_secret="" if key is not None else halo.client_secret,
            scopes=DEMO_SCOPES,
            timeout=5.0,
            routes=LocalRoutes(halo.routes, halo.ca_pem),
            private_key=key,
        )
        report = run_check_sync(request)
    _print_report(report, args.json, out)
    if not args.json and args.scenario == "healthy":
        out.write(
            "\nTry a failure: halo-wizard demo --scenario wrong_secret "
            "(all scenarios: halo-wizard simulate --list)\n"
        )
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _run_licences(out: TextIO) -> int:
    from wizard.core.notices import NoticesError, licences_text

    try:
        text = licences_text()
    except NoticesError as exc:
        sys.stderr.write(f"halo-wizard: {exc}\n")
        return EXIT_PROBLEMS
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        # A console that cannot show every name (a Windows code page): "?" in their place.
        text = text.encode(encoding, "replace").decode(encoding, "replace")
    out.write(text)
    out.flush()
    return EXIT_OK


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


def _run_window(args: argparse.Namespace) -> int:
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
    parser = _parser()
    args = parser.parse_args(arguments)
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
    try:
        if args.command == "check":
            return _run_check(args, stdin, out)
        if args.command == "doctor":
            return _run_doctor(args, out)
        if args.command == "simulate":
            return _run_simulate(args, out)
        if args.command == "demo":
            return _run_demo(args, out)
        if args.command == "diagnose":
            return support_cli.run_diagnose(
                args, stdin, out, check_options=_check_common, qt_versions=_qt_versions
            )
        if args.command == "profiles":
            return support_cli.run_profiles(args, stdin, out)
        if args.command == "keygen":
            return assertion_cli.run_keygen(args, out)
        if args.command == "recipes":
            return recipes_cli.run_recipes(args, out)
        if args.command in ("licences", "licenses"):
            return _run_licences(out)
        return _run_window(args)
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
