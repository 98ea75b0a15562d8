"""What every command shares: exit codes, usage errors, reading the secret, printing the
report, the options check and diagnose share. Imports no other module of the command line."""

from __future__ import annotations

import argparse
import difflib
import getpass
import json
import logging
import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from wizard.core.kinds import SecretFrom

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile
    from wizard.tasks.credential import SecretChoice

SECRET_ENV = "HALO_CLIENT_SECRET"


DEMO_SCOPES = "read:tickets read:customers read:assets read:kb"


EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


MAX_TIMEOUT = 600


# A Halo client secret is 73 characters; anything near this is something else piped by mistake.
MAX_SECRET_BYTES = 64 * 1024


_log = logging.getLogger("wizard.cli")


class UsageError(Exception):
    """A command line that cannot be run as given; exit code 2."""


# What an option or a command name looks like. Only such a word is repeated back in an
# error: anything else given where an option or a command was expected (a value that begins
# with a dash, a secret pasted in the wrong place) is not.
_OPTION_NAME = re.compile(r"^--?[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_LONGEST_NAME = 40
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")
NOT_REPEATED = "not repeated here, in case it is a secret"


class _Parser(argparse.ArgumentParser):
    """argparse, except that it never repeats a value from the command line (it may be a
    secret), names a mistyped option or command with the nearest real one ("unknown option
    --scope; did you mean --scopes?") before anything else it would say, and takes no
    abbreviations: `--scope` is a mistake, not `--scopes`, in every command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._given: list[str] = []

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._given = list(sys.argv[1:] if args is None else args)
        parsed, extras = super().parse_known_args(args, namespace)
        # A command's own parser says what it was given and does not take, with its own
        # usage, rather than the parser above it (every parser here is for parse_args).
        if extras:
            self.error("unrecognized arguments")
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        words = self._unknown_command_words(message)
        if words is not None and (unknown := self._unknown_option(before_command=True)):
            # `halo-wizard --host acme...`: the address was taken for the command.
            message = self._unknown_option_words(unknown)
        elif words is not None:
            message = words
        elif (unknown := self._unknown_option()) is not None:
            # Before whatever else is wrong: a mistyped option explains the rest (--scope
            # given, so "the following arguments are required: --scopes").
            message = self._unknown_option_words(unknown)
        elif message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (not repeated here, in case one is a secret)"
        super().error(message)

    # ----- what was mistyped -----

    def _commands(self) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        return None

    def _unknown_option(self, *, before_command: bool = False) -> str | None:
        """The first option given to this parser (not to a command after it) that it does
        not have, as given before any "="; None when there is none. `before_command`: only
        before the first word that is not an option."""
        commands = self._commands()
        tokens = self._given
        at = 0
        while at < len(tokens):
            token = tokens[at]
            at += 1
            if token == "--" or (commands is not None and token in commands.choices):
                return None  # the rest is positional, or the command's own
            if not token.startswith("-") or token == "-" or _NEGATIVE_NUMBER.match(token):
                if before_command:
                    return None
                continue
            name, equals, _ = token.partition("=")
            action = self._option_string_actions.get(name)
            if action is None:
                return name
            if not equals:
                at = _after_values(action, tokens, at)
        return None

    def _unknown_option_words(self, name: str) -> str:
        if len(name) > _LONGEST_NAME or not _OPTION_NAME.match(name):
            return f"unknown option ({NOT_REPEATED}); see {self.prog} --help"
        shown = [
            option
            for option, action in self._option_string_actions.items()
            if option.startswith("--") and action.help is not argparse.SUPPRESS
        ]
        nearest = difflib.get_close_matches(name, shown, n=1, cutoff=0.6)
        if nearest:
            return f"unknown option {name}; did you mean {nearest[0]}?"
        commands = self._commands()
        if commands is not None:
            # An option of a command given before the command (or with none): say where it goes.
            owners = [
                command
                for command, parser in commands.choices.items()
                if name in parser._option_string_actions
            ]
            if owners:
                return f"unknown option {name}; did you mean {self.prog} {owners[0]} {name}?"
        return f"unknown option {name}; see {self.prog} --help"

    def _unknown_command_words(self, message: str) -> str | None:
        """argparse's message for a command that does not exist, said again without the
        word given unless it looks like a command's name; None for any other message."""
        commands = self._commands()
        if commands is None:
            return None
        label = commands.metavar or commands.dest
        if not message.startswith(f"argument {label}: "):
            return None
        given = self._given_command()
        names = list(commands.choices)
        nearest = difflib.get_close_matches(given or "", names, n=1, cutoff=0.6)
        shown = given is not None and len(given) <= _LONGEST_NAME and _COMMAND_NAME.match(given)
        said = f"unknown command {given}" if shown else f"unknown command ({NOT_REPEATED})"
        if nearest:
            return f"{said}; did you mean {nearest[0]}?"
        return f"{said}; the commands are {', '.join(names)}"

    def _given_command(self) -> str | None:
        """The word given where this parser expects its command."""
        tokens = self._given
        at = 0
        while at < len(tokens):
            token = tokens[at]
            at += 1
            if token == "--":
                return tokens[at] if at < len(tokens) else None
            if not token.startswith("-") or token == "-":
                return token
            name, equals, _ = token.partition("=")
            action = self._option_string_actions.get(name)
            if action is not None and not equals:
                at = _after_values(action, tokens, at)
        return None


def _after_values(action: argparse.Action, tokens: Sequence[str], at: int) -> int:
    """Where the next option or positional starts, after `action`'s values from `at`."""
    nargs = action.nargs
    if nargs is None:
        return at + 1
    if isinstance(nargs, int):
        return at + nargs
    if nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE, argparse.ONE_OR_MORE):
        while at < len(tokens) and not (
            tokens[at].startswith("-") and not _NEGATIVE_NUMBER.match(tokens[at])
        ):
            at += 1
            if nargs == argparse.OPTIONAL:
                break
    return at


SECRET_NOTES = {
    "environment_not_used": "HALO_CLIENT_SECRET is set but was not used: {first} comes "
    "first. Unset it if it belongs to another connection.",
    "keychain_missing_used_environment": "The connection's secret is not in this computer's "
    "keychain; the secret in HALO_CLIENT_SECRET was used instead.",
    "keychain_unreadable_used_environment": "The keychain could not be read ({detail}); the "
    "secret in HALO_CLIENT_SECRET was used instead.",
}


def read_secret(
    args: argparse.Namespace, stdin: TextIO, connection: ConnectionFile | None, err: TextIO
) -> SecretChoice:
    """The secret for `check` (no saved connection) or `diagnose`, by the one rule of
    wizard/tasks/credential.py (explicit before implicit), asked at a hidden prompt in a
    terminal when nothing else gives one; UsageError when there is none to be had."""
    from wizard.core.log import register_secret
    from wizard.core.store import KeychainStore
    from wizard.tasks.credential import SecretProblem, choose_secret

    stdin_secret = None
    if args.client_secret_stdin:
        # `echo "$SECRET" |` adds one line break that is not part of what was pasted.
        text = _read_stdin(stdin)
        stdin_secret = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    rotating = bool(getattr(args, "rotate_secret", False))
    choice = choose_secret(
        connection,
        store=KeychainStore(),
        stdin_secret=stdin_secret,
        environ=os.environ,
        rotating=rotating,
    )
    if choice.origin is SecretFrom.ENVIRONMENT and choice.secret is not None:
        # Bytes in it that are not text are a usage error, said only when it is used.
        choice = replace(choice, secret=_secret_from_environment(choice.secret))
    if choice.secret is None:
        if choice.problem is SecretProblem.KEYCHAIN_UNREADABLE:
            err.write(f"The keychain could not be read: {choice.detail}\n")
        if stdin.isatty():
            prompt = "New client secret" if rotating else "Client secret"
            try:
                choice = choice.with_prompted(getpass.getpass(f"{prompt} (input hidden): "))
            except UnicodeDecodeError:
                raise UsageError(
                    "What was typed as the secret cannot be read as text in this terminal's "
                    f"encoding. Set {SECRET_ENV} instead."
                ) from None
        elif choice.problem is SecretProblem.NOT_IN_KEYCHAIN:
            raise UsageError(
                "The connection's secret is not in this computer's keychain (it was saved on "
                f"another computer, or removed). Set {SECRET_ENV}, or pass "
                "--client-secret-stdin."
            )
        else:
            raise UsageError(
                f"No client secret: set the environment variable {SECRET_ENV}, or pass "
                "--client-secret-stdin and send the secret on standard input."
            )
    register_secret(choice.secret)
    first = "the " + SECRET_ORIGINS[choice.origin.value]
    for note in choice.notes:
        words = SECRET_NOTES[note.value].format(first=first, detail=choice.detail or "")
        err.write(f"Note: {words}\n")
    return choice


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
    import ssl  # here, not at the top: the window's first paint does without it

    if not os.path.isfile(path):
        raise UsageError(f"--ca-bundle: no such file: {path}")
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        raise UsageError(
            f"--ca-bundle: {path} holds no CA certificate in PEM form (text starting with "
            "-----BEGIN CERTIFICATE-----). Export the certificate as Base-64 (PEM)."
        ) from None


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


def _known_scenario(name: str) -> None:
    from wizard.sim.scenarios import DEMO_SCENARIOS

    if name not in DEMO_SCENARIOS:
        raise UsageError(f"Unknown scenario {name!r}; see `halo-wizard simulate --list`.")


SECRET_ORIGINS = {
    "stdin": "secret sent on standard input",
    "environment": "secret in HALO_CLIENT_SECRET",
    "keychain": "connection's own secret in this computer's keychain",
    "connection file": "secret kept in the connection file",
    "prompt": "secret typed at the prompt",
    "none": "private key (no secret is sent)",
}


def secret_origin_words(origin: str) -> str:
    """Where the secret came from, as the readable output and the report say it."""
    return "The test used the " + SECRET_ORIGINS[origin] + "."
