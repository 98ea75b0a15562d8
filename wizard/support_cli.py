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
        "(the default), in the file itself, or nowhere",
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
    diagnose.add_argument("--report", metavar="FILE.html", help="also write a support report")
    diagnose.add_argument("--client-secret-stdin", action="store_true")
    diagnose.add_argument(
        "--rotate-secret",
        action="store_true",
        help="the secret given is a new one generated in Halo: once it passes the test it "
        "replaces the one in the keychain (which is kept until then)",
    )
    diagnose.add_argument("--ca-bundle", metavar="FILE")
    diagnose.add_argument("--timeout", type=float, default=10.0, metavar="S")
    diagnose.add_argument("--json", action="store_true", help="print one JSON object")

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
        "delete", help="delete a profile and the keychain entry only it uses"
    )
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")


# ----- check --save -----


def save_after_check(
    args: argparse.Namespace, report: CheckReport, secret: str, err: TextIO
) -> str | None:
    """Write the connection `check` tested; the place it went, or None when not asked.

    Raises the program's UsageError (via `fail`) when it cannot be saved.
    """
    from wizard.cli import UsageError
    from wizard.core import profiles
    from wizard.core.connection_file import ConnectionFile, ExportError

    if not (args.save or args.save_profile):
        return None
    if not report.host:
        raise UsageError(
            "Nothing was saved: the address could not be used, so there is no connection to save."
        )
    store = args.secret_store
    key_file = getattr(args, "private_key", None)
    client_id = report.client_id or args.client_id
    assertion = None
    if key_file:
        assertion = _assertion_entry(args, report.host, client_id, key_file)
    try:
        connection = ConnectionFile.from_report(
            report,
            client_id=client_id,
            identity_kind=None,
            scopes=report.requested_scopes or args.scopes,
            secret=secret if store == "file" and assertion is None else None,
            secret_in_keychain=store == "keychain" and assertion is None,
            assertion=assertion,
        )
    except ValueError as exc:
        raise UsageError(f"Nothing was saved: {exc}") from None
    if assertion is not None:
        if assertion.key_store == "keychain" and key_file:
            _store_key(connection.host, connection.client_id, key_file)
    elif store == "keychain":
        from wizard.core.secrets import KeychainError, store_secret

        try:
            store_secret(connection.host, connection.client_id, secret)
        except KeychainError as exc:
            raise UsageError(
                f"Nothing was saved: {exc} To save without the keychain, add "
                "--secret-store none (the secret is then given again each time) or "
                "--secret-store file."
            ) from None
    try:
        if args.save_profile:
            place = str(profiles.save(args.save_profile, connection))
        else:
            connection.save(args.save)
            place = os.path.abspath(args.save)
    except ExportError as exc:
        raise UsageError(f"Nothing was saved: {exc}") from None
    if assertion is not None:
        where = {
            "keychain": "the private key is in this computer's keychain",
            "file": f"the file names the private key {assertion.key_path}",
            "none": "the private key is not recorded",
        }[assertion.key_store]
    else:
        where = {
            "keychain": "the secret is in this computer's keychain",
            "file": "the secret is in the file itself: keep it private",
            "none": "the secret is not kept anywhere",
        }[store]
    err.write(f"Saved the connection to {place} ({where}).\n")
    return place


def _assertion_entry(args: argparse.Namespace, host: str, client_id: str, key_file: str) -> Any:
    """Where a saved JWT-assertion connection keeps its key: --secret-store keychain puts
    the key in the keychain, file names the key file (never copied into the connection
    file), none records nothing."""
    from wizard.core.connection_file import AssertionEntry

    audience, issuer = args.assertion_audience, args.assertion_issuer
    if args.secret_store == "keychain":
        return AssertionEntry.keychain(host, client_id, audience=audience, issuer=issuer)
    if args.secret_store == "file":
        return AssertionEntry("file", os.path.abspath(key_file), audience=audience, issuer=issuer)
    return AssertionEntry("none", audience=audience, issuer=issuer)


def _store_key(host: str, client_id: str, key_file: str) -> None:
    from wizard.cli import UsageError
    from wizard.core.secrets import PRIVATE_KEY_SUFFIX, KeychainError, store_secret

    try:
        with open(key_file, encoding="ascii") as file:
            pem = file.read()
        store_secret(host, client_id, pem, suffix=PRIVATE_KEY_SUFFIX)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Nothing was saved: the private key could not be read ({exc}).") from None
    except KeychainError as exc:
        raise UsageError(
            f"Nothing was saved: {exc} To save without the keychain, add --secret-store file "
            "(the connection file then names the key file) or --secret-store none."
        ) from None


def _private_key_of(connection: ConnectionFile) -> Any:
    """The private key a saved JWT-assertion connection signs with (a path or a key)."""
    from wizard.cli import UsageError
    from wizard.core.assertion import KeyFileError, load_private_key_pem
    from wizard.core.secrets import PRIVATE_KEY_SUFFIX, KeychainError, load_secret

    entry = connection.assertion
    assert entry is not None
    if entry.key_store == "file":
        return entry.key_path
    if entry.key_store == "keychain":
        try:
            pem = load_secret(connection.host, connection.client_id, suffix=PRIVATE_KEY_SUFFIX)
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


def _secret(
    args: argparse.Namespace,
    stdin: TextIO,
    connection: ConnectionFile | None,
    host: str,
    client_id: str,
    err: TextIO,
) -> str:
    from wizard.cli import SECRET_ENV, UsageError, _read_stdin, _secret_from_environment
    from wizard.core.log import register_secret

    secret: str | None = None
    from_env = os.environ.get(SECRET_ENV)
    if from_env is not None:
        secret = _secret_from_environment(from_env)
    elif args.client_secret_stdin:
        text = _read_stdin(stdin)
        secret = text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    elif args.rotate_secret:
        pass  # a new secret: never the one the connection keeps
    elif connection is not None and connection.secret.store == "embedded":
        secret = connection.secret.value
    elif connection is not None and connection.secret.store == "keychain":
        from wizard.core.secrets import KeychainError, load_secret

        try:
            secret = load_secret(host, client_id)
        except KeychainError as exc:
            err.write(f"The keychain could not be read: {exc}\n")
        if secret is None and not stdin.isatty():
            raise UsageError(
                "The connection's secret is not in this computer's keychain (it was saved on "
                f"another computer, or removed). Set {SECRET_ENV}, or pass "
                "--client-secret-stdin."
            )
    if secret is None:
        if stdin.isatty():
            import getpass

            prompt = "New client secret" if args.rotate_secret else "Client secret"
            secret = getpass.getpass(f"{prompt} (input hidden): ")
        else:
            raise UsageError(
                f"No client secret: set {SECRET_ENV}, or pass --client-secret-stdin and send "
                "the secret on standard input."
            )
    register_secret(secret)
    return secret


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
    from wizard.core.scopes import parse_scopes

    check_options(args)
    connection, recognised, source = _source(args, stdin)
    err = sys.stderr
    if connection is not None:
        host, client_id = connection.host, connection.client_id
        tenant, scopes = connection.tenant, " ".join(connection.scopes)
        known_token_url, auth_url = connection.token_url, None
        last = connection.last_result
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
    if args.scopes:
        scopes = args.scopes
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
        secret = ""
    else:
        secret = _secret(args, stdin, connection, host, client_id, err)
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
        **key_options,
    )
    report = run_check_sync(request)
    found = changes(last, report)
    last_tested_at = last.tested_at if last is not None else None
    data = report.to_dict()
    data["last_tested_at"] = last_tested_at
    data["changes"] = [change.to_dict() for change in found]
    data["source"] = source
    if args.rotate_secret:
        data["secret_rotated"] = _rotate(report, connection, secret, err)
    if args.report:
        _write_report(args.report, data, source, last_tested_at, secret, qt_versions, err)
    del secret
    if args.json:
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        from wizard.cli import _print_report

        _print_report(report, False, out)
        out.write("\n" + _changes_text(found, last_tested_at))
    out.flush()
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _rotate(
    report: CheckReport, connection: ConnectionFile | None, secret: str, err: TextIO
) -> bool:
    """Put the new secret in the keychain once it has passed the test; whether it was."""
    if connection is None or connection.secret.store != "keychain":
        err.write(
            "Nothing was replaced: this connection keeps no secret in the keychain. Save it "
            "again with `check --save` to keep the new secret.\n"
        )
        return False
    if not report.ok:
        err.write(
            "The new secret did not pass the test, so the old one is still in the keychain.\n"
        )
        return False
    from wizard.core.secrets import KeychainError, store_secret

    try:
        store_secret(connection.host, connection.client_id, secret)
    except KeychainError as exc:
        err.write(f"The new secret passed the test but could not be put in the keychain: {exc}\n")
        return False
    err.write("The new secret passed the test and replaced the old one in the keychain.\n")
    return True


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
                out.write(connection.to_json().decode("utf-8"))
            else:
                out.write(_show(args.name, connection))
        elif action == "rename":
            place = profiles.rename(args.name, args.new_name)
            out.write(f'Renamed "{args.name}" to "{place.stem}".\n')
        elif action == "duplicate":
            place = profiles.duplicate(args.name, args.new_name)
            out.write(f'Copied "{args.name}" to "{place.stem}".\n')
        elif action == "delete":
            profiles.load(args.name)  # says plainly when there is no such profile
            if not args.yes:
                if not stdin.isatty():
                    raise UsageError(f'Deleting "{args.name}" needs confirmation: add --yes.')
                out.write(
                    f'Delete the profile "{args.name}" and its secret in the keychain? [y/N] '
                )
                out.flush()
                if stdin.readline().strip().lower() not in ("y", "yes"):
                    out.write("Nothing was deleted.\n")
                    return EXIT_OK
            removed = profiles.delete(args.name, forget_secret=_forget_secret)
            extra = " and its secret in the keychain" if removed else ""
            out.write(f'Deleted the profile "{args.name}"{extra}.\n')
    except profiles.ProfileError as exc:
        raise UsageError(str(exc)) from None
    out.flush()
    return EXIT_OK


def _forget_secret(host: str, client_id: str) -> bool:
    from wizard.core.secrets import KeychainError, delete_secret

    try:
        return delete_secret(host, client_id)
    except KeychainError as exc:
        sys.stderr.write(f"The secret in the keychain was not removed: {exc}\n")
        return False


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
