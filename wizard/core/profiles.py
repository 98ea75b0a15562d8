"""Named connections ("profiles"): connection files kept in the per-user data folder.

Each profile is one connection file, `<data folder>/profiles/<name>.json`, written like any
connection file (atomically, readable by this user only), so it remembers its last result
and when it ran. The data folder is the one the OS expects (platformdirs):
Windows `%LOCALAPPDATA%\\halo-wizard`, macOS `~/Library/Application Support/halo-wizard`,
Linux `$XDG_DATA_HOME/halo-wizard` (`~/.local/share/halo-wizard`). HALO_WIZARD_DATA_DIR
replaces it (tests, portable use).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wizard.core.connection_file import ConnectionFile, ConnectionFileError, ExportError

APP_NAME = "halo-wizard"
DATA_DIR_ENV = "HALO_WIZARD_DATA_DIR"
_SUFFIX = ".json"
# Letters, digits, spaces and . _ - only; not starting with a dot or a space.
_NAME = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9 _.\-]{0,63}$")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


class ProfileError(ExportError):
    """A profile could not be found, named, read or written; the message says why."""


@dataclass(frozen=True)
class ProfileSummary:
    """A profile as a list shows it."""

    name: str
    host: str | None
    tested_at: str | None
    ok: bool | None
    problem: str | None = None  # why the file could not be read, when it could not

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "host": self.host,
            "tested_at": self.tested_at,
            "ok": self.ok,
            "problem": self.problem,
        }


def data_folder() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def profiles_folder() -> Path:
    return data_folder() / "profiles"


def check_name(name: str) -> str:
    """The name itself when it can be a profile's name; ProfileError saying why not."""
    cleaned = name.strip()
    if not cleaned:
        raise ProfileError("A profile needs a name.")
    if not _NAME.match(cleaned) or cleaned.endswith((" ", ".")) or _RESERVED.match(cleaned):
        raise ProfileError(
            f'"{name}" cannot be a profile name: use up to 64 letters, digits, spaces, '
            "dots, hyphens and underscores, starting with a letter or digit "
            '(for example "acme" or "Acme production").'
        )
    return cleaned


def path_of(name: str) -> Path:
    return profiles_folder() / (check_name(name) + _SUFFIX)


def exists(name: str) -> bool:
    return path_of(name).is_file()


def names() -> list[str]:
    """Every profile's name, sorted case-insensitively."""
    folder = profiles_folder()
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ProfileError(
            f"The profiles in {folder} could not be listed: {exc.strerror}."
        ) from exc
    found = []
    for entry in entries:
        if entry.suffix == _SUFFIX and entry.is_file():
            try:
                found.append(check_name(entry.stem))
            except ProfileError:
                continue  # not one of ours
    return sorted(found, key=str.casefold)


def summaries() -> list[ProfileSummary]:
    """Every profile with its address and last result; a damaged one says why."""
    result = []
    for name in names():
        try:
            connection = load(name)
        except ProfileError as exc:
            result.append(ProfileSummary(name, None, None, None, str(exc)))
            continue
        last = connection.last_result
        result.append(
            ProfileSummary(
                name,
                connection.host,
                last.tested_at if last else None,
                last.ok if last else None,
            )
        )
    return result


def load(name: str) -> ConnectionFile:
    path = path_of(name)
    if not path.is_file():
        raise ProfileError(_missing(name))
    try:
        return ConnectionFile.load(path)
    except ConnectionFileError as exc:
        raise ProfileError(f'The profile "{name}" cannot be opened: {exc}') from exc


def save(name: str, connection: ConnectionFile) -> Path:
    """Write (or replace) the profile `name`; its path."""
    path = path_of(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProfileError(
            f"The profiles folder {path.parent} could not be made: {exc.strerror}."
        ) from exc
    connection.save(path)
    return path


def rename(old: str, new: str) -> Path:
    source, target = path_of(old), path_of(new)
    if not source.is_file():
        raise ProfileError(_missing(old))
    if target.is_file() and not _same_file(source, target):
        raise ProfileError(f'There is already a profile "{check_name(new)}".')
    try:
        os.replace(source, target)
    except OSError as exc:
        raise ProfileError(f'"{old}" could not be renamed: {exc.strerror}.') from exc
    return target


def duplicate(name: str, copy: str) -> Path:
    connection = load(name)
    if exists(copy):
        raise ProfileError(f'There is already a profile "{check_name(copy)}".')
    return save(copy, connection)


def delete(name: str, *, forget_secret: Callable[[str, str], bool] | None = None) -> bool:
    """Remove the profile; with `forget_secret`, also its keychain entry when no other
    profile uses the same entry. True when a keychain entry was removed."""
    path = path_of(name)
    if not path.is_file():
        raise ProfileError(_missing(name))
    try:
        connection: ConnectionFile | None = load(name)
    except ProfileError:
        connection = None  # a damaged profile can still be deleted; its entry is unknown
    removed_secret = False
    if (
        connection is not None
        and forget_secret is not None
        and connection.secret.store == "keychain"
    ):
        shared = any(other != name and _same_entry(other, connection) for other in names())
        if not shared:
            removed_secret = forget_secret(connection.host, connection.client_id)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ProfileError(f'The profile "{name}" could not be deleted: {exc.strerror}.') from exc
    return removed_secret


def _same_entry(other: str, connection: ConnectionFile) -> bool:
    try:
        theirs = load(other)
    except ProfileError:
        return False
    return theirs.secret.store == "keychain" and theirs.secret.account == connection.secret.account


def _same_file(one: Path, two: Path) -> bool:
    try:
        return os.path.samefile(one, two)
    except OSError:
        return False


def _missing(name: str) -> str:
    known = names()
    listed = ", ".join(f'"{n}"' for n in known) if known else "none yet"
    return f'There is no profile "{name}" (profiles: {listed}).'
