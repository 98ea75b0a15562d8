"""The connection file a tested connection is exported to, and its environment variables."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from wizard.core.findings import Severity
from wizard.core.model import CheckReport
from wizard.core.secrets import SERVICE, account_for

SCHEMA = "halo-connection"
SCHEMA_VERSION = 1
SHELLS = ("posix", "powershell", "cmd")
SECRET_STORES = ("keychain", "embedded", "none")

# A connection file is a few hundred bytes; anything far bigger is not one, and support
# staff open files sent by customers.
_MAX_READ = 1_000_000

# PowerShell ends a single-quoted string at typographic single quotes as well as at '.
_POWERSHELL_QUOTES = "'\u2018\u2019\u201a\u201b"
# Inside cmd's "..." these still act: % and ! expand variables, " ends the quoting.
_CMD_UNSAFE = '"%!'


class ExportError(Exception):
    """A connection file could not be written or read; the message says why, plainly."""


def build_connection(
    report: CheckReport,
    *,
    client_id: str,
    identity_kind: str | None,
    scopes: Sequence[str],
    secret: str | None,
    secret_in_keychain: bool,
    tested_at: str | None = None,
) -> dict[str, Any]:
    """The connection file's content for a tested connection, ready for json.dump.

    The secret is referenced in the keychain when `secret_in_keychain`, embedded only when
    `secret` is given (the admin chose to embed it), and otherwise left out (store "none").
    `identity_kind` falls back to what the check saw when not given.
    """
    if secret is not None and secret_in_keychain:
        raise ValueError("The secret is either embedded or kept in the keychain, not both.")
    if not report.host:
        raise ValueError(
            "The check did not get as far as a Halo address; there is nothing to export."
        )
    host = report.host
    when = tested_at or report.started_at or datetime.now(UTC).isoformat(timespec="seconds")
    scope_list = scopes.split() if isinstance(scopes, str) else list(scopes)
    identity = report.identity
    secret_entry: dict[str, Any]
    if secret_in_keychain:
        secret_entry = {
            "store": "keychain",
            "service": SERVICE,
            "account": account_for(host, client_id),
        }
    elif secret is not None:
        secret_entry = {"store": "embedded", "value": secret}
    else:
        secret_entry = {"store": "none"}
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "host": host,
        "auth_url": report.auth_url,
        "token_url": report.token_url,
        "tenant": report.tenant,
        "client_id": client_id,
        "scopes": scope_list,
        "identity": {
            "kind": identity_kind or (identity.kind if identity else None),
            "name": identity.name if identity else None,
            "id": identity.id if identity else None,
        },
        "product": report.product,
        "version": report.version,
        "tested_at": when,
        "test": {
            "ok": report.ok,
            "errors": [f.code for f in report.findings if f.severity is Severity.ERROR],
            "warnings": [f.code for f in report.findings if f.severity is Severity.WARNING],
        },
        "secret": secret_entry,
    }


def _write_problem(exc: OSError, path: str, folder: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"The folder {folder} does not exist. Choose another folder, or create it first."
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder. Choose a file name inside it."
    if isinstance(exc, PermissionError):
        return (
            f"You are not allowed to write to {path}: the folder {folder} is protected, or the "
            "file is open in another program. Choose another folder, such as Documents."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding {folder} is full. Free some space or choose another folder."
    if exc.errno == errno.EROFS:
        return f"The folder {folder} is on a read-only disk. Choose another folder."
    return f"Could not write {path}: {exc.strerror or exc}."


def write_connection_file(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write `data` to `path` atomically, readable only by this user on macOS and Linux.

    A temporary file next to `path` is written and flushed to disk, then renamed over
    `path`, so a crash or a full disk never leaves a half-written connection file. On
    Windows the file gets the folder's usual permissions.
    """
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    # Serialised first, so that data which is not JSON fails before anything touches the disk.
    content = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    temp: str | None = None
    try:
        # mkstemp creates the file with mode 0600 before a byte is written, so the secret,
        # when embedded, is never readable by others, not even for a moment.
        fd, temp = tempfile.mkstemp(
            dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp"
        )
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        # The rename keeps the temporary file's inode and so its 0600 mode.
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise ExportError(_write_problem(exc, target, folder)) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.remove(temp)
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    # Makes the rename itself survive a power cut; folders cannot be opened on Windows.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], name: str) -> None:
    if not isinstance(data.get(key), kind):
        raise ExportError(f"{name} is damaged: its {key!r} entry is missing or not valid.")


def read_connection_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a connection file; raise ExportError saying plainly what is wrong."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            raw = file.read(_MAX_READ + 1)
    except FileNotFoundError as exc:
        raise ExportError(f"There is no file {name}.") from exc
    except IsADirectoryError as exc:
        raise ExportError(f"{name} is a folder, not a connection file.") from exc
    except PermissionError as exc:
        raise ExportError(f"You are not allowed to open {name}.") from exc
    except OSError as exc:
        raise ExportError(f"Could not open {name}: {exc.strerror or exc}.") from exc
    if len(raw) > _MAX_READ:
        raise ExportError(f"{name} is far too large to be a Halo connection file.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ExportError(f"{name} is not a Halo connection file (it is not text).") from exc
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{name} is not a Halo connection file, or it was damaged: it is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno})."
        ) from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        kind = data.get("schema") if isinstance(data, dict) else None
        said = f"it says it is {kind!r}" if isinstance(kind, str) else "it has no 'schema' entry"
        raise ExportError(
            f"{name} is not a Halo connection file ({said}, not {SCHEMA!r}). Ask for the "
            "connection file the wizard exported."
        )
    version = data.get("schema_version")
    if type(version) is not int or version < 1:
        raise ExportError(f"{name} is damaged: its schema version {version!r} is not valid.")
    if version > SCHEMA_VERSION:
        raise ExportError(
            f"{name} was made by a newer version of the wizard (file version {version}; this "
            f"version reads version {SCHEMA_VERSION}). Update the wizard to open it."
        )
    _require(data, "host", str, name)
    _require(data, "client_id", str, name)
    _require(data, "scopes", list, name)
    if not all(isinstance(scope, str) for scope in data["scopes"]):
        raise ExportError(f"{name} is damaged: its 'scopes' entry is not a list of scopes.")
    for key in ("auth_url", "token_url", "tenant"):
        _require(data, key, (str, type(None)), name)
    secret = data.get("secret")
    if not isinstance(secret, dict) or secret.get("store") not in SECRET_STORES:
        raise ExportError(f"{name} is damaged: it does not say where the secret is kept.")
    if secret["store"] == "embedded" and not isinstance(secret.get("value"), str):
        raise ExportError(f"{name} is damaged: its embedded secret is missing.")
    return data


def _check_value(name: str, value: str) -> str:
    # A line break or control character in pasted text could end the quoting and run
    # whatever follows; no Halo value contains one.
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise ValueError(f"{name} contains a line break or control character; it is not copied.")
    return value


def _comment_text(text: str) -> str:
    return "".join("?" if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def _assignment(shell: str, name: str, value: str) -> str:
    _check_value(name, value)
    if shell == "posix":
        return f"export {name}='" + value.replace("'", "'\\''") + "'"
    if shell == "powershell":
        escaped = "".join(c + c if c in _POWERSHELL_QUOTES else c for c in value)
        return f"$env:{name} = '{escaped}'"
    if any(c in _CMD_UNSAFE for c in value):
        raise ValueError(
            f'{name} contains " % or !, which the Windows command prompt cannot be given '
            "safely. Copy the variables for PowerShell instead."
        )
    return f'set "{name}={value}"'


def _secret_note(secret: dict[str, Any]) -> str:
    store = secret.get("store")
    if store == "keychain":
        service = secret.get("service", SERVICE)
        account = secret.get("account", "")
        return (
            f"HALO_CLIENT_SECRET is not included: it is kept in the keychain "
            f'(service "{service}", account "{account}").'
        )
    if store == "embedded":
        return "HALO_CLIENT_SECRET is not included: it is in the connection file."
    return "HALO_CLIENT_SECRET is not included: it was not saved, so set it yourself."


def environment_variables(
    data: dict[str, Any], *, include_secret: bool = False, shell: str = "posix"
) -> str:
    """The connection as commands setting HALO_* variables, for "posix", "powershell" or "cmd".

    The secret is included only when asked and only when `data` embeds it; otherwise a
    comment says where it is kept. Raise ValueError for a value the shell cannot be given
    safely (control characters anywhere; " % ! for cmd).
    """
    if shell not in SHELLS:
        raise ValueError(f"Unknown shell {shell!r}: use one of {', '.join(SHELLS)}.")
    values = {
        "HALO_HOST": data.get("host"),
        "HALO_AUTH_URL": data.get("auth_url"),
        "HALO_TOKEN_URL": data.get("token_url"),
        "HALO_TENANT": data.get("tenant"),
        "HALO_CLIENT_ID": data.get("client_id"),
        "HALO_SCOPES": " ".join(data.get("scopes") or []),
    }
    lines = [_assignment(shell, name, str(value or "")) for name, value in values.items()]
    secret = data.get("secret") or {}
    if include_secret:
        if secret.get("store") != "embedded":
            raise ValueError("This connection does not contain the secret, so it cannot be copied.")
        lines.append(_assignment(shell, "HALO_CLIENT_SECRET", secret["value"]))
    else:
        comment = "REM " if shell == "cmd" else "# "
        lines.append(comment + _comment_text(_secret_note(secret)))
    return "\n".join(lines) + "\n"
