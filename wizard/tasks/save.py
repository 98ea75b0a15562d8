"""Save a tested connection (a connection file or a profile) and keep its secret or key.

The rules (docs/connection-file.md, "What is kept, and what is never lost"):

- A secret or private key Halo has not accepted (no token was issued for it) is never kept:
  the connection is saved without it, and nothing kept before is touched.
- Each save keeps its secret or key in a keychain entry of its own (secrets.own_account),
  named in the file. No other saved connection names that entry, so saving never replaces
  another connection's secret. Updating a connection whose entry already holds the same
  secret or key keeps that entry. When a save replaces a connection that had its own entry,
  that entry is removed once the new file is written, unless another profile names it.
- Nothing is written over a file this command reads (the connection file being tested, the
  key, the pasted text), even when asked to replace; an existing file or profile is replaced
  only with `force` (the command line's --force, the window's question answered yes), or
  when it is the connection being updated (`updating`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from wizard.core import profiles
from wizard.core.connection_file import (
    AssertionEntry,
    ConnectionFile,
    ConnectionFileError,
    ExportError,
)
from wizard.core.kinds import KeyStore, SecretStoreKind
from wizard.core.model import CheckReport, StepStatus
from wizard.core.secrets import (
    PRIVATE_KEY_SUFFIX,
    SERVICE,
    KeychainError,
    account_for,
    is_own_account,
    own_account,
)
from wizard.core.store import SecretStore


class SaveProblem(StrEnum):
    """Why nothing was saved."""

    NO_ADDRESS = "no_address"  # the check never reached a Halo address
    IS_INPUT = "is_input"  # the target is a file this command reads
    IS_FOLDER = "is_folder"  # the target is a folder
    EXISTS = "exists"  # the target exists: replacing it needs force
    KEYCHAIN = "keychain"  # the keychain refused (detail: its message)
    WRITE = "write"  # the file could not be written (detail: why)
    BAD_NAME = "bad_name"  # not a profile name (detail: why)
    NOT_ACCEPTED = "not_accepted"  # Halo did not accept the secret or key: it is not kept


class SaveRefused(Exception):
    """Nothing was saved: `problem`, with `path` and the system's `detail` where known."""

    def __init__(self, problem: SaveProblem, path: str | None = None, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {path or ''} {detail}".strip())
        self.problem = problem
        self.path = path
        self.detail = detail


class Kept(StrEnum):
    """Where the secret or key of the saved connection is."""

    KEYCHAIN = "keychain"  # its own keychain entry (`account`)
    IN_FILE = "in_file"  # the connection file holds the secret
    KEY_FILE = "key_file"  # the file names the private key's file
    NOWHERE = "nowhere"  # as asked: nowhere
    NOT_ACCEPTED = "not_accepted"  # Halo did not accept it, so it was not kept


@dataclass(frozen=True)
class Target:
    """Where to save: a file's path or a profile's name."""

    path: str | None = None
    profile: str | None = None

    def place(self) -> Path:
        if self.profile is not None:
            try:
                return profiles.path_of(self.profile)
            except profiles.ProfileError as exc:
                raise SaveRefused(SaveProblem.BAD_NAME, self.profile, str(exc)) from None
        assert self.path is not None
        return Path(os.path.abspath(os.path.expanduser(self.path)))


@dataclass(frozen=True)
class SaveOutcome:
    path: Path
    kept: Kept
    connection: ConnectionFile  # what was written
    account: str | None = None  # the keychain entry made for this connection
    key_path: str | None = None  # the private key's file it names
    old_entries_removed: tuple[str, ...] = ()


def token_issued(report: CheckReport) -> bool:
    """Whether Halo accepted the credential: it issued a token for it."""
    return any(
        step.key == "token" and step.status in (StepStatus.OK, StepStatus.WARNING)
        for step in report.steps
    )


def same_file(one: str | os.PathLike[str], two: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(one, two)
    except OSError:
        return os.path.abspath(one) == os.path.abspath(two)


def check_target(
    target: Target,
    *,
    reading: Sequence[str] = (),
    force: bool = False,
    updating: str | None = None,
) -> Path:
    """The path to write, or SaveRefused saying why it must not be written."""
    path = target.place()
    is_update = updating is not None and same_file(path, updating)
    for read in reading:
        if read and not is_update and same_file(path, read):
            raise SaveRefused(SaveProblem.IS_INPUT, str(path))
    if path.is_dir():
        raise SaveRefused(SaveProblem.IS_FOLDER, str(path))
    if path.exists() and not (force or is_update):
        raise SaveRefused(SaveProblem.EXISTS, str(path))
    return path


def _previous(path: Path) -> ConnectionFile | None:
    try:
        return ConnectionFile.load(path) if path.is_file() else None
    except ConnectionFileError:
        return None  # not a connection file (or damaged): it names no entry of ours


def entries_of(connection: ConnectionFile) -> list[str]:
    """The keychain accounts a saved connection names."""
    named = []
    if connection.secret.store == "keychain" and connection.secret.account:
        named.append(connection.secret.account)
    entry = connection.assertion
    if entry is not None and entry.key_store == "keychain" and entry.account:
        named.append(entry.account)
    return named


def named_by_another_profile(account: str, besides: Path) -> bool:
    """Whether a profile other than the one at `besides` names the keychain `account`."""
    try:
        names = profiles.names()
    except profiles.ProfileError:
        return True  # cannot tell: keep it
    for name in names:
        path = profiles.path_of(name)
        if same_file(path, besides):
            continue
        try:
            other = profiles.load(name)
        except profiles.ProfileError:
            continue
        if account in entries_of(other):
            return True
    return False


@dataclass(frozen=True)
class KeyToKeep:
    """A JWT-assertion connection's private key and where to keep it: "keychain" (the PEM
    goes into an entry of its own), "file" (the file names `path`), or "none"."""

    store: str
    pem: str | None = None
    path: str | None = None
    audience: str | None = None
    issuer: str | None = None


def save_connection(
    report: CheckReport,
    target: Target,
    *,
    store: SecretStore,
    client_id: str,
    scopes: str | Sequence[str],
    secret: str | None = None,
    secret_store: SecretStoreKind = SecretStoreKind.KEYCHAIN,
    key: KeyToKeep | None = None,
    identity_kind: str | None = None,
    tool: str | None = None,
    ca_bundle: str | None = None,
    reading: Sequence[str] = (),
    force: bool = False,
    updating: str | None = None,
) -> SaveOutcome:
    """Save the connection `report` tested, by the rules above: the secret kept as
    `secret_store` says; with `key`, the connection signs with a private key and has no
    secret."""
    if not report.host:
        raise SaveRefused(SaveProblem.NO_ADDRESS)
    path = check_target(target, reading=reading, force=force, updating=updating)
    previous = _previous(path)
    accepted = token_issued(report)
    host = report.host
    account: str | None = None
    assertion: AssertionEntry | None = None
    embedded: str | None = None
    if key is not None:
        reuse = _reusable(previous, store, key.pem, host, client_id, private_key=True)
        kept, assertion, account = _keep_key(key, host, client_id, accepted, store, reuse)
    elif secret_store is SecretStoreKind.KEYCHAIN and secret:
        if accepted:
            account = _reusable(previous, store, secret, host, client_id, private_key=False)
            if account is None:
                account = own_account(host, client_id)
                _put(store, account, secret, path)
            kept = Kept.KEYCHAIN
        else:
            kept = Kept.NOT_ACCEPTED
    elif secret_store is SecretStoreKind.EMBEDDED and secret:
        kept = Kept.IN_FILE if accepted else Kept.NOT_ACCEPTED
        embedded = secret if accepted else None
    else:
        kept = Kept.NOWHERE
    try:
        connection = ConnectionFile.from_report(
            report,
            client_id=client_id,
            identity_kind=identity_kind,
            scopes=scopes,
            secret=embedded,
            secret_in_keychain=key is None and kept is Kept.KEYCHAIN,
            secret_account=account if key is None else None,
            assertion=assertion,
            tool=tool,
            ca_bundle=os.path.abspath(ca_bundle) if ca_bundle else None,
        )
        if target.profile is not None:
            profiles.save(target.profile, connection)
        else:
            connection.save(path)
    except (ExportError, ValueError) as exc:
        if account is not None:
            _forget_quietly(store, account)  # the entry made for a file that was not written
        raise SaveRefused(SaveProblem.WRITE, str(path), str(exc)) from None
    removed = []
    if previous is not None:
        for old in entries_of(previous):
            if old == account or not is_own_account(old):
                continue  # a shared entry from before own entries: others may use it
            if named_by_another_profile(old, path):
                continue
            if _forget_quietly(store, old):
                removed.append(old)
    return SaveOutcome(
        path=path,
        kept=kept,
        connection=connection,
        account=account,
        key_path=assertion.key_path if assertion is not None else None,
        old_entries_removed=tuple(removed),
    )


def _reusable(
    previous: ConnectionFile | None,
    store: SecretStore,
    value: str | None,
    host: str,
    client_id: str,
    *,
    private_key: bool,
) -> str | None:
    """The entry the connection being replaced names, when it is the same connection and
    the entry already holds `value`: updating a connection keeps its entry."""
    if previous is None or value is None:
        return None
    if (previous.host, previous.client_id) != (host, client_id):
        return None
    if private_key:
        entry = previous.assertion
        account = entry.account if entry is not None and entry.key_store == "keychain" else None
    else:
        account = previous.secret.account if previous.secret.store == "keychain" else None
    if account is None:
        return None
    try:
        return account if store.get(account) == value else None
    except KeychainError:
        return None


def _keep_key(
    key: KeyToKeep,
    host: str,
    client_id: str,
    accepted: bool,
    store: SecretStore,
    reuse: str | None = None,
) -> tuple[Kept, AssertionEntry, str | None]:
    audience, issuer = key.audience, key.issuer
    if key.store == KeyStore.FILE and key.path:
        entry = AssertionEntry("file", os.path.abspath(key.path), audience=audience, issuer=issuer)
        return Kept.KEY_FILE, entry, None
    if key.store == KeyStore.KEYCHAIN and key.pem:
        if not accepted:
            return Kept.NOT_ACCEPTED, AssertionEntry("none", audience=audience, issuer=issuer), None
        account = reuse or own_account(host, client_id, private_key=True)
        if reuse is None:
            _put(store, account, key.pem, None)
        entry = AssertionEntry("keychain", None, SERVICE, account, audience, issuer)
        return Kept.KEYCHAIN, entry, account
    return Kept.NOWHERE, AssertionEntry("none", audience=audience, issuer=issuer), None


def _put(store: SecretStore, account: str, value: str, path: Path | None) -> None:
    try:
        store.put(account, value)
    except KeychainError as exc:
        raise SaveRefused(SaveProblem.KEYCHAIN, str(path) if path else None, str(exc)) from None


def _forget_quietly(store: SecretStore, account: str) -> bool:
    try:
        return store.remove(account)
    except KeychainError:
        return False


def tools_account(host: str, client_id: str, *, private_key: bool = False) -> str:
    """The keychain entry a tool on this computer finds by the Client ID and the address:
    where Finish keeps the secret (or private key) when no connection file was saved."""
    return account_for(host, client_id) + (PRIVATE_KEY_SUFFIX if private_key else "")


def keep_for_tools(
    report: CheckReport,
    *,
    store: SecretStore,
    client_id: str,
    value: str,
    private_key: bool = False,
) -> str:
    """Keep a secret (or private key) Halo accepted where tools on this computer find it,
    and return that entry's account. A secret or key Halo did not accept is never kept:
    SaveRefused(NOT_ACCEPTED). The keychain's refusal is SaveRefused(KEYCHAIN)."""
    if not token_issued(report):
        raise SaveRefused(SaveProblem.NOT_ACCEPTED)
    if not report.host:
        raise SaveRefused(SaveProblem.NO_ADDRESS)
    account = tools_account(report.host, client_id, private_key=private_key)
    try:
        store.put(account, value)
    except (KeychainError, ValueError) as exc:
        raise SaveRefused(SaveProblem.KEYCHAIN, None, str(exc)) from None
    return account
