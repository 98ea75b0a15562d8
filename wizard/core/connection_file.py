"""The connection file a tested connection is exported to, and its environment variables.

A `ConnectionFile` is what the file holds: the connection (address, tenant, authorisation
server, client ID, scopes, where the secret is kept) and the `LastResult` of the test it
passed or failed, finding by finding and scope by scope. `ConnectionFile.load` reads any
file of schema version 1, including those written before the last result was kept in
full; whatever is wrong with a file (damaged, from a newer wizard, hostile, or another
JSON document) is a `ConnectionFileError` whose message says so plainly. The format is
described in docs/connection-file.md.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from wizard.core import messages
from wizard.core.findings import Severity
from wizard.core.kinds import AuthMethod, KeyStore, SecretStoreKind
from wizard.core.model import CheckReport, ScopeStatus
from wizard.core.secrets import PRIVATE_KEY_SUFFIX, SERVICE, account_for

SCHEMA = "halo-connection"
# Raised only when a key changes meaning or a value appears that this version cannot read
# (a new severity or scope status); added keys keep the version, and older wizards ignore
# them (see docs/connection-file.md).
SCHEMA_VERSION = 1
SHELLS = ("posix", "powershell", "cmd")
SECRET_STORES = tuple(kind.value for kind in SecretStoreKind)

# A connection file is a few kilobytes; anything far bigger is not one, and support staff
# open files sent by customers.
_MAX_READ = 1_000_000

# The temporary file a save writes before renaming it over the connection file. The name
# is cut short so that the temporary name fits where the final one does.
_TEMP_SUFFIX = ".tmp"
_TEMP_NAME_MAX = 100
# A temporary file this old was left by a save that was killed (a save takes well under a
# minute, FILE_TIMEOUT in the export page is 30 s), so the next save removes it.
_STALE_TEMP_SECONDS = 3600.0

# PowerShell ends a single-quoted string at typographic single quotes as well as at '.
_POWERSHELL_QUOTES = "'\u2018\u2019\u201a\u201b"
# Inside cmd's "..." these still act: % and ! expand variables, " ends the quoting.
_CMD_UNSAFE = '"%!'


class ExportError(Exception):
    """A connection file could not be written or read; the message says why, plainly."""


class ConnectionFileError(ExportError):
    """A file is not a connection file this wizard can open: missing, damaged, newer, other."""


# ----- the last result -----


@dataclass(frozen=True)
class RecordedFinding:
    """A finding as the connection file keeps it: enough to compare two results."""

    code: str
    severity: Severity
    scope: str | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies this finding across two checks, as Finding.key does."""
        return (self.code, self.scope)


@dataclass(frozen=True)
class RecordedScope:
    """How one scope fared: its status and, when Halo listed records, how many it saw."""

    scope: str
    status: ScopeStatus
    record_count: int | None = None


IDENTITY_DIFFERS = (
    "Halo reported that the connection acts as the {kind} identity, but the {chosen} "
    "identity was chosen in the wizard: check the application's Authentication tab in Halo."
)


@dataclass(frozen=True)
class RecordedIdentity:
    """Who the connection acts as: "agent" or "application", the agent's name and id."""

    kind: str | None = None
    name: str | None = None
    id: int | None = None
    api_only: bool | None = None
    # The kind the admin chose in the wizard, kept only when Halo reported another.
    chosen: str | None = None


@dataclass(frozen=True)
class LastResult:
    """The result of the test the connection was saved after, in full.

    `complete` is False for a file written before the full result was kept: its findings
    are then only the errors and warnings by code (without their scope), and the scopes,
    notes and whether the agent is API-only are not known.
    """

    ok: bool
    tested_at: str | None = None
    product: str | None = None
    version: str | None = None
    tenant: str | None = None
    auth_url: str | None = None
    identity: RecordedIdentity | None = None
    findings: tuple[RecordedFinding, ...] = ()
    scopes: tuple[RecordedScope, ...] = ()
    complete: bool = True

    @classmethod
    def from_report(cls, report: CheckReport, *, tested_at: str | None = None) -> LastResult:
        """What a check found, as a connection file records it."""
        identity = report.identity
        return cls(
            ok=report.ok,
            tested_at=tested_at
            or report.started_at
            or datetime.now(UTC).isoformat(timespec="seconds"),
            product=report.product,
            version=report.version,
            tenant=report.tenant,
            auth_url=report.auth_url,
            identity=(
                RecordedIdentity(identity.kind, identity.name, identity.id, identity.api_only)
                if identity is not None
                else None
            ),
            findings=tuple(
                RecordedFinding(f.code, Severity(f.severity), f.scope) for f in report.findings
            ),
            scopes=tuple(
                RecordedScope(s.scope, ScopeStatus(s.status), s.records) for s in report.scopes
            ),
        )

    def codes(self, severity: Severity) -> list[str]:
        """The codes of the findings of one severity, in the order they were found."""
        return [f.code for f in self.findings if f.severity is severity]


# ----- the connection -----


@dataclass(frozen=True)
class SecretEntry:
    """Where the client secret is: the keychain (service, account), the file itself, nowhere."""

    store: str
    service: str | None = None
    account: str | None = None
    # Never in a repr, so never in a log or a traceback.
    value: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.store not in SECRET_STORES:
            raise ValueError(f"Unknown secret store {self.store!r}.")
        if (self.store == "embedded") != (self.value is not None):
            raise ValueError("A secret value goes with the store 'embedded', and only with it.")

    @classmethod
    def keychain(cls, host: str, client_id: str) -> SecretEntry:
        return cls("keychain", SERVICE, account_for(host, client_id))

    @classmethod
    def embedded(cls, value: str) -> SecretEntry:
        return cls("embedded", value=value)

    @classmethod
    def nowhere(cls) -> SecretEntry:
        return cls("none")

    def note(self) -> str:
        """Where the secret is, for a comment beside the environment variables."""
        if self.store == "keychain":
            return messages.FILE_SECRET_IN_KEYCHAIN.format(
                service=self.service or SERVICE, account=self.account or ""
            )
        if self.store == "embedded":
            return messages.FILE_SECRET_IN_FILE
        return messages.FILE_SECRET_NOWHERE


KEY_STORES = tuple(kind.value for kind in KeyStore)


@dataclass(frozen=True)
class AssertionEntry:
    """A connection that signs a JWT assertion (JWT Assertion (Services)) instead of sending
    a secret: where its private key is, and the audience and issuer it signs for.

    `key_store`: "keychain" (the PEM under `service`/`account`), "file" (`key_path`, a file
    readable by its owner only) or "none" (not recorded). The key itself is never in the
    connection file.
    """

    key_store: str
    key_path: str | None = None
    service: str | None = None
    account: str | None = None
    audience: str | None = None
    issuer: str | None = None

    def __post_init__(self) -> None:
        if self.key_store not in KEY_STORES:
            raise ValueError(f"Unknown private-key store {self.key_store!r}.")
        if (self.key_store == "file") != (self.key_path is not None):
            raise ValueError("A key path goes with the store 'file', and only with it.")

    @classmethod
    def keychain(
        cls, host: str, client_id: str, *, audience: str | None = None, issuer: str | None = None
    ) -> AssertionEntry:
        account = account_for(host, client_id) + PRIVATE_KEY_SUFFIX
        return cls("keychain", None, SERVICE, account, audience, issuer)

    def to_dict(self) -> dict[str, Any]:
        key: dict[str, Any] = {"store": self.key_store}
        if self.key_store == "file":
            key["path"] = self.key_path
        elif self.key_store == "keychain":
            named = {"service": self.service, "account": self.account}
            key.update({k: v for k, v in named.items() if v is not None})
        return {"private_key": key, "audience": self.audience, "issuer": self.issuer}


@dataclass(frozen=True)
class ConnectionFile:
    """A tested connection as its file holds it; `load` reads one and `save` writes one.

    `identity` is who the connection is set up to act as (the admin's choice of kind, with
    the name and id Halo reported); `last_result.identity` is what Halo reported.
    `schema_version` is the version the file was read as; `save` always writes
    SCHEMA_VERSION.
    """

    host: str
    client_id: str
    scopes: tuple[str, ...]
    secret: SecretEntry
    auth_url: str | None = None
    token_url: str | None = None
    tenant: str | None = None
    identity: RecordedIdentity = field(default_factory=RecordedIdentity)
    last_result: LastResult | None = None
    schema_version: int = SCHEMA_VERSION
    # Set for a JWT Assertion (Services) connection, which has no secret.
    assertion: AssertionEntry | None = None
    # The tool the connection is for (a recipe's key: "rewst", "n8n", ...), when known: a
    # later diagnosis judges it and offers its form as that tool's.
    tool: str | None = None
    # The CA bundle the connection was tested with (--ca-bundle), used again when it is
    # tested again, so a TLS-inspecting proxy is not taken for a new problem.
    ca_bundle: str | None = None

    @property
    def auth_method(self) -> str:
        """How the connection proves who it is: "client_secret" or "jwt_assertion"."""
        return AuthMethod.ASSERTION if self.assertion is not None else AuthMethod.SECRET

    @classmethod
    def from_report(
        cls,
        report: CheckReport,
        *,
        client_id: str,
        identity_kind: str | None,
        scopes: str | Sequence[str],
        secret: str | None,
        secret_in_keychain: bool,
        tested_at: str | None = None,
        assertion: AssertionEntry | None = None,
        secret_account: str | None = None,
        tool: str | None = None,
        ca_bundle: str | None = None,
    ) -> ConnectionFile:
        """The connection file for a tested connection.

        The secret is referenced in the keychain when `secret_in_keychain`, embedded only
        when `secret` is given (the admin chose to embed it), and otherwise left out (store
        "none"). `identity_kind` falls back to what the check saw when not given.
        `secret_account` names the keychain entry (default: the one every connection of this
        Client ID and host shared before entries were made for each saved connection).
        """
        if secret is not None and secret_in_keychain:
            raise ValueError("The secret is either embedded or kept in the keychain, not both.")
        if not report.host:
            raise ValueError(
                "The check did not get as far as a Halo address; there is nothing to export."
            )
        host = report.host
        if secret_in_keychain:
            entry = (
                SecretEntry("keychain", SERVICE, secret_account)
                if secret_account
                else SecretEntry.keychain(host, client_id)
            )
        elif secret is not None:
            entry = SecretEntry.embedded(secret)
        else:
            entry = SecretEntry.nowhere()
        result = LastResult.from_report(report, tested_at=tested_at)
        seen = result.identity or RecordedIdentity()
        # What Halo reported is what the connection acts as; the choice is kept beside it
        # only when it differs, so a tool never reads the choice as the fact.
        kind = seen.kind or identity_kind
        chosen = identity_kind if identity_kind and seen.kind and identity_kind != kind else None
        return cls(
            host=host,
            client_id=client_id,
            scopes=tuple(scopes.split() if isinstance(scopes, str) else scopes),
            secret=entry,
            auth_url=report.auth_url,
            token_url=report.token_url,
            tenant=report.tenant,
            identity=RecordedIdentity(kind, seen.name, seen.id, seen.api_only, chosen),
            last_result=result,
            assertion=assertion,
            tool=tool,
            ca_bundle=ca_bundle,
        )

    # ----- as JSON -----

    def to_dict(self, *, redact_secret: bool = False) -> dict[str, Any]:
        """The file's content, ready for json.dumps; the keys of version 1 come first.
        `redact_secret` leaves out a secret the file holds (for showing it anywhere)."""
        result = self.last_result
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "host": self.host,
            "auth_url": self.auth_url,
            "token_url": self.token_url,
            "tenant": self.tenant,
            "client_id": self.client_id,
            "scopes": list(self.scopes),
            "identity": _identity_dict(self.identity),
            "product": result.product if result else None,
            "version": result.version if result else None,
            "tested_at": result.tested_at if result else None,
        }
        if result is not None:
            # The summary the first files had, kept for the tools that read it.
            data["test"] = {
                "ok": result.ok,
                "errors": result.codes(Severity.ERROR),
                "warnings": result.codes(Severity.WARNING),
            }
        data["secret"] = _secret_dict(self.secret)
        if redact_secret and self.secret.store == "embedded":
            data["secret"] = {"store": "embedded", "value": "(kept in the file, not shown)"}
        if self.tool is not None:
            data["tool"] = self.tool
        if self.ca_bundle is not None:
            data["ca_bundle"] = self.ca_bundle
        if self.assertion is not None:
            data["auth_method"] = self.auth_method
            data["assertion"] = self.assertion.to_dict()
        if result is not None and result.complete:
            data["last_result"] = _result_dict(result)
        return data

    def to_json(self) -> bytes:
        """The file's bytes: indented UTF-8 JSON ending in a line break."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as exc:
            # Only a hostile answer can bring these in (JSON's "\ud800" escapes); a file
            # holding them could not be read back.
            raise ExportError(messages.FILE_NOT_TEXT_TO_SAVE) from exc

    @classmethod
    def from_dict(cls, data: object, *, source: str = "The file") -> ConnectionFile:
        """Check a parsed JSON document and make it a ConnectionFile.

        `source` names the file in messages. Raise ConnectionFileError for anything that
        is not a connection file this version can read.
        """
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            kind = data.get("schema") if isinstance(data, dict) else None
            said = (
                messages.FILE_SAYS_SCHEMA.format(schema=_shown(kind))
                if isinstance(kind, str)
                else messages.FILE_NO_SCHEMA
            )
            raise ConnectionFileError(
                messages.FILE_NOT_A_CONNECTION_FILE.format(source=source, said=said, schema=SCHEMA)
            )
        version = data.get("schema_version")
        if type(version) is not int or version < 1:
            raise ConnectionFileError(
                messages.FILE_BAD_VERSION.format(source=source, version=_shown(version))
            )
        if version > SCHEMA_VERSION:
            raise ConnectionFileError(
                messages.FILE_NEWER.format(source=source, version=version, known=SCHEMA_VERSION)
            )
        top = _Entries(data, "", source)
        return cls(
            host=top.text("host"),
            client_id=top.text("client_id"),
            scopes=tuple(top.texts("scopes")),
            secret=_read_secret(top.entries("secret")),
            auth_url=top.text_or_none("auth_url"),
            token_url=top.text_or_none("token_url"),
            tenant=top.text_or_none("tenant"),
            identity=_read_identity(top.entries_or_none("identity")) or RecordedIdentity(),
            last_result=_read_result(top),
            schema_version=version,
            assertion=_read_assertion(top),
            tool=top.text_or_none("tool"),
            ca_bundle=top.text_or_none("ca_bundle"),
        )

    @classmethod
    def from_bytes(cls, raw: bytes, *, source: str = "The file") -> ConnectionFile:
        """Parse a connection file's bytes; ConnectionFileError for anything else."""
        if len(raw) > _MAX_READ:
            raise ConnectionFileError(messages.FILE_TOO_LARGE.format(source=source))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConnectionFileError(messages.FILE_NOT_TEXT.format(source=source)) from exc
        if not text.strip():
            raise ConnectionFileError(messages.FILE_EMPTY.format(source=source))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConnectionFileError(
                messages.FILE_NOT_JSON.format(source=source, line=exc.lineno, column=exc.colno)
            ) from exc
        except RecursionError as exc:
            # Python's parser recurses once per level: no connection file nests this deep.
            raise ConnectionFileError(messages.FILE_TOO_DEEP.format(source=source)) from exc
        except ValueError as exc:
            # Python refuses to read integers of thousands of digits.
            raise ConnectionFileError(messages.FILE_HUGE_NUMBER.format(source=source)) from exc
        return cls.from_dict(data, source=source)

    # ----- on disk -----

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ConnectionFile:
        """Read a connection file; ConnectionFileError saying plainly what is wrong."""
        name = os.fspath(path)
        try:
            with open(name, "rb") as file:
                raw = file.read(_MAX_READ + 1)
        except FileNotFoundError as exc:
            raise ConnectionFileError(messages.FILE_MISSING.format(source=name)) from exc
        except IsADirectoryError as exc:
            raise ConnectionFileError(messages.FILE_IS_FOLDER.format(source=name)) from exc
        except PermissionError as exc:
            raise ConnectionFileError(messages.FILE_NOT_ALLOWED.format(source=name)) from exc
        except OSError as exc:
            raise ConnectionFileError(
                messages.FILE_CANNOT_OPEN.format(source=name, reason=exc.strerror or exc)
            ) from exc
        return cls.from_bytes(raw, source=name)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the file atomically, readable only by this user on macOS and Linux.

        The content goes to a temporary file beside `path`, is flushed to the disk, and is
        then renamed over `path`: a full disk, a crash or a killed process leaves either
        the previous file or the new one, never a mix. ExportError says what went wrong.
        """
        write_atomically(path, self.to_json())


# ----- writing -----


def write_atomically(path: str | os.PathLike[str], content: bytes) -> None:
    """Replace `path` by `content` at once; the previous file stays whole if anything fails.

    On macOS and Linux the file is readable and writable by this user only; on Windows it
    gets the folder's usual permissions. A temporary file left by a save that was killed
    is removed by a later save once it is an hour old.
    """
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    prefix = _temp_prefix(target)
    temp: str | None = None
    try:
        # mkstemp creates the file with mode 0600 before a byte is written, so the secret,
        # when embedded, is never readable by others, not even for a moment.
        fd, temp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=_TEMP_SUFFIX)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # whatever the umask
            _write_all(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
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
    _remove_stale_temporaries(folder, prefix)


def _temp_prefix(target: str) -> str:
    return f".{os.path.basename(target)[:_TEMP_NAME_MAX]}."


def _write_all(fd: int, content: bytes) -> None:
    # os.write may write less than it was given (a signal, a nearly full disk).
    view = memoryview(content)
    while view:
        written = os.write(fd, view)
        view = view[written:]


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


def _remove_stale_temporaries(folder: str, prefix: str) -> None:
    # Only names mkstemp makes for this file (8 characters of its alphabet), so that no
    # file of the admin's is ever touched, and only old ones, so that another save still
    # writing its temporary file is left alone.
    pattern = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}" + re.escape(_TEMP_SUFFIX))
    cutoff = time.time() - _STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.remove(entry.path)


def _write_problem(exc: OSError, path: str, folder: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return messages.FILE_WRITE_NO_FOLDER.format(folder=folder)
    if isinstance(exc, IsADirectoryError):
        return messages.FILE_WRITE_IS_FOLDER.format(path=path)
    if isinstance(exc, PermissionError):
        return messages.FILE_WRITE_NOT_ALLOWED.format(path=path, folder=folder)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return messages.FILE_WRITE_DISK_FULL.format(folder=folder)
    if exc.errno == errno.EROFS:
        return messages.FILE_WRITE_READ_ONLY.format(folder=folder)
    return messages.FILE_WRITE_FAILED.format(path=path, reason=exc.strerror or exc)


# ----- reading -----


def _shown(value: object) -> str:
    """A value from a file, short enough for a message, whatever it holds."""
    text = repr(value) if isinstance(value, str | int | bool) or value is None else "..."
    return text if len(text) <= 40 else text[:37] + "..."


def _kind_of(value: object) -> str:
    if value is None:
        return messages.FILE_KIND_NULL
    if isinstance(value, bool):
        return messages.FILE_KIND_FLAG
    if isinstance(value, int | float):
        return messages.FILE_KIND_NUMBER
    if isinstance(value, str):
        return messages.FILE_KIND_TEXT
    if isinstance(value, list):
        return messages.FILE_KIND_LIST
    return messages.FILE_KIND_OBJECT


def _is_text(value: object) -> bool:
    # A lone surrogate ("\ud800" in the JSON) is not text: it could be neither shown nor
    # written back.
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_Enum = TypeVar("_Enum", bound=StrEnum)
_T = TypeVar("_T")


class _Entries:
    """The entries of one JSON object in a file, each read as the type it must have.

    Every read names the entry by its path ('last_result.findings[2].severity') when it
    is missing or not what it should be, so that a damaged file says where.
    """

    def __init__(self, data: object, where: str, source: str) -> None:
        self.source = source
        self.where = where
        if not isinstance(data, dict):
            self._wrong(None, data, messages.FILE_KIND_OBJECT)
        self.data: dict[str, Any] = data

    def path(self, key: str | None) -> str:
        if key is None:
            return self.where
        return f"{self.where}.{key}" if self.where else key

    def _wrong(self, key: str | None, value: object, expected: str) -> NoReturn:
        raise ConnectionFileError(
            messages.FILE_WRONG_ENTRY.format(
                source=self.source, entry=self.path(key), expected=expected, found=_kind_of(value)
            )
        )

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise ConnectionFileError(
                messages.FILE_MISSING_ENTRY.format(source=self.source, entry=self.path(key))
            )
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key, optional=False)
        if not _is_text(value):
            self._wrong(key, value, messages.FILE_KIND_TEXT)
        return str(value)

    def text_or_none(self, key: str) -> str | None:
        value = self._get(key, optional=True)
        if value is not None and not _is_text(value):
            self._wrong(key, value, messages.FILE_KIND_TEXT_OR_NULL)
        return None if value is None else str(value)

    def flag(self, key: str) -> bool:
        value = self._get(key, optional=False)
        if not isinstance(value, bool):
            self._wrong(key, value, messages.FILE_KIND_FLAG)
        return bool(value)

    def flag_or_none(self, key: str) -> bool | None:
        value = self._get(key, optional=True)
        if value is not None and not isinstance(value, bool):
            self._wrong(key, value, messages.FILE_KIND_FLAG_OR_NULL)
        return None if value is None else bool(value)

    def whole_or_none(self, key: str, *, minimum: int | None = None) -> int | None:
        value = self._get(key, optional=True)
        if value is None:
            return None
        if type(value) is not int or (minimum is not None and value < minimum):
            expected = messages.FILE_KIND_COUNT if minimum is not None else messages.FILE_KIND_WHOLE
            self._wrong(key, value, expected)
        return int(value)

    def choice(self, key: str, kind: type[_Enum]) -> _Enum:
        value = self._get(key, optional=False)
        known = [str(member) for member in kind]
        if not isinstance(value, str) or value not in known:
            expected = messages.FILE_KIND_ONE_OF.format(choices=", ".join(known))
            if isinstance(value, str):
                raise ConnectionFileError(
                    messages.FILE_UNKNOWN_VALUE.format(
                        source=self.source,
                        entry=self.path(key),
                        value=_shown(value),
                        expected=expected,
                    )
                )
            self._wrong(key, value, expected)
        return kind(value)

    def entries(self, key: str) -> _Entries:
        return _Entries(self._get(key, optional=False), self.path(key), self.source)

    def entries_or_none(self, key: str) -> _Entries | None:
        value = self._get(key, optional=True)
        return None if value is None else _Entries(value, self.path(key), self.source)

    def _items(self, key: str, optional: bool) -> list[Any]:
        value = self._get(key, optional=optional)
        if value is None and optional:
            return []
        if not isinstance(value, list):
            self._wrong(key, value, messages.FILE_KIND_LIST)
        return list(value)

    def texts(self, key: str, *, optional: bool = False) -> list[str]:
        values = self._items(key, optional)
        for index, value in enumerate(values):
            if not _is_text(value):
                self._wrong(f"{key}[{index}]", value, messages.FILE_KIND_TEXT)
        return [str(value) for value in values]

    def each(self, key: str, read: Callable[[_Entries], _T]) -> list[_T]:
        return [
            read(_Entries(value, self.path(f"{key}[{index}]"), self.source))
            for index, value in enumerate(self._items(key, optional=False))
        ]


def _read_secret(entries: _Entries) -> SecretEntry:
    store = entries._get("store", optional=False)
    if not isinstance(store, str) or store not in SECRET_STORES:
        raise ConnectionFileError(messages.FILE_SECRET_UNKNOWN.format(source=entries.source))
    if store == "embedded":
        return SecretEntry.embedded(entries.text("value"))
    if store == "keychain":
        return SecretEntry(
            "keychain", entries.text_or_none("service"), entries.text_or_none("account")
        )
    return SecretEntry.nowhere()


def _read_assertion(top: _Entries) -> AssertionEntry | None:
    method = top.text_or_none("auth_method") or "client_secret"
    entries = top.entries_or_none("assertion")
    if method == "client_secret" and entries is None:
        return None
    if method != "jwt_assertion" or entries is None:
        raise ConnectionFileError(
            messages.FILE_AUTH_METHOD_UNKNOWN.format(source=top.source, method=_shown(method))
        )
    key = entries.entries("private_key")
    store = key._get("store", optional=False)
    if not isinstance(store, str) or store not in KEY_STORES:
        raise ConnectionFileError(messages.FILE_KEY_STORE_UNKNOWN.format(source=top.source))
    return AssertionEntry(
        store,
        key.text("path") if store == "file" else None,
        key.text_or_none("service") if store == "keychain" else None,
        key.text_or_none("account") if store == "keychain" else None,
        entries.text_or_none("audience"),
        entries.text_or_none("issuer"),
    )


def _read_identity(entries: _Entries | None) -> RecordedIdentity | None:
    if entries is None:
        return None
    return RecordedIdentity(
        kind=entries.text_or_none("kind"),
        name=entries.text_or_none("name"),
        id=entries.whole_or_none("id"),
        api_only=entries.flag_or_none("api_only"),
        chosen=entries.text_or_none("chosen"),
    )


def _known(identity: RecordedIdentity | None) -> RecordedIdentity | None:
    return None if identity == RecordedIdentity() else identity


def _read_finding(entries: _Entries) -> RecordedFinding:
    return RecordedFinding(
        code=entries.text("code"),
        severity=entries.choice("severity", Severity),
        scope=entries.text_or_none("scope"),
    )


def _read_scope(entries: _Entries) -> RecordedScope:
    return RecordedScope(
        scope=entries.text("scope"),
        status=entries.choice("status", ScopeStatus),
        record_count=entries.whole_or_none("records", minimum=0),
    )


def _read_result(top: _Entries) -> LastResult | None:
    # Every entry this version knows is checked, even those the full result makes redundant
    # (the summary and the top-level product, version and date): a tool may read them.
    tested_at = top.text_or_none("tested_at")
    product = top.text_or_none("product")
    version = top.text_or_none("version")
    summary = top.entries_or_none("test")
    ok = summary.flag("ok") if summary is not None else None
    errors = summary.texts("errors", optional=True) if summary is not None else []
    warnings = summary.texts("warnings", optional=True) if summary is not None else []
    full = top.entries_or_none("last_result")
    if full is not None:
        return LastResult(
            ok=full.flag("ok"),
            tested_at=full.text_or_none("tested_at"),
            product=full.text_or_none("product"),
            version=full.text_or_none("version"),
            tenant=full.text_or_none("tenant"),
            auth_url=full.text_or_none("auth_url"),
            identity=_read_identity(full.entries_or_none("identity")),
            findings=tuple(full.each("findings", _read_finding)),
            scopes=tuple(full.each("scopes", _read_scope)),
        )
    if ok is None:
        return None
    # A file from before the full result was kept: what its summary and top level say.
    return LastResult(
        ok=ok,
        tested_at=tested_at,
        product=product,
        version=version,
        tenant=top.text_or_none("tenant"),
        auth_url=top.text_or_none("auth_url"),
        # Files write an identity of nulls when the test never learnt who it acts as.
        identity=_known(_read_identity(top.entries_or_none("identity"))),
        findings=tuple(
            [RecordedFinding(code, Severity.ERROR) for code in errors]
            + [RecordedFinding(code, Severity.WARNING) for code in warnings]
        ),
        complete=False,
    )


# ----- as JSON -----


def _identity_dict(identity: RecordedIdentity) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": identity.kind,
        "name": identity.name,
        "id": identity.id,
        "api_only": identity.api_only,
    }
    if identity.chosen is not None:
        data["chosen"] = identity.chosen
        data["warning"] = IDENTITY_DIFFERS.format(kind=identity.kind, chosen=identity.chosen)
    return data


def _secret_dict(secret: SecretEntry) -> dict[str, Any]:
    if secret.store == "keychain":
        # Left out when unknown, as some files of version 1 left them out.
        named = {"service": secret.service, "account": secret.account}
        return {"store": "keychain", **{k: v for k, v in named.items() if v is not None}}
    if secret.store == "embedded":
        return {"store": "embedded", "value": secret.value}
    return {"store": "none"}


def _result_dict(result: LastResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "tested_at": result.tested_at,
        "product": result.product,
        "version": result.version,
        "tenant": result.tenant,
        "auth_url": result.auth_url,
        "identity": _identity_dict(result.identity) if result.identity is not None else None,
        "findings": [
            {"code": f.code, "severity": str(f.severity), "scope": f.scope} for f in result.findings
        ],
        "scopes": [
            {"scope": s.scope, "status": str(s.status), "records": s.record_count}
            for s in result.scopes
        ],
    }


# ----- environment variables -----


def _check_value(name: str, value: str) -> str:
    # A line break or control character in pasted text could end the quoting and run
    # whatever follows; no Halo value contains one.
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise ValueError(messages.ENV_CONTROL_CHARACTER.format(name=name))
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
        raise ValueError(messages.ENV_CMD_UNSAFE.format(name=name))
    return f'set "{name}={value}"'


def environment_variables(
    connection: ConnectionFile, *, include_secret: bool = False, shell: str = "posix"
) -> str:
    """The connection as commands setting HALO_* variables, for "posix", "powershell" or "cmd".

    The secret is included only when asked and only when the file embeds it; otherwise a
    comment says where it is kept. Raise ValueError for a value the shell cannot be given
    safely (control characters anywhere; " % ! for cmd).
    """
    if shell not in SHELLS:
        raise ValueError(messages.ENV_UNKNOWN_SHELL.format(shell=shell, shells=", ".join(SHELLS)))
    values = {
        "HALO_HOST": connection.host,
        "HALO_AUTH_URL": connection.auth_url,
        "HALO_TOKEN_URL": connection.token_url,
        "HALO_TENANT": connection.tenant,
        "HALO_CLIENT_ID": connection.client_id,
        "HALO_SCOPES": " ".join(connection.scopes),
    }
    if connection.assertion is not None:
        return _key_based_variables(connection, connection.assertion, values, include_secret, shell)
    lines = [_assignment(shell, name, value or "") for name, value in values.items()]
    secret = connection.secret
    if include_secret:
        if secret.value is None:
            raise ValueError(messages.ENV_NO_SECRET)
        lines.append(_assignment(shell, "HALO_CLIENT_SECRET", secret.value))
    else:
        comment = "REM " if shell == "cmd" else "# "
        lines.append(comment + _comment_text(secret.note()))
    return "\n".join(lines) + "\n"


def _key_based_variables(
    connection: ConnectionFile,
    entry: AssertionEntry,
    values: dict[str, str | None],
    include_secret: bool,
    shell: str,
) -> str:
    """A connection that signs with a private key: the method, the assertion's audience and
    issuer as the test signed them, the key file when there is one, and where the key is."""
    from wizard.core.assertion import default_audience

    if include_secret:
        raise ValueError(messages.ENV_NO_SECRET_KEY_BASED)
    values = {
        **values,
        "HALO_AUTH_METHOD": connection.auth_method,
        # No token address recorded (a file written by hand): left for the script to choose.
        "HALO_ASSERTION_AUDIENCE": entry.audience
        or (default_audience(connection.token_url) if connection.token_url else None),
        "HALO_ASSERTION_ISSUER": entry.issuer or connection.client_id,
    }
    if entry.key_store == "file":
        values["HALO_PRIVATE_KEY_FILE"] = entry.key_path
    lines = [_assignment(shell, name, value or "") for name, value in values.items()]
    comment = "REM " if shell == "cmd" else "# "
    lines.append(comment + _comment_text(_key_note(entry)))
    return "\n".join(lines) + "\n"


def _key_note(entry: AssertionEntry) -> str:
    """Where the private key is, for a comment beside the environment variables."""
    if entry.key_store == "keychain":
        return messages.FILE_KEY_IN_KEYCHAIN.format(
            service=entry.service or SERVICE, account=entry.account or ""
        )
    if entry.key_store == "file":
        return messages.FILE_KEY_IN_FILE
    return messages.FILE_KEY_NOWHERE
