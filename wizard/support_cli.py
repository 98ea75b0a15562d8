"""Support mode on the command line: `check --save`, `diagnose`, and `profiles`.

`diagnose` starts from something that exists (a connection file, a named profile, or the
values typed into another tool's form), tests it again, and says what changed since its
last test. Exit codes are `check`'s: 0 works, 1 problems, 2 the command could not run
(a file that cannot be read says why, never with a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.model import CheckReport

SECRET_STORE_CHOICES = ("keychain", "file", "none")


def add_save_options(check: argparse.ArgumentParser) -> None:
    save = check.add_mutually_exclusive_group()
    save.add_argument(
        "--save",
        metavar="FILE",
        help="after the test, write the connection file (as the wizard does) to FILE",
    )
    save.add_argument(
        "--save-profile",
        metavar="NAME",
        help="after the test, save the connection as the named profile NAME",
    )
    check.add_argument(
        "--secret-store",
        choices=SECRET_STORE_CHOICES,
        default="keychain",
        help="with --save or --save-profile: keep the secret in this computer's keychain "
        "(the default; an entry of its own for this connection), in the file itself, or "
        "nowhere. A secret Halo did not accept is never kept",
    )
    check.add_argument(
        "--force",
        action="store_true",
        help="replace the file or profile that --save, --save-profile or --report name when "
        "it already exists (never a file this command reads)",
    )


def add_commands(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
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
    source.add_argument("--connection", metavar="FILE", help="a connection file")
    source.add_argument("--profile", metavar="NAME", help="a saved profile (see `profiles list`)")
    source.add_argument(
        "--from-text",
        metavar="FILE",
        help="a text file holding the values another tool's form asks for (Rewst, n8n, "
        "Halo's custom integration, KEY=value lines); - reads standard input",
    )
    diagnose.add_argument("--scopes", help="test these scopes instead of the connection's")
    diagnose.add_argument(
        "--report",
        metavar="FILE.html",
        help="also write a support report (an existing file only with --force; never a file "
        "this command reads)",
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
        "--force", action="store_true", help="with --report: replace an existing file"
    )
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
    diagnose.add_argument("--json", action="store_true", help="print one JSON object")
    diagnose.add_argument(
        "--for",
        dest="tool",
        metavar="TOOL",
        help="the tool the connection is for (see `halo-wizard recipes`): what it needs is "
        "judged too, and its form's values end the report (default: the tool the connection "
        "was saved for, or the one whose labels the pasted text has)",
    )

    profiles = commands.add_parser(
        "profiles",
        allow_abbrev=False,
        help="list, show, rename, duplicate or delete saved connections",
    )
    actions = profiles.add_subparsers(
        dest="profiles_action", metavar="ACTION", required=True, parser_class=parser_class
    )
    listing = actions.add_parser("list", help="every profile, with its last result")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="one profile's connection and last result")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    rename = actions.add_parser("rename", help="give a profile another name")
    rename.add_argument("name")
    rename.add_argument("new_name")
    duplicate = actions.add_parser("duplicate", help="copy a profile under another name")
    duplicate.add_argument("name")
    duplicate.add_argument("new_name")
    delete = actions.add_parser(
        "delete",
        help="delete a profile and the keychain entry made for it alone (a damaged profile too)",
    )
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")


# ----- check --save -----


def save_after_check(
    args: argparse.Namespace, report: CheckReport, secret: str, err: TextIO
) -> str | None:
    """Write the connection `check` tested (wizard/tasks/save.py says the rules); the place
    it went, or None when not asked. Raises the program's UsageError when nothing was saved.
    """
    from wizard.cli import UsageError
    from wizard.core.store import KeychainStore
    from wizard.tasks.save import KeyToKeep, SaveRefused, Target, save_connection

    if not (args.save or args.save_profile):
        return None
    key_file = getattr(args, "private_key", None)
    key = None
    if key_file:
        pem = None
        if args.secret_store == "keychain":
            try:
                with open(key_file, encoding="ascii") as file:
                    pem = file.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(
                    f"Nothing was saved: the private key could not be read ({exc})."
                ) from None
        key = KeyToKeep(
            store=args.secret_store,
            pem=pem,
            path=key_file,
            audience=args.assertion_audience,
            issuer=args.assertion_issuer,
        )
    target = Target(profile=args.save_profile) if args.save_profile else Target(path=args.save)
    try:
        outcome = save_connection(
            report,
            target,
            store=KeychainStore(),
            client_id=report.client_id or args.client_id,
            scopes=report.requested_scopes or args.scopes,
            secret=secret or None,
            secret_store=args.secret_store,
            key=key,
            tool=getattr(args, "tool", None),
            ca_bundle=args.ca_bundle,
            reading=_inputs(args),
            force=args.force,
        )
    except SaveRefused as refused:
        raise UsageError("Nothing was saved: " + save_refused_words(refused, args)) from None
    err.write(f"Saved the connection to {outcome.path} ({kept_words(outcome)}).\n")
    for account in outcome.old_entries_removed:
        err.write(
            f'The keychain entry "{account}" of the connection it replaced was removed (no '
            "other profile names it).\n"
        )
    return str(outcome.path)


def check_save_target(args: argparse.Namespace) -> None:
    """UsageError now when --save or --save-profile could not be written after the test."""
    from wizard.cli import UsageError
    from wizard.tasks.save import SaveRefused, Target, check_target

    if not (args.save or args.save_profile):
        return
    target = Target(profile=args.save_profile) if args.save_profile else Target(path=args.save)
    try:
        check_target(target, reading=_inputs(args), force=args.force)
    except SaveRefused as refused:
        raise UsageError(
            "Nothing was tested or saved: " + save_refused_words(refused, args)
        ) from None


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files this command reads: never written over."""
    names = ("connection", "from_text", "private_key", "ca_bundle")
    return [value for name in names if (value := getattr(args, name, None)) and value != "-"]


def save_refused_words(refused: Any, args: argparse.Namespace) -> str:
    from wizard.tasks.save import SaveProblem

    path = refused.path
    problem = refused.problem
    if problem is SaveProblem.NO_ADDRESS:
        return "the address could not be used, so there is no connection to save."
    if problem is SaveProblem.IS_INPUT:
        return (
            f"{path} is a file this command reads; it is never written over. Choose another file."
        )
    if problem is SaveProblem.IS_FOLDER:
        return f"{path} is a folder. Give a file name."
    if problem is SaveProblem.EXISTS:
        what = (
            f'there is already a profile "{args.save_profile}"'
            if getattr(args, "save_profile", None)
            else f"{path} already exists"
        )
        return f"{what}. Add --force to replace it, or choose another name."
    if problem is SaveProblem.KEYCHAIN:
        return (
            f"{refused.detail} To save without the keychain, add --secret-store none (the "
            "secret is then given again each time) or --secret-store file."
        )
    if problem is SaveProblem.BAD_NAME:
        return str(refused.detail)
    return str(refused.detail or refused)


def kept_words(outcome: Any) -> str:
    from wizard.core.secrets import PRIVATE_KEY_SUFFIX
    from wizard.tasks.save import Kept

    what = (
        "the private key" if (outcome.account or "").endswith(PRIVATE_KEY_SUFFIX) else "the secret"
    )
    return {
        Kept.KEYCHAIN: f"{what} is in this computer's keychain, in an entry of its own "
        f'("{outcome.account}")',
        Kept.IN_FILE: "the secret is in the file itself: keep it private",
        Kept.KEY_FILE: f"the file names the private key {outcome.key_path}",
        Kept.NOWHERE: "the secret is not kept anywhere",
        Kept.NOT_ACCEPTED: "Halo did not accept the secret or key, so it was not kept; "
        "nothing kept before was touched",
    }[outcome.kept]


def _private_key_of(connection: ConnectionFile) -> Any:
    """The private key a saved JWT-assertion connection signs with (a path or a key)."""
    from wizard.cli import UsageError
    from wizard.core.assertion import KeyFileError, load_private_key_pem
    from wizard.core.secrets import PRIVATE_KEY_SUFFIX, KeychainError, account_for, load_at

    entry = connection.assertion
    assert entry is not None
    if entry.key_store == "file":
        return entry.key_path
    if entry.key_store == "keychain":
        account = entry.account or (
            account_for(connection.host, connection.client_id) + PRIVATE_KEY_SUFFIX
        )
        try:
            pem = load_at(account)
        except KeychainError as exc:
            raise UsageError(
                f"The private key could not be read from the keychain: {exc}"
            ) from None
        if pem is None:
            raise UsageError(
                "The connection's private key is not in this computer's keychain (it was "
                "saved on another computer, or removed)."
            )
        try:
            return load_private_key_pem(pem, "the key in the keychain")
        except KeyFileError as exc:
            raise UsageError(str(exc)) from None
    raise UsageError(
        "The connection signs with a private key it does not record: diagnose it with "
        "halo-wizard check ... --private-key FILE."
    )


# ----- diagnose -----


def _source(args: argparse.Namespace, stdin: TextIO) -> tuple[ConnectionFile | None, Any, str]:
    """(connection file, recognised text, what was diagnosed, in words)."""
    from wizard.cli import UsageError
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
    from wizard.core import fromtext

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
    # A connection file pasted as text is read as one.
    if raw.lstrip().startswith("{"):
        try:
            return ConnectionFile.from_bytes(raw.encode("utf-8"), source=name), None, name
        except ConnectionFileError:
            pass
    return None, fromtext.recognise(raw), name


SECRET_NOTES = {
    "environment_not_used": "HALO_CLIENT_SECRET is set but was not used: {first} comes "
    "first. Unset it if it belongs to another connection.",
    "keychain_missing_used_environment": "The connection's secret is not in this computer's "
    "keychain; the secret in HALO_CLIENT_SECRET was used instead.",
    "keychain_unreadable_used_environment": "The keychain could not be read ({detail}); the "
    "secret in HALO_CLIENT_SECRET was used instead.",
}
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


def _secret(
    args: argparse.Namespace,
    stdin: TextIO,
    connection: ConnectionFile | None,
    err: TextIO,
) -> Any:
    """The SecretChoice for the test (wizard/tasks/credential.py: explicit before implicit);
    asks at a hidden prompt in a terminal when nothing else gives one."""
    from wizard.cli import SECRET_ENV, UsageError, _read_stdin, _secret_from_environment
    from wizard.core.log import register_secret
    from wizard.core.store import KeychainStore
    from wizard.tasks.credential import SecretProblem, choose_secret

    stdin_secret = None
    if args.client_secret_stdin:
        text = _read_stdin(stdin)
        stdin_secret = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    environ = dict(os.environ)
    if SECRET_ENV in environ:
        environ[SECRET_ENV] = _secret_from_environment(environ[SECRET_ENV])
    choice = choose_secret(
        connection,
        store=KeychainStore(),
        stdin_secret=stdin_secret,
        environ=environ,
        rotating=args.rotate_secret,
    )
    if choice.secret is None:
        if choice.problem is SecretProblem.KEYCHAIN_UNREADABLE:
            err.write(f"The keychain could not be read: {choice.detail}\n")
        if stdin.isatty():
            import getpass

            prompt = "New client secret" if args.rotate_secret else "Client secret"
            choice = choice.with_prompted(getpass.getpass(f"{prompt} (input hidden): "))
        elif choice.problem is SecretProblem.NOT_IN_KEYCHAIN:
            raise UsageError(
                "The connection's secret is not in this computer's keychain (it was saved on "
                f"another computer, or removed). Set {SECRET_ENV}, or pass "
                "--client-secret-stdin."
            )
        else:
            raise UsageError(
                f"No client secret: set {SECRET_ENV}, or pass --client-secret-stdin and send "
                "the secret on standard input."
            )
    register_secret(choice.secret)
    first = "the " + SECRET_ORIGINS[choice.origin.value]
    for note in choice.notes:
        words = SECRET_NOTES[note.value].format(first=first, detail=choice.detail or "")
        err.write(f"Note: {words}\n")
    return choice


def run_diagnose(
    args: argparse.Namespace,
    stdin: TextIO,
    out: TextIO,
    *,
    check_options: Callable[[argparse.Namespace], None],
    qt_versions: Callable[[], tuple[str | None, str | None, str | None]],
) -> int:
    from wizard.cli import EXIT_OK, EXIT_PROBLEMS, UsageError
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
        for note in recognised.notes:
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
    if connection is not None and connection.assertion is not None:
        if args.rotate_secret:
            raise UsageError(
                "This connection signs with a private key, not a secret: there is no secret "
                "to rotate. Make a new key pair with halo-wizard keygen instead."
            )
        key_options = {
            "private_key": _private_key_of(connection),
            "assertion_audience": connection.assertion.audience,
            "assertion_issuer": connection.assertion.issuer,
        }
        secret, secret_from = "", SecretFrom.NONE
    else:
        choice = _secret(args, stdin, connection, err)
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
    report = run_check_sync(request)
    found = changes(last, report)
    last_tested_at = last.tested_at if last is not None else None
    data = report.to_dict()
    data["last_tested_at"] = last_tested_at
    data["changes"] = [change.to_dict() for change in found]
    data["source"] = source
    data["secret_from"] = secret_from.value
    if args.rotate_secret:
        outcome = rotate(connection, report, secret, KeychainStore())
        data["secret_rotated"] = outcome.result.value == "replaced"
        err.write(_rotation_words(outcome) + "\n")
    if args.save and connection is not None:
        _update_tested(args, connection, report, err)
    if report_path is not None:
        _write_report(str(report_path), data, source, last_tested_at, secret, qt_versions, err)
    del secret
    from wizard import recipes_cli

    if args.json:
        data["tool"] = args.tool
        recipes_cli.add_to_json(data, args, report)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        from wizard.cli import _print_report

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
    from wizard.cli import UsageError
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
        how = "was saved for" if connection is not None else "has the form labels of"
        err.write(f"Judged as {chosen.name}'s connection: it {how} {chosen.name}.\n")
        return chosen.id
    if recognised is not None:
        err.write(
            "The labels are not one tool's own: judged as no particular tool. Add --for TOOL "
            "(see `halo-wizard recipes`) to judge it as your tool's.\n"
        )
    return None


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

    from wizard.cli import UsageError
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
    from wizard.cli import UsageError
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
    try:
        htmlreport.write_report(path, report)
    except ExportError as exc:
        raise UsageError(f"The report was not written: {exc}") from None
    err.write(f"Wrote the support report to {os.path.abspath(path)} (it holds no secret).\n")


# ----- profiles -----


def run_profiles(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from wizard.cli import EXIT_OK, UsageError
    from wizard.core import profiles

    action = args.profiles_action
    try:
        if action == "list":
            found = profiles.summaries()
            if args.json:
                out.write(json.dumps([p.to_dict() for p in found], indent=2) + "\n")
            elif not found:
                out.write(f"No profiles yet (they are kept in {profiles.profiles_folder()}).\n")
            else:
                width = max(len(p.name) for p in found)
                for p in found:
                    if p.problem:
                        status = f"cannot be read: {p.problem}"
                    elif p.tested_at is None:
                        status = "never tested"
                    else:
                        status = f"{'works' if p.ok else 'had problems'} at {p.tested_at}"
                    out.write(f"{p.name:<{width}}  {p.host or ''}  {status}\n")
        elif action == "show":
            connection = profiles.load(args.name)
            if args.json:
                shown = connection.to_dict(redact_secret=True)
                out.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
            else:
                out.write(_show(args.name, connection))
        elif action == "rename":
            place = profiles.rename(args.name, args.new_name)
            out.write(f'Renamed "{args.name}" to "{place.stem}".\n')
        elif action == "duplicate":
            place = profiles.duplicate(args.name, args.new_name)
            out.write(f'Copied "{args.name}" to "{place.stem}".\n')
        elif action == "delete":
            return _delete_profile(args, stdin, out)
    except profiles.ProfileError as exc:
        raise UsageError(str(exc)) from None
    out.flush()
    return EXIT_OK


def _delete_profile(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """profiles delete: says exactly what will happen to the file and to each keychain entry
    (wizard/tasks/forget.py), asks unless --yes, then does it."""
    from wizard.cli import EXIT_OK, UsageError
    from wizard.core.store import KeychainStore
    from wizard.tasks.forget import forget, plan

    planned = plan(args.name)
    what = _forget_plan_words(planned)
    if not args.yes:
        if not stdin.isatty():
            raise UsageError(f'Deleting "{args.name}" needs confirmation: add --yes. {what}')
        out.write(f"{what}\nDelete it? [y/N] ")
        out.flush()
        if stdin.readline().strip().lower() not in ("y", "yes"):
            out.write("Nothing was deleted.\n")
            return EXIT_OK
    done = forget(args.name, KeychainStore())
    out.write(f'Deleted the profile "{args.name}".\n')
    for account, fate in done.entries:
        out.write(_entry_fate_words(account, fate.value, done.detail) + "\n")
    if done.damaged:
        out.write(
            "It could not be read, so the keychain entry it named (if any) is unknown and was "
            "left in the keychain.\n"
        )
    out.flush()
    return EXIT_OK


def _forget_plan_words(planned: Any) -> str:
    from wizard.tasks.forget import EntryFate

    if planned.damaged:
        return (
            f'The profile "{planned.name}" cannot be read: its file will be deleted; no '
            "keychain entry will be removed (the one it named cannot be known)."
        )
    parts = [f'The profile "{planned.name}" will be deleted.']
    if not planned.entries:
        parts.append("It keeps nothing in the keychain.")
    for account, fate in planned.entries:
        if fate is EntryFate.REMOVED:
            parts.append(f'Its keychain entry "{account}" will be removed (made for it alone).')
        elif fate is EntryFate.SHARED:
            parts.append(
                f'Its keychain entry "{account}" will be kept: connection files saved by '
                "earlier versions may use it."
            )
        else:
            parts.append(f'Its keychain entry "{account}" will be kept: another profile uses it.')
    return " ".join(parts)


def _entry_fate_words(account: str, fate: str, detail: str | None) -> str:
    return {
        "removed": f'Removed its keychain entry "{account}".',
        "missing": f'Its keychain entry "{account}" was already gone.',
        "shared": f'Kept the keychain entry "{account}": connection files saved by earlier '
        "versions may use it.",
        "named_elsewhere": f'Kept the keychain entry "{account}": another profile uses it.',
        "failed": f'The keychain entry "{account}" was not removed: {detail}',
    }[fate]


def _show(name: str, connection: ConnectionFile) -> str:
    last = connection.last_result
    lines = [
        f"Profile:     {name}",
        f"Halo:        {connection.host}",
        f"Tenant:      {connection.tenant or 'none (on-premise)'}",
        f"Token URL:   {connection.token_url or 'not known'}",
        f"Client ID:   {connection.client_id}",
        f"Scopes:      {' '.join(connection.scopes)}",
        f"Secret:      {connection.secret.note()}",
    ]
    if last is None:
        lines.append("Last test:   never")
    else:
        from wizard.core.findings import Severity

        errors = last.codes(Severity.ERROR)
        verdict = (
            "works" if last.ok else "had problems" + (f": {', '.join(errors)}" if errors else "")
        )
        lines.append(f"Last test:   {last.tested_at or 'time unknown'}: {verdict}")
    return "\n".join(lines) + "\n"
