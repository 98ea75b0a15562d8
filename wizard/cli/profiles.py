"""`profiles`: list, show, rename, duplicate or delete saved connections."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile


def add_command(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    profiles = commands.add_parser(
        "profiles",
        allow_abbrev=False,
        help="list, show, rename, duplicate or delete saved connections",
    )
    actions = profiles.add_subparsers(
        dest="profiles_action", metavar="ACTION", required=True, parser_class=parser_class
    )
    listing = actions.add_parser("list", help="every profile, with its last result")
    listing.add_argument(
        "--json", action="store_true", help="print one JSON array instead of the readable list"
    )
    show = actions.add_parser("show", help="one profile's connection and last result")
    show.add_argument("name", help="the profile's name, as `profiles list` shows it")
    show.add_argument(
        "--json",
        action="store_true",
        help="print the profile as one JSON object (its secret is never shown)",
    )
    rename = actions.add_parser("rename", help="give a profile another name")
    rename.add_argument("name", help="the profile's name now")
    rename.add_argument("new_name", help="the name it gets (no profile may have it yet)")
    duplicate = actions.add_parser("duplicate", help="copy a profile under another name")
    duplicate.add_argument("name", help="the profile to copy")
    duplicate.add_argument("new_name", help="the copy's name (no profile may have it yet)")
    delete = actions.add_parser(
        "delete",
        help="delete a profile and the keychain entry made for it alone (a damaged profile too)",
    )
    delete.add_argument("name", help="the profile to delete")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def run(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from wizard.cli.common import EXIT_OK, UsageError
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
    from wizard.cli.common import EXIT_OK, UsageError
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
