"""Which secret a test uses, and where it came from: one rule for `check`, `diagnose` and the
window.

For a saved connection the explicit wins over the implicit: the secret sent on standard input
first, then the connection's own secret (the keychain entry it names, or the file itself),
then HALO_CLIENT_SECRET. A secret in HALO_CLIENT_SECRET that was not used is named in a note,
so a variable left over from another customer never decides silently. Without a saved
connection (`check`, pasted text): standard input, then the variable, then a hidden prompt.
A new secret for a rotation is never the kept one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wizard.core.connection_file import ConnectionFile
from wizard.core.kinds import KeyStore, SecretFrom
from wizard.core.secrets import PRIVATE_KEY_SUFFIX, KeychainError, account_for
from wizard.core.store import SecretStore

SECRET_ENV = "HALO_CLIENT_SECRET"


class SecretNote(StrEnum):
    """Something the front end says beside the test, about the secret."""

    # HALO_CLIENT_SECRET was set but the connection's own secret (or stdin) was used.
    ENVIRONMENT_NOT_USED = "environment_not_used"
    # The connection's keychain entry is not on this computer; HALO_CLIENT_SECRET was used.
    KEYCHAIN_MISSING_USED_ENVIRONMENT = "keychain_missing_used_environment"
    # The keychain could not be read (detail: its message); HALO_CLIENT_SECRET was used.
    KEYCHAIN_UNREADABLE_USED_ENVIRONMENT = "keychain_unreadable_used_environment"


class SecretProblem(StrEnum):
    """Why no secret could be had without asking (the front end asks, or stops)."""

    NOT_GIVEN = "not_given"  # nothing saved, nothing on stdin, no variable
    NOT_IN_KEYCHAIN = "not_in_keychain"  # the entry the connection names is not here
    KEYCHAIN_UNREADABLE = "keychain_unreadable"  # detail: the keychain's message
    NOT_KEPT = "not_kept"  # the connection keeps no secret anywhere
    ROTATING = "rotating"  # a new secret is wanted: it must be given


@dataclass(frozen=True)
class SecretChoice:
    """The secret for the test (None: the front end asks, at a prompt, or stops with
    `problem`), where it came from, and what to say about it."""

    secret: str | None = field(repr=False)
    origin: SecretFrom
    notes: tuple[SecretNote, ...] = ()
    problem: SecretProblem | None = None
    detail: str | None = None  # the keychain's own message, for KEYCHAIN_UNREADABLE

    def with_prompted(self, secret: str) -> SecretChoice:
        """The same choice, with the secret typed at the prompt."""
        return SecretChoice(secret, SecretFrom.PROMPT, self.notes, None, self.detail)


def keychain_account(connection: ConnectionFile) -> str:
    """The keychain account the connection's secret is under (what its file names)."""
    return connection.secret.account or account_for(connection.host, connection.client_id)


def key_account(connection: ConnectionFile) -> str:
    """The keychain account a JWT-assertion connection's private key is under."""
    entry = connection.assertion
    if entry is not None and entry.account:
        return entry.account
    return account_for(connection.host, connection.client_id) + PRIVATE_KEY_SUFFIX


def choose_secret(
    connection: ConnectionFile | None,
    *,
    store: SecretStore,
    stdin_secret: str | None = None,
    environ: Mapping[str, str] | None = None,
    rotating: bool = False,
) -> SecretChoice:
    """The secret a test of `connection` (None: no saved connection) uses, by the rule above."""
    environment = (environ or {}).get(SECRET_ENV)
    if stdin_secret is not None:
        notes = (SecretNote.ENVIRONMENT_NOT_USED,) if environment else ()
        return SecretChoice(stdin_secret, SecretFrom.STDIN, notes)
    if rotating or connection is None:
        if environment is not None:
            return SecretChoice(environment, SecretFrom.ENVIRONMENT)
        problem = SecretProblem.ROTATING if rotating else SecretProblem.NOT_GIVEN
        return SecretChoice(None, SecretFrom.PROMPT, problem=problem)
    unused = (SecretNote.ENVIRONMENT_NOT_USED,) if environment else ()
    entry = connection.secret
    if entry.store == "embedded" and entry.value:
        return SecretChoice(entry.value, SecretFrom.CONNECTION_FILE, unused)
    if entry.store != "keychain":
        if environment is not None:
            return SecretChoice(environment, SecretFrom.ENVIRONMENT)
        return SecretChoice(None, SecretFrom.PROMPT, problem=SecretProblem.NOT_KEPT)
    try:
        kept = store.get(keychain_account(connection))
    except KeychainError as exc:
        if environment is not None:
            note = SecretNote.KEYCHAIN_UNREADABLE_USED_ENVIRONMENT
            return SecretChoice(environment, SecretFrom.ENVIRONMENT, (note,), detail=str(exc))
        return SecretChoice(
            None, SecretFrom.PROMPT, problem=SecretProblem.KEYCHAIN_UNREADABLE, detail=str(exc)
        )
    if kept:
        return SecretChoice(kept, SecretFrom.KEYCHAIN, unused)
    if environment is not None:
        note = SecretNote.KEYCHAIN_MISSING_USED_ENVIRONMENT
        return SecretChoice(environment, SecretFrom.ENVIRONMENT, (note,))
    return SecretChoice(None, SecretFrom.PROMPT, problem=SecretProblem.NOT_IN_KEYCHAIN)


class KeyProblem(StrEnum):
    """Why a JWT-assertion connection's private key could not be had (the front end says
    so, and asks for a key file or stops)."""

    NOT_IN_KEYCHAIN = "not_in_keychain"  # the entry the connection names is not here
    KEYCHAIN_UNREADABLE = "keychain_unreadable"  # detail: the keychain's own message
    KEYCHAIN_UNUSABLE = "keychain_unusable"  # the entry holds no usable key (detail: why)
    FILE_UNUSABLE = "file_unusable"  # the key file cannot be used (detail: why, with its name)
    NOT_KEPT = "not_kept"  # the connection does not say where its key is


@dataclass(frozen=True)
class KeyChoice:
    """The private key a saved JWT-assertion connection signs with (None: it could not be
    had, and `problem` says why), its public key, and where it was found."""

    key: Any = field(repr=False)
    public_pem: str = field(repr=False)
    origin: KeyStore  # KEYCHAIN or FILE when found; NONE otherwise
    path: str | None = None  # the key file the connection names, if it names one
    problem: KeyProblem | None = None
    detail: str | None = None

    @property
    def found(self) -> bool:
        return self.key is not None


def choose_key(connection: ConnectionFile, *, store: SecretStore) -> KeyChoice:
    """The private key `connection` signs with: from the keychain entry or the key file it
    names. Never raises for a key that cannot be had: the choice says why."""
    from wizard.core import assertion

    entry = connection.assertion
    path = entry.key_path if entry is not None else None

    def missing(problem: KeyProblem, detail: str | None = None) -> KeyChoice:
        return KeyChoice(None, "", KeyStore.NONE, path, problem, detail)

    if entry is None:
        return missing(KeyProblem.NOT_KEPT)
    if entry.key_store == KeyStore.KEYCHAIN:
        try:
            pem = store.get(key_account(connection))
        except KeychainError as exc:
            return missing(KeyProblem.KEYCHAIN_UNREADABLE, str(exc))
        if not pem:
            return missing(KeyProblem.NOT_IN_KEYCHAIN)
        try:
            key = assertion.load_private_key_pem(pem, "the key in the keychain entry")
            public = assertion.public_pem(key)
        except ValueError as exc:  # KeyFileError (plain words, never the key), or too long
            return missing(KeyProblem.KEYCHAIN_UNUSABLE, str(exc))
        return KeyChoice(key, public, KeyStore.KEYCHAIN, path)
    if path is not None:
        try:
            key = assertion.load_private_key(path)
            public = assertion.public_pem(key)
        except ValueError as exc:
            return missing(KeyProblem.FILE_UNUSABLE, str(exc))
        return KeyChoice(key, public, KeyStore.FILE, path)
    return missing(KeyProblem.NOT_KEPT)
