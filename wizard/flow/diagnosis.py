"""Diagnosing an existing connection: what was opened, and what the wizard makes of it.

A supporter starts from a connection file, a named profile or the values typed into another
tool's form. `Diagnosis` is what was opened, whichever it was; `open_changes` fills the
wizard's state from it, so the diagnosis goes straight to the live test (Welcome, Open the
connection, Test, Save). No Qt here: the pages and the tests share this logic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from wizard.core.kinds import SecretFrom
from wizard.flow.state import AuthMethod, IdentityChoice, KeyStore, WizardState
from wizard.tasks.credential import KeyChoice, KeyProblem, SecretChoice, SecretProblem

if TYPE_CHECKING:
    from wizard.core.connection_file import AssertionEntry, ConnectionFile, LastResult
    from wizard.core.diagnose import Change
    from wizard.core.fromtext import RecognisedText


class Source(StrEnum):
    FILE = "file"  # a connection file the wizard or `check --save` wrote
    PROFILE = "profile"  # a named profile in the per-user data folder
    TEXT = "text"  # the values typed into another tool's form, pasted


@dataclass(frozen=True)
class Diagnosis:
    """An existing connection, as opened: its settings, its last result, where its secret is."""

    source: Source
    # The file's path or the profile's name; empty for pasted text.
    where: str
    host: str
    client_id: str
    scopes: tuple[str, ...]
    tenant: str | None = None
    # Only pasted text gives an authorisation server to test; a saved connection re-tests
    # with its token address and lets discovery confirm the rest.
    auth_url: str | None = None
    token_url: str | None = None
    # Who the connection was set up to act as ("agent" or "application"), when known.
    identity_kind: str | None = None
    last_result: LastResult | None = None
    # How the connection keeps its secret: "keychain", "embedded" or "none"; the keychain
    # entry it names (its account), when it keeps one there.
    secret_store: str = "none"
    secret_account: str | None = None
    # Where the test's secret comes from, in core's names: the keychain entry the connection
    # names or the connection file (the secret came with it), or TYPED (in the window); NONE
    # for a connection that signs with a key. Why a kept secret could not be had, if so, and
    # the keychain's own words for it.
    secret_from: SecretFrom = SecretFrom.TYPED
    secret_problem: SecretProblem | None = None
    secret_detail: str | None = None
    # JWT Assertion (Services): where the connection keeps its private key and what it signs
    # for (never the key itself); where the key for the test came from, and its file if any.
    assertion: AssertionEntry | None = None
    key_from: KeyStore | None = None  # KEYCHAIN or FILE when the key was read; else NONE
    key_file: str | None = None
    key_problem: KeyProblem | None = None
    key_detail: str | None = None
    # The tool the connection is for (a recipe's id): the one it was saved for, or the one
    # whose form's labels the pasted text has. The test judges it as that tool's.
    tool: str | None = None

    @classmethod
    def from_connection(
        cls,
        connection: ConnectionFile,
        source: Source,
        where: str,
        *,
        secret: SecretChoice | None = None,
        key: KeyChoice | None = None,
    ) -> Diagnosis:
        """The diagnosis of a saved connection, with where its secret (tasks.credential's
        choose_secret) or its private key (choose_key) was found, or why it was not."""
        identity = connection.identity
        if key is not None:
            secret_from = SecretFrom.NONE
        elif secret is not None and secret.secret is not None:
            secret_from = secret.origin
        else:
            secret_from = SecretFrom.TYPED
        return cls(
            source=source,
            where=where,
            host=connection.host,
            client_id=connection.client_id,
            scopes=connection.scopes,
            tenant=connection.tenant,
            token_url=connection.token_url,
            identity_kind=identity.chosen or identity.kind,
            last_result=connection.last_result,
            secret_store=connection.secret.store,
            secret_account=connection.secret.account,
            secret_from=secret_from,
            secret_problem=secret.problem if secret is not None else None,
            secret_detail=secret.detail if secret is not None else None,
            assertion=connection.assertion,
            key_from=key.origin if key is not None else None,
            key_file=key.path if key is not None else None,
            key_problem=key.problem if key is not None else None,
            key_detail=key.detail if key is not None else None,
            tool=connection.tool,
        )

    @classmethod
    def from_text(cls, recognised: RecognisedText) -> Diagnosis | None:
        """The connection the pasted text describes; None without an address and a Client ID."""
        if recognised.host is None or recognised.client_id is None:
            return None
        return cls(
            source=Source.TEXT,
            where="",
            host=recognised.host,
            client_id=recognised.client_id,
            scopes=tuple(recognised.scopes or ()),
            tenant=recognised.tenant,
            auth_url=recognised.auth_url,
            tool=recognised.tool,
        )

    @property
    def signs_with_key(self) -> bool:
        """True for a connection that signs an assertion with a private key (no secret)."""
        return self.assertion is not None

    @property
    def key_found(self) -> bool:
        """True when the private key for the test was read (its keychain entry, or a file)."""
        return self.key_from in (KeyStore.KEYCHAIN, KeyStore.FILE)

    @property
    def secret_kept(self) -> bool:
        """True when the secret came with the connection (its keychain entry, or the file)."""
        return self.secret_from in (SecretFrom.KEYCHAIN, SecretFrom.CONNECTION_FILE)

    @property
    def last_tested_at(self) -> str | None:
        return self.last_result.tested_at if self.last_result is not None else None

    def source_words(self) -> str:
        """What was diagnosed, for the report: 'connection file /x/y.json', 'profile "acme"'."""
        if self.source is Source.FILE:
            return f"connection file {self.where}"
        if self.source is Source.PROFILE:
            return f'profile "{self.where}"'
        return "pasted text"


def open_changes(
    diagnosis: Diagnosis, secret: str | None, private_key: Any = None, public_key_pem: str = ""
) -> dict[str, Any]:
    """The state's changes that open `diagnosis`: the entries it gives, and its secret.

    `secret` is the one the connection keeps (keychain entry or file), or None when the
    supporter types it. Where a save keeps the secret follows the connection: a file that
    keeps none keeps none again. A connection that signs with a key gives `private_key` (and
    its public key) instead, when it could be read.
    """
    kind = diagnosis.identity_kind
    identity = IdentityChoice(kind) if kind in {c.value for c in IdentityChoice} else None
    return {
        "diagnosis": diagnosis,
        "host_text": diagnosis.host,
        "client_id_text": diagnosis.client_id,
        "scopes": diagnosis.scopes,
        "tenant_override": diagnosis.tenant or "",
        "identity": identity,
        "discovery": None,
        "secret_text": secret or "",
        "kept_secret": secret or "",
        "rotate_secret": False,
        "remember_secret": diagnosis.secret_store != "none" or diagnosis.source is Source.TEXT,
        "embed_secret": diagnosis.secret_store == "embedded",
        "tool": diagnosis.tool,
        **_key_changes(diagnosis, private_key, public_key_pem),
    }


def _key_changes(diagnosis: Diagnosis, private_key: Any, public_key_pem: str) -> dict[str, Any]:
    """How the opened connection proves who it is: its secret, or its private key, where a
    save keeps that key (where the connection keeps it), and what the assertion signs for."""
    entry = diagnosis.assertion
    if entry is None:
        return {
            "auth_method": AuthMethod.SECRET,
            "private_key": None,
            "public_key_pem": "",
            "assertion_audience_text": "",
            "assertion_issuer_text": "",
            "key_store": KeyStore.KEYCHAIN,
            "key_file": None,
        }
    return {
        "auth_method": AuthMethod.ASSERTION,
        "private_key": private_key,
        "public_key_pem": public_key_pem if private_key is not None else "",
        "assertion_audience_text": entry.audience or "",
        "assertion_issuer_text": entry.issuer or "",
        "key_store": KeyStore.KEYCHAIN if entry.key_store == "keychain" else KeyStore.FILE,
        "key_file": diagnosis.key_file if diagnosis.key_from is KeyStore.FILE else None,
    }


def key_file_changes(
    diagnosis: Diagnosis, path: str, private_key: Any, public_key_pem: str
) -> dict[str, Any]:
    """The state's changes once a key file was chosen for the opened connection: the test
    signs with its key. A save keeps the key where the connection keeps it (its keychain
    entry), or names this file when the connection kept it in a file or did not say."""
    chosen = replace(
        diagnosis, key_from=KeyStore.FILE, key_file=path, key_problem=None, key_detail=None
    )
    return {"diagnosis": chosen, **_key_changes(chosen, private_key, public_key_pem)}


def rotation_changes(state: WizardState, rotate: bool, new_secret: str) -> dict[str, Any]:
    """The state's changes for the "I generated a new secret in Halo" box and its field.

    While rotating, the test uses the new secret; the one the connection keeps stays where
    it is (and in `kept_secret`) until the new one has passed a test.
    """
    secret = new_secret if rotate else state.kept_secret
    changed: dict[str, Any] = {}
    if rotate != state.rotate_secret:
        changed["rotate_secret"] = rotate
    if secret != state.secret_text:
        changed["secret_text"] = secret
    return changed


def new_secret_accepted(state: WizardState) -> bool:
    """True when the last test was made with the new secret and Halo accepted it (a token):
    the one rotation rule of every path (wizard/tasks/rotate.py)."""
    from wizard.tasks.rotate import accepted

    return state.rotate_secret and state.report is not None and accepted(state.report)


def secret_to_keep(state: WizardState) -> str:
    """The secret a save keeps: a new secret only once a test accepted it, else the old one."""
    if state.diagnosing and state.rotate_secret and not new_secret_accepted(state):
        return WizardState(secret_text=state.kept_secret).secret
    return state.secret


def what_changed(state: WizardState) -> list[Change] | None:
    """What changed between the connection's last test and the test just run.

    None when there is nothing to say yet (not diagnosing, or no test has finished).
    """
    # Loaded here, not with the window: the connection file's module brings the keychain's.
    from wizard.core.diagnose import changes

    diagnosis = state.diagnosis
    if not state.diagnosing or diagnosis is None or state.report is None:
        return None
    return changes(diagnosis.last_result, state.report)
