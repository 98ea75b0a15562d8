"""What the admin has chosen and entered so far: one immutable snapshot, replaced on each change."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from wizard.core.kinds import AuthMethod as AuthMethod
from wizard.core.kinds import IdentityKind
from wizard.core.kinds import KeyStore as KeyStore

if TYPE_CHECKING:
    from wizard.core import CheckReport
    from wizard.core.address import HostAddress
    from wizard.flow.diagnosis import Diagnosis

# The address and the entries are cleaned and parsed by wizard.core's modules, imported when
# first needed (the first entry typed), not with the window: its first page paints sooner.


class AppChoice(StrEnum):
    NEW = "new"  # create a new API application (the wizard shows how)
    EXISTING = "existing"  # one exists already: skip the creation instructions
    DIAGNOSE = "diagnose"  # a connection exists: open it and test it again (support mode)


# The names the connection file, the tasks and the command line use too (wizard/core/kinds.py).
IdentityChoice = IdentityKind


@dataclass(frozen=True)
class WizardState:
    """Everything the wizard holds. The secret is excluded from repr so it never reaches a log."""

    app_choice: AppChoice | None = None
    # The recipe id of the tool being connected (resources/recipes.toml); None until chosen.
    tool: str | None = None
    identity: IdentityChoice | None = None
    scopes: tuple[str, ...] = ()
    preset: str | None = None
    host_text: str = ""
    # What the tenant page learnt from the instance (a discovery-only report).
    discovery: CheckReport | None = None
    tenant_override: str = ""
    client_id_text: str = ""
    secret_text: str = field(default="", repr=False)
    # JWT Assertion (Services): the key pair made for the application (the private key never
    # in a repr, a log or the connection file), and the assertion's audience and issuer as
    # typed (empty: the defaults, the token service's address and the Client ID).
    auth_method: AuthMethod = AuthMethod.SECRET
    private_key: Any = field(default=None, repr=False, compare=False)
    public_key_pem: str = ""
    assertion_audience_text: str = ""
    assertion_issuer_text: str = ""
    key_store: KeyStore = KeyStore.KEYCHAIN
    # The key file written by "Save the private key to a file", once it was.
    key_file: str | None = None
    remember_secret: bool = True
    # The last live test; None until one has finished for the current entries.
    report: CheckReport | None = None
    embed_secret: bool = False
    exported_to: str | None = None
    # Support mode: the connection opened to be diagnosed (see wizard.flow.diagnosis).
    diagnosis: Diagnosis | None = None
    # The secret the opened connection keeps (its keychain entry, or the file), kept aside
    # while a new one is tried: it is replaced only once the new one has passed a test.
    kept_secret: str = field(default="", repr=False)
    rotate_secret: bool = False

    # ----- derived values: computed, never stored, so they cannot go stale -----

    @property
    def uses_assertion(self) -> bool:
        """True when the connection signs an assertion with its private key (no secret)."""
        return self.auth_method is AuthMethod.ASSERTION

    @property
    def assertion_audience(self) -> str | None:
        return self.assertion_audience_text.strip() or None

    @property
    def assertion_issuer(self) -> str | None:
        return self.assertion_issuer_text.strip() or None

    @property
    def diagnosing(self) -> bool:
        """True on the support path: an existing connection was opened to be tested again."""
        return self.app_choice is AppChoice.DIAGNOSE and self.diagnosis is not None

    @property
    def address(self) -> HostAddress | None:
        from wizard.core.address import HostInvalid, normalise_host

        try:
            return normalise_host(self.host_text)
        except HostInvalid:
            return None

    @property
    def address_error(self) -> str | None:
        """Why the address cannot be used, or None; checked without any network."""
        from wizard.core.address import HostInvalid, normalise_host
        from wizard.core.cleaning import clean_address

        # Nothing but invisible characters is as good as nothing typed yet.
        if not clean_address(self.host_text).value:
            return None
        try:
            normalise_host(self.host_text)
        except HostInvalid as error:
            return str(error)
        return None

    @property
    def tenant(self) -> str | None:
        """The tenant the live test and the connection file use."""
        from wizard.core.cleaning import clean_tenant

        override = clean_tenant(self.tenant_override).value
        if override:
            return override
        return self.discovery.tenant if self.discovery else None

    @property
    def tenant_differs(self) -> bool:
        from wizard.core.cleaning import clean_tenant

        override = clean_tenant(self.tenant_override).value
        return bool(override) and self.discovery is not None and override != self.discovery.tenant

    @property
    def client_id(self) -> str:
        from wizard.core.credentials import clean_client_id

        return clean_client_id(self.client_id_text).value

    @property
    def client_id_was_cleaned(self) -> tuple[str, ...]:
        """What was removed from the pasted Client ID (invisible characters...), if anything."""
        from wizard.core.credentials import clean_client_id

        return clean_client_id(self.client_id_text).removed

    @property
    def secret(self) -> str:
        from wizard.core.credentials import clean_secret

        return clean_secret(self.secret_text).value

    @property
    def secret_was_trimmed(self) -> tuple[str, ...]:
        """What was removed from the pasted secret (spaces, quotes, invisible characters...) and
        where, never which characters of the secret were next to it."""
        from wizard.core.credentials import clean_secret

        return clean_secret(self.secret_text).removed

    @property
    def identity_mismatch(self) -> str | None:
        """The identity the live test saw ("agent"/"application") when it is not the one chosen."""
        if self.report is None or self.report.identity is None or self.identity is None:
            return None
        seen = self.report.identity.kind
        return seen if seen != self.identity.value else None

    def changed(self, **changes: Any) -> WizardState:
        """A new snapshot with `changes`, dropping results that the changes make stale."""
        new = replace(self, **changes)
        if new.host_text != self.host_text and _url(new.address) != _url(self.address):
            new = replace(new, discovery=None)
        test_inputs = (
            "tool",
            "identity",
            "scopes",
            "host_text",
            "tenant_override",
            "client_id_text",
            "secret_text",
            "auth_method",
            "public_key_pem",
            "assertion_audience_text",
            "assertion_issuer_text",
            "discovery",
            "diagnosis",
        )
        if "report" not in changes and any(
            getattr(new, name) != getattr(self, name) for name in test_inputs
        ):
            new = replace(new, report=None, exported_to=None)
        support = AppChoice.DIAGNOSE
        if (new.app_choice is support) != (self.app_choice is support) and "report" not in changes:
            # Another path (setting up, or diagnosing): what was tested and saved on the
            # other one is not this path's, and its steps start unchecked.
            new = replace(new, report=None, discovery=None, exported_to=None)
        return new


def _url(address: HostAddress | None) -> str | None:
    return address.url if address else None
