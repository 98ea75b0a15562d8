"""The simulated auth server: the client credentials token request and the tokens it issues."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import replies
from .replies import oauth_error
from .scenarios import REAL_SCOPES, WILDCARD_SCOPES, Agent, Scenario
from .server import RecordedRequest, Reply

REDIRECT_TARGET = "https://login.elsewhere.example/auth/token"


@dataclass(frozen=True)
class Registration:
    """The application as Halo knows it, which may not be what the admin copied."""

    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Grant:
    """A token request that passed every check."""

    client_id: str
    scopes: tuple[str, ...] | None  # None: issued without any scope


@dataclass(frozen=True)
class IssuedToken:
    client_id: str
    scopes: tuple[str, ...] | None
    expires: float  # time.monotonic()


class TokenStore:
    """The access tokens issued so far, thread-safe."""

    def __init__(self) -> None:
        self._tokens: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def issue(self, grant: Grant, lifetime_s: int) -> str:
        token = secrets.token_urlsafe(48)
        now = time.monotonic()
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if v.expires > now}
            self._tokens[token] = IssuedToken(grant.client_id, grant.scopes, now + lifetime_s)
        return token

    def lookup(self, authorization: str | None) -> IssuedToken | None:
        """The live token an Authorization header carries, if any."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        with self._lock:
            issued = self._tokens.get(token.strip())
        if issued is None or issued.expires <= time.monotonic():
            return None
        return issued


def scope_allowed(scope: str, ticked: frozenset[str]) -> bool:
    """Whether a ticked set grants a scope; edit:X also grants read:X."""
    verb, _, area = scope.partition(":")
    return scope in ticked or (verb == "read" and f"edit:{area}" in ticked)


def token_opens(scopes: tuple[str, ...], area: str) -> bool:
    """Whether a token's scopes open the read probe of an area."""
    return any(s in WILDCARD_SCOPES or s in (f"read:{area}", f"edit:{area}") for s in scopes)


def token_request(
    request: RecordedRequest, scenario: Scenario, registration: Registration, tenant_required: bool
) -> Reply | Grant:
    """Check a token request the way Halo does, in Halo's order; a Reply means refused."""
    override = _scenario_override(scenario)
    if override is not None:
        return override
    if request.method != "POST":
        return replies.empty(405, {"Allow": "POST"})
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return oauth_error(
            400, "invalid_request", "The specified 'Content-Type' header is invalid."
        )
    form = request.form
    if form.get("grant_type") != "client_credentials":
        return _unsupported_grant()
    refused = _check_tenant(request, scenario, tenant_required)
    if refused is not None:
        return refused
    client_id, client_secret = _client_credentials(request)
    if not (
        hmac.compare_digest(client_id.encode(), registration.client_id.encode())
        and hmac.compare_digest(client_secret.encode(), registration.client_secret.encode())
    ):
        return oauth_error(401, "invalid_client", "The specified client credentials are invalid.")
    if scenario.grant_error is not None:
        return oauth_error(
            400,
            scenario.grant_error,
            "This client application is not allowed to use the client credentials grant.",
        )
    if not form.get("scope", "").strip():
        return Grant(client_id, None)
    requested = list(dict.fromkeys(form["scope"].split()))
    for scope in requested:
        if scope not in REAL_SCOPES:
            return oauth_error(400, "invalid_scope", "The specified 'scope' is not supported.")
    granted = tuple(s for s in requested if scope_allowed(s, scenario.ticked))
    if scenario.reject_unticked:
        for scope in requested:
            if scope not in granted:
                return oauth_error(
                    400,
                    "invalid_scope",
                    f"The scope '{scope}' is not allowed for this client application.",
                )
    return Grant(client_id, None if scenario.token_without_scope else granted)


def _unsupported_grant() -> Reply:
    return oauth_error(
        400, "unsupported_grant_type", "The specified 'grant_type' is not supported."
    )


def _scenario_override(scenario: Scenario) -> Reply | None:
    if scenario.grant_error == "unsupported_grant_type":
        return _unsupported_grant()
    if scenario.token_reply == "missing":
        return replies.html(404, replies.NOT_FOUND_PAGE)
    if scenario.token_reply == "redirect":
        return replies.empty(302, {"Location": REDIRECT_TARGET})
    if scenario.token_reply == "html":
        return replies.html(200, replies.APP_SHELL_PAGE)
    return None


def _check_tenant(
    request: RecordedRequest, scenario: Scenario, tenant_required: bool
) -> Reply | None:
    if scenario.tenant is None:
        return None  # on-premise: there is no tenant, and any given is ignored
    query = {key.lower(): value for key, value in request.query.items()}
    tenant = query.get("tenant", "").strip()
    if not tenant:
        if tenant_required:
            return oauth_error(
                400, "invalid_request", "The mandatory 'tenant' parameter is missing."
            )
        return None
    if tenant.lower() != scenario.tenant.lower():
        return oauth_error(400, "invalid_request", "The specified tenant is not valid.")
    return None


def _client_credentials(request: RecordedRequest) -> tuple[str, str]:
    """client_id and client_secret from the form, else from HTTP Basic client authentication."""
    form = request.form
    if "client_id" in form:
        return form["client_id"], form.get("client_secret", "")
    scheme, _, encoded = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    client_id, _, client_secret = decoded.partition(":")
    return unquote(client_id), unquote(client_secret)


def token_response(access_token: str, grant: Grant, lifetime_s: int, id_token: str) -> Reply:
    payload: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": lifetime_s,
    }
    if grant.scopes is not None:
        payload["scope"] = " ".join(grant.scopes)
    payload["id_token"] = id_token
    return replies.json_reply(200, payload, {"Cache-Control": "no-store", "Pragma": "no-cache"})


def id_token(issuer: str, client_id: str, agent: Agent | None, lifetime_s: int) -> str:
    """A JWT-shaped id_token naming who the token acts as; its signature is random bytes."""
    now = int(time.time())
    claims: dict[str, Any]
    if agent is None:
        claims = {"iss": issuer, "sub": client_id, "aud": client_id, "client_id": client_id}
    else:
        claims = {
            "iss": issuer,
            "sub": str(agent.id),
            "aud": client_id,
            "name": agent.name,
            "email": agent.email,
        }
    claims.update(iat=now, exp=now + lifetime_s)
    header = {"alg": "RS256", "typ": "JWT"}
    parts = [_b64url(json.dumps(p, separators=(",", ":")).encode()) for p in (header, claims)]
    return ".".join([*parts, _b64url(secrets.token_bytes(256))])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
