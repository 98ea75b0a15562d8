"""Saving a tested connection from the command line, and the words for what the save
tasks (wizard/tasks/save.py) did or refused."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from wizard.core.model import CheckReport, CheckRequest


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


def save_after_check(
    args: argparse.Namespace, report: CheckReport, secret: str, err: TextIO
) -> str | None:
    """Write the connection `check` tested (wizard/tasks/save.py says the rules); the place
    it went, or None when not asked. Raises the program's UsageError when nothing was saved.
    """
    from wizard.cli.common import UsageError
    from wizard.core.kinds import SecretStoreKind
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
            # --secret-store file: the file itself holds the secret ("embedded" in it).
            secret_store=SecretStoreKind(
                "embedded" if args.secret_store == "file" else args.secret_store
            ),
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
    from wizard.cli.common import UsageError
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


# ----- --record: a redacted trace of the test (check and diagnose) -----


def add_record_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record",
        metavar="FILE.json",
        help="also write a trace of this test to FILE.json: each request and the shape of "
        "Halo's answer, with Halo's error texts, never a secret, token or record content, "
        "for whoever helps (`simulate --replay FILE.json` serves it again; an existing file "
        "only with --force; never a file this command reads)",
    )


def record_target(
    args: argparse.Namespace, reading: list[str], other: tuple[str, str | None]
) -> str | None:
    """The file --record writes, checked before the test by the rules every save follows
    (wizard/tasks/save.py): never a file in `reading`, nor the command's other output
    `other` (its option and file); an existing file only with --force. UsageError when it
    must not be written."""
    if not args.record:
        return None
    from wizard.cli.common import UsageError
    from wizard.tasks.save import SaveRefused, Target, check_target, same_file

    option, written = other
    if written and same_file(args.record, written):
        raise UsageError(f"--record and {option} name the same file; give the trace its own.")
    try:
        path = check_target(Target(path=args.record), reading=reading, force=args.force)
    except SaveRefused as refused:
        words = save_refused_words(refused, args)
        raise UsageError(f"Nothing was tested or recorded: {words}") from None
    return str(path)


def recorded(
    request: CheckRequest, path: str, secret: str | None, command: str, err: TextIO
) -> CheckReport:
    """The check, its trace written to `path` as soon as it ends (docs/trace.md)."""
    from wizard.cli.common import UsageError
    from wizard.core.connection_file import ExportError
    from wizard.core.trace import record_check

    try:
        report = record_check(request, path, command=command, secret=secret)
    except ExportError as exc:
        raise UsageError(f"The trace was not written: {exc}") from None
    err.write(
        f"Wrote the trace of this test to {path} (it holds no secret, token or record "
        "content; see docs/trace.md).\n"
    )
    return report
