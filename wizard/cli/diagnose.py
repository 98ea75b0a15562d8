"""`diagnose`: test an existing connection again and say what changed since its last test.

`diagnose` starts from something that exists (a connection file, a named profile, or the
values typed into another tool's form), tests it again, and says what changed since its
last test. Exit codes are `check`'s: 0 works, 1 problems, 2 the command could not run
(a file that cannot be read says why, never with a traceback)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from wizard.cli.common import read_secret, secret_origin_words
from wizard.cli.saving import (
    _inputs,
    add_record_option,
    record_target,
    recorded,
    save_refused_words,
)

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.model import CheckReport


def add_command(commands: Any) -> None:
    diagnose = commands.add_parser(
        "diagnose",
        allow_abbrev=False,
        help="test a saved connection again and say what changed since its last test",
        description="Test an existing connection (a connection file, a profile, or the "
        "values typed into another tool, pasted into a text file) and say what is wrong "
        "now and what changed since its last test. The secret comes from, in this order: "
        "HALO_CLIENT_SECRET, standard input with --client-secret-stdin, the keychain entry "
        "the connection names, or a hidden prompt in a terminal.",
    )
    source = diagnose.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--connection",
        metavar="FILE",
        help="test the connection saved in this connection file (as `check --save` or the "
        "wizard's window writes it)",
    )
    source.add_argument(
        "--profile",
        metavar="NAME",
        help="test the connection saved as this profile (see `halo-wizard profiles list`)",
    )
    source.add_argument(
        "--from-text",
        metavar="FILE",
        help="test the values typed into another tool's form, pasted into this text file "
        "(Rewst, n8n, CIPP, Nango, Halo's custom integration, a Connect-HaloAPI line, "
        'KEY=value lines, an e-mail, or this program\'s own "Type these into" block); - '
        "reads standard input",
    )
    diagnose.add_argument(
        "--scopes",
        help="test these scopes instead of the connection's, separated by spaces or commas, "
        'e.g. "read:tickets read:assets"',
    )
    diagnose.add_argument(
        "--report",
        metavar="FILE.html",
        help="also write a support report to this file: one web page, without the secret, "
        "for whoever helps (an existing file only with --force; never a file this command "
        "reads)",
    )
    diagnose.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the secret from standard input (it wins over the connection's own secret "
        "and over HALO_CLIENT_SECRET)",
    )
    diagnose.add_argument(
        "--rotate-secret",
        action="store_true",
        help="the secret given is a new one generated in Halo: as soon as Halo accepts it "
        "(issues a token) it replaces the one in the connection's keychain entry (which is "
        "kept until then)",
    )
    diagnose.add_argument(
        "--save",
        action="store_true",
        help="after the test, update the connection file or profile that was tested (its "
        "last result; never its secret)",
    )
    diagnose.add_argument(
        "--force", action="store_true", help="with --report or --record: replace an existing file"
    )
    add_record_option(diagnose)
    diagnose.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="a PEM file of extra CA certificates to trust (default: the one the connection "
        "was tested with, if it named one)",
    )
    diagnose.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="give up on any request after S seconds (default 10)",
    )
    diagnose.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (check's, with what changed since the last test) instead "
        "of the readable report",
    )
    diagnose.add_argument(
        "--for",
        dest="tool",
        metavar="TOOL",
        help="the tool the connection is for (see `halo-wizard recipes`): what it needs is "
        "judged too, and its form's values end the report (default: the tool the connection "
        "was saved for, or the one whose labels the pasted text has)",
    )
    diagnose.add_argument(
        "--private-key",
        metavar="FILE",
        help="sign with this private key (JWT Assertion (Services)) instead of the one the "
        "connection names, or instead of a secret: for a key the computer's keychain does "
        "not have, or a new pair whose public key was given to the application in Halo",
    )


def _private_key_of(connection: ConnectionFile) -> Any:
    """The private key a saved JWT-assertion connection signs with (the task's rule, the
    window's too), or a usage error that says why it could not be had and what to do."""
    from wizard.cli.common import UsageError
    from wizard.core.store import KeychainStore
    from wizard.tasks.credential import KeyProblem, choose_key

    choice = choose_key(connection, store=KeychainStore())
    if choice.found:
        return choice.key
    other = "diagnose it again with --private-key FILE (the key file the pair was saved to)."
    words = {
        KeyProblem.NOT_IN_KEYCHAIN: "The connection's private key is not in this computer's "
        f"keychain (it was saved on another computer, or removed): {other}",
        KeyProblem.KEYCHAIN_UNREADABLE: f"The private key could not be read from the keychain: "
        f"{choice.detail} Or {other}",
        KeyProblem.KEYCHAIN_UNUSABLE: f"The private key in the keychain cannot be used: "
        f"{choice.detail}. {other[0].upper()}{other[1:]}",
        KeyProblem.FILE_UNUSABLE: f"The key file this connection names cannot be used: "
        f"{choice.detail}. {other[0].upper()}{other[1:]}",
        KeyProblem.NOT_KEPT: "The connection signs with a private key it does not record: " + other,
    }
    assert choice.problem is not None
    raise UsageError(words[choice.problem])


def _source(args: argparse.Namespace, stdin: TextIO) -> tuple[ConnectionFile | None, Any, str]:
    """(connection file, recognised text, what was diagnosed, in words)."""
    from wizard.cli.common import UsageError
    from wizard.core import profiles
    from wizard.core.connection_file import ConnectionFile, ConnectionFileError

    if args.connection:
        try:
            return ConnectionFile.load(args.connection), None, f"connection file {args.connection}"
        except ConnectionFileError as exc:
            raise UsageError(str(exc)) from None
    if args.profile:
        try:
            return profiles.load(args.profile), None, f'profile "{args.profile}"'
        except profiles.ProfileError as exc:
            raise UsageError(str(exc)) from None
    if args.from_text == "-":
        if args.client_secret_stdin:
            raise UsageError("--from-text - and --client-secret-stdin both read standard input.")
        raw = stdin.read()
        name = "the text on standard input"
    else:
        try:
            with open(args.from_text, "rb") as file:
                data = file.read(256 * 1024 + 1)
        except OSError as exc:
            raise UsageError(f"--from-text: {args.from_text}: {exc.strerror}.") from None
        if len(data) > 256 * 1024:
            raise UsageError(f"--from-text: {args.from_text} is far too large for a form's values.")
        raw = data.decode("utf-8-sig", "replace")
        name = f"text in {args.from_text}"
    from wizard.tasks.opening import read_pasted

    pasted = read_pasted(raw, name)  # a connection file pasted as text is read as one
    return pasted.connection, pasted.recognised, name


def run(
    args: argparse.Namespace,
    stdin: TextIO,
    out: TextIO,
    *,
    check_options: Callable[[argparse.Namespace], None],
    qt_versions: Callable[[], tuple[str | None, str | None, str | None]],
) -> int:
    from wizard.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError
    from wizard.core import CheckRequest, run_check_sync
    from wizard.core.diagnose import changes
    from wizard.core.kinds import SecretFrom
    from wizard.core.scopes import parse_scopes
    from wizard.core.store import KeychainStore
    from wizard.tasks.rotate import rotate
    from wizard.tasks.save import SaveRefused, Target, check_target

    check_options(args)
    connection, recognised, source = _source(args, stdin)
    if args.save and connection is None:
        raise UsageError(
            "--save updates the connection file or profile that was tested: give one with "
            "--connection or --profile (pasted text is saved with `check --save`)."
        )
    report_path = None
    if args.report:
        try:
            report_path = check_target(
                Target(path=args.report), reading=_inputs(args), force=args.force
            )
        except SaveRefused as refused:
            words = save_refused_words(refused, args)
            raise UsageError(f"No report was written: {words}") from None
    record_path = _record_target(args)
    err = sys.stderr
    if connection is not None:
        host, client_id = connection.host, connection.client_id
        tenant, scopes = connection.tenant, " ".join(connection.scopes)
        known_token_url, auth_url = connection.token_url, None
        last = connection.last_result
        _ca_bundle_of(args, connection, err)
    else:
        from wizard.core import fromtext

        err.write(fromtext.describe(recognised) + "\n")
        untrue = _tool_scopes_notes(args, recognised)
        for note in recognised.notes:
            if note not in untrue:
                err.write(f"Note: {note}\n")
        if recognised.host is None or recognised.client_id is None:
            missing = " and ".join(
                {"host": "the Halo address", "client_id": "the Client ID"}[name]
                for name in ("host", "client_id")
                if getattr(recognised, name) is None
            )
            raise UsageError(f"The text does not give {missing}: nothing to test.")
        host, client_id = recognised.host, recognised.client_id
        tenant, auth_url = recognised.tenant, recognised.auth_url
        scopes = " ".join(recognised.scopes or ())
        known_token_url, last = None, None
    args.tool = _tool_of(args, connection, recognised, err)
    if recognised is not None and recognised.scopes_from_tool and args.tool != recognised.tool:
        scopes = ""  # the recognised tool's own request, not the --for tool's
    if args.scopes:
        scopes = args.scopes
    elif not parse_scopes(scopes) and args.tool is not None:
        from wizard.core import recipes

        chosen = recipes.recipe(args.tool)
        scopes = " ".join(chosen.scopes)
        err.write(
            f"The connection names no scopes ({chosen.name}'s form has none): testing the "
            f"ones {chosen.name} asks for, {scopes}. Give others with --scopes.\n"
        )
    if not parse_scopes(scopes):
        raise UsageError('No scopes to test: give them with --scopes "read:tickets ...".')
    key_options: dict[str, Any] = {}
    signs = connection is not None and connection.assertion is not None
    if args.private_key or signs:
        if args.rotate_secret:
            raise UsageError(
                "This connection signs with a private key, not a secret: there is no secret "
                "to rotate. Make a new key pair with halo-wizard keygen instead."
            )
        if args.client_secret_stdin:
            raise UsageError(
                "--private-key and --client-secret-stdin cannot be used together: with a "
                "private key no secret is sent."
            )
        entry = connection.assertion if connection is not None else None
        if args.private_key:
            key: Any = args.private_key  # wins over the one the connection names
        else:
            assert connection is not None
            key = _private_key_of(connection)
        key_options = {
            "private_key": key,
            "assertion_audience": entry.audience if entry is not None else None,
            "assertion_issuer": entry.issuer if entry is not None else None,
        }
        secret, secret_from = "", SecretFrom.NONE
    else:
        choice = read_secret(args, stdin, connection, err)
        secret, secret_from = choice.secret or "", choice.origin
    request = CheckRequest(
        host=host,
        client_id=client_id,
        client_secret=secret,
        scopes=scopes,
        tenant=tenant,
        auth_url=auth_url,
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        known_token_url=known_token_url,
        tool=args.tool,
        **key_options,
    )
    if record_path is None:
        report = run_check_sync(request)
    else:
        report = recorded(request, record_path, secret, "diagnose", err)
    found = changes(last, report)
    last_tested_at = last.tested_at if last is not None else None
    data = report.to_dict()
    data["last_tested_at"] = last_tested_at
    data["changes"] = [change.to_dict() for change in found]
    data["source"] = source
    data["secret_from"] = secret_from.value
    data["secret_rotated"] = None
    data["tool"] = args.tool
    data["for"] = None
    if args.rotate_secret:
        outcome = rotate(connection, report, secret, KeychainStore())
        data["secret_rotated"] = outcome.result.value == "replaced"
        err.write(_rotation_words(outcome) + "\n")
    if args.save and connection is not None:
        _update_tested(args, connection, report, err)
    if report_path is not None:
        _write_report(str(report_path), data, source, last_tested_at, secret, qt_versions, err)
    del secret
    from wizard.cli import tools as recipes_cli

    if args.json:
        recipes_cli.add_to_json(data, args, report)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        from wizard.cli.common import _print_report

        _print_report(report, False, out)
        out.write(secret_origin_words(secret_from.value) + "\n")
        out.write("\n" + _changes_text(found, last_tested_at))
        out.write(recipes_cli.form_text(args, report))
    out.flush()
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _tool_of(
    args: argparse.Namespace, connection: ConnectionFile | None, recognised: Any, err: TextIO
) -> str | None:
    """The tool the connection is judged for: --for, else the one it was saved for, else the
    one whose form's labels the pasted text has; None says so and how to choose one."""
    from wizard.cli.common import UsageError
    from wizard.core import recipes

    given: str | None = args.tool
    if given is not None:
        try:
            return recipes.recipe(given).id
        except KeyError as exc:
            raise UsageError(f"--for: {exc.args[0]}") from None
    found = connection.tool if connection is not None else getattr(recognised, "tool", None)
    if found is not None:
        try:
            chosen = recipes.recipe(found)
        except KeyError:
            return None
        how = "it was saved for" if connection is not None else "the pasted text is the form of"
        err.write(f"Judged as {chosen.name}'s connection: {how} {chosen.name}.\n")
        return chosen.id
    if recognised is not None:
        err.write(
            "The labels are not one tool's own: judged as no particular tool. Add --for TOOL "
            "(see `halo-wizard recipes`) to judge it as your tool's.\n"
        )
    return None


def _tool_scopes_notes(args: argparse.Namespace, recognised: Any) -> set[str]:
    """The note saying the scopes the pasted tool asks for itself are tested (n8n's), when
    they are not: --scopes names others, or --for names another tool."""
    from wizard.core import fromtext, recipes

    if not recognised.scopes_from_tool or recognised.tool is None:
        return set()
    if not args.scopes:
        try:
            judged = recipes.recipe(args.tool).id if args.tool else recognised.tool
        except KeyError:
            judged = recognised.tool  # an unknown --for is refused with its own message
        if judged == recognised.tool:
            return set()
    found = recipes.recipe(recognised.tool)
    return {
        fromtext.NOTE_SCOPES_OF_COMMAND,
        fromtext.NOTE_SCOPES_OF_TOOL.format(name=found.name, scopes=" ".join(found.scopes)),
    }


def _ca_bundle_of(args: argparse.Namespace, connection: ConnectionFile, err: TextIO) -> None:
    """The CA bundle the connection was tested with, used again unless another is given."""
    if args.ca_bundle or not connection.ca_bundle:
        return
    if os.path.isfile(connection.ca_bundle):
        args.ca_bundle = connection.ca_bundle
        err.write(f"Using the CA bundle the connection was tested with: {args.ca_bundle}\n")
        return
    err.write(
        f"Note: the connection was tested with the CA bundle {connection.ca_bundle}, which is "
        "no longer there; give it again with --ca-bundle if Halo is reached through a "
        "TLS-inspecting proxy.\n"
    )


def _rotation_words(outcome: Any) -> str:
    from wizard.tasks.rotate import Rotation

    if outcome.result is Rotation.REPLACED:
        return (
            "Halo accepted the new secret: it replaced the old one in the connection's "
            "keychain entry."
        )
    if outcome.result is Rotation.NOT_ACCEPTED:
        return "Halo did not accept the new secret, so the old one is still in the keychain."
    if outcome.result is Rotation.FAILED:
        return f"Halo accepted the new secret but the keychain refused it: {outcome.detail}"
    return (
        "Nothing was replaced: this connection keeps no secret in the keychain. Save it "
        "again with `check --save` to keep the new secret."
    )


def _update_tested(
    args: argparse.Namespace, connection: ConnectionFile, report: CheckReport, err: TextIO
) -> None:
    """diagnose --save: the tested file or profile gets this test's result; its secret or
    key entry stays as it was (a new secret is kept by --rotate-secret alone)."""
    from dataclasses import replace

    from wizard.cli.common import UsageError
    from wizard.core import profiles
    from wizard.core.connection_file import ExportError, LastResult

    updated = replace(
        connection,
        last_result=LastResult.from_report(report),
        token_url=report.token_url or connection.token_url,
        ca_bundle=os.path.abspath(args.ca_bundle) if args.ca_bundle else connection.ca_bundle,
    )
    try:
        if args.profile:
            place = str(profiles.save(args.profile, updated))
        else:
            updated.save(args.connection)
            place = os.path.abspath(args.connection)
    except ExportError as exc:
        raise UsageError(f"The connection was not updated: {exc}") from None
    err.write(f"Updated {place} with this test's result.\n")


def _changes_text(found: list[Any], last_tested_at: str | None) -> str:
    if last_tested_at is None:
        return "What changed: never tested before, so there is nothing to compare with.\n"
    if not found:
        return f"What changed since the last test ({last_tested_at}): nothing.\n"
    lines = [f"What changed since the last test ({last_tested_at}):"]
    lines += [f"  - {change.sentence()}" for change in found]
    return "\n".join(lines) + "\n"


def _write_report(
    path: str,
    data: dict[str, Any],
    source: str,
    last_tested_at: str | None,
    secret: str,
    qt_versions: Callable[[], tuple[str | None, str | None, str | None]],
    err: TextIO,
) -> None:
    from wizard.cli.common import UsageError
    from wizard.core import doctor, htmlreport
    from wizard.core.connection_file import ExportError

    facts = doctor.collect(qt_versions=qt_versions(), try_keychain=False)
    report = htmlreport.report_data(
        data,
        doctor=facts,
        changes=data["changes"],
        last_tested_at=last_tested_at,
        source=source,
        secrets=(secret,),
    )
    from wizard.tasks.report import write_report

    try:
        # The target was checked before the test (check_target); --force was asked then.
        write_report(path, report, force=True)
    except ExportError as exc:
        raise UsageError(f"The report was not written: {exc}") from None
    err.write(f"Wrote the support report to {os.path.abspath(path)} (it holds no secret).\n")


def _record_target(args: argparse.Namespace) -> str | None:
    """The file --record writes: never the connection, profile, text or key this command
    reads, nor the --report (saving.record_target's rules)."""
    from wizard.core import profiles

    reading = _inputs(args)
    if args.record and args.profile:
        with contextlib.suppress(profiles.ProfileError):  # no such profile: said below
            reading.append(str(profiles.path_of(args.profile)))
    return record_target(args, reading, ("--report", args.report))
