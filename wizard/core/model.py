"""What a check is asked to test, and what it reports back."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from wizard.core.findings import Finding, has_errors
from wizard.core.messages import Front

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

# Seconds before any one request to Halo is given up.
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class LocalRoutes:
    """Names that a server on this computer answers in place of the Internet: the demo's
    simulated Halo, presented as acme.halopsa.com. Never made from anything an admin enters.

    `ports`: a name ("acme.halopsa.com") or every name under a domain ("*.halopsa.com"), and
    the port on 127.0.0.1 that answers HTTPS for it; any other port of such a name refuses
    the connection, as a mistyped port would. `ca_pem`: the certificate authority of that
    server's certificate, trusted for this check only.
    """

    ports: Mapping[str, int]
    ca_pem: str = ""

    def port_for(self, host: str) -> int | None:
        """The loopback port answering for `host`, or None when the name is not routed."""
        name = host.strip().lower().rstrip(".")
        if name in self.ports:
            return self.ports[name]
        labels = name.split(".")
        for start in range(1, len(labels) - 1):
            port = self.ports.get("*." + ".".join(labels[start:]))
            if port is not None:
                return port
        return None


@dataclass(frozen=True)
class CheckRequest:
    """The connection to test, as the admin entered it (nothing normalised yet)."""

    host: str
    client_id: str
    client_secret: str
    scopes: str | Sequence[str]
    tenant: str | None = None
    auth_url: str | None = None
    ca_bundle: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    # The demo's simulated Halo under its hosted name; None everywhere else.
    routes: LocalRoutes | None = None
    # The token address a saved connection used at its last test: the token is asked for
    # there at once, while discovery runs beside it to confirm the address.
    known_token_url: str | None = None
    # The recipe id of the tool being connected (resources/recipes.toml): the test then
    # also judges what that tool needs (its identity, the records it reads).
    tool: str | None = None

    # JWT Assertion (Services): the private key that signs a new assertion for each token
    # request (a PEM file's path, or the key itself); no secret is then needed or read.
    private_key: str | os.PathLike[str] | RSAPrivateKey | None = None
    # The assertion's aud (default: the token endpoint's address, without ?tenant=) and iss
    # (default: the Client ID). Halo publishes neither: both can be changed (reference §5).
    assertion_audience: str | None = None
    assertion_issuer: str | None = None

    def __repr__(self) -> str:
        # Never let the secret reach a log or a traceback through repr().
        return (
            f"CheckRequest(host={self.host!r}, client_id={self.client_id!r}, "
            f"client_secret='***', scopes={self.scopes!r}, tenant={self.tenant!r}"
            + (
                f", private_key='***', assertion_audience={self.assertion_audience!r}, "
                f"assertion_issuer={self.assertion_issuer!r}"
                if self.private_key is not None
                else ""
            )
            + ")"
        )


class ScopeStatus(StrEnum):
    OK = "ok"  # records seen
    EMPTY = "empty"  # allowed, but zero records: a visibility problem
    DENIED = "denied"  # 403 or Halo's own refusal
    ERROR = "error"  # no usable answer
    NOT_TESTED = "not_tested"  # no read-only probe exists for this scope
    GRANTED = "granted"  # an edit: scope the token carries (never written to)


@dataclass(frozen=True)
class ScopeResult:
    scope: str
    status: ScopeStatus
    records: int | None = None
    http_status: int | None = None

    def to_dict(self) -> dict[str, Any]:
        # The same keys always (docs/json.md): null where there is nothing to say.
        return {
            "scope": self.scope,
            "status": str(self.status),
            "records": self.records,
            "http_status": self.http_status,
        }


@dataclass(frozen=True)
class Identity:
    """Who the token acts as: an agent, or the application itself."""

    kind: str  # "agent" or "application"
    name: str | None = None
    id: int | None = None
    email: str | None = None
    api_only: bool | None = None
    is_admin: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "id": self.id,
            "email": self.email,
            "api_only": self.api_only,
            "is_admin": self.is_admin,
        }


class StepStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Step:
    """One line of the checklist: "discovery", "token", "scope:read:tickets", "identity"."""

    key: str
    label: str
    status: StepStatus
    summary: str = ""
    # How long the step took, from its start to its outcome; None while it runs.
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": str(self.status),
            "summary": self.summary,
            "seconds": None if self.seconds is None else round(self.seconds, 3),
        }


ProgressCallback = Callable[[Step], None]


@dataclass(frozen=True)
class Exchange:
    """One request of a check as a report shows it: never a secret, a token or a header.

    `status` is Halo's HTTP status, or None when no answer came (`error` then names the
    network failure's finding code and `reason` says what happened). `halo_said` is Halo's
    own error text for an answer that is not a success; a success's body (a token, records)
    is never kept.
    """

    method: str
    url: str
    status: int | None
    seconds: float
    halo_said: str | None = None
    error: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "halo_said": self.halo_said,
            "error": self.error,
            "reason": self.reason,
        }


@dataclass
class CheckReport:
    """Everything a check learnt. `ok` is true when no finding is an error."""

    host: str | None = None
    product: str | None = None
    version: str | None = None
    tenant: str | None = None
    auth_url: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    requested_scopes: list[str] = field(default_factory=list)
    granted_scopes: list[str] | None = None
    identity: Identity | None = None
    scopes: list[ScopeResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    address_notes: list[str] = field(default_factory=list)
    started_at: str | None = None
    duration: float = 0.0
    # Every request the check made, in the order they were sent.
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def to_dict(self, front: Front = Front.COMMAND_LINE) -> dict[str, Any]:
        """The report as data; each finding's fix in `front`'s words (the JSON's are the
        command line's)."""
        return {
            "ok": self.ok,
            "host": self.host,
            "product": self.product,
            "version": self.version,
            "tenant": self.tenant,
            "auth_url": self.auth_url,
            "token_url": self.token_url,
            "client_id": self.client_id,
            "identity": self.identity.to_dict() if self.identity else None,
            "requested_scopes": list(self.requested_scopes),
            "granted_scopes": self.granted_scopes,
            "scopes": [result.to_dict() for result in self.scopes],
            "findings": [finding.to_dict(front) for finding in self.findings],
            "steps": [step.to_dict() for step in self.steps],
            "address_notes": list(self.address_notes),
            "started_at": self.started_at,
            "duration_seconds": round(self.duration, 3),
            "exchanges": [exchange.to_dict() for exchange in self.exchanges],
        }
