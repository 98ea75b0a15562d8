"""The simulated auth server: the client credentials token request and the tokens it issues.

An application authenticates with its client secret or, for JWT Assertion (Services), with a
JWT signed by its private key (a client assertion, RFC 7523) checked against the public key
Halo holds. Halo publishes neither the audience it expects nor its error bodies for this
method: the bodies here are OpenIddict's kind (the server Halo very likely runs) and are
inferred, as are the audience (the token endpoint's address) and the issuer (the Client ID,
unless the application names another).
"""

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

import jwt

from . import replies
from .replies import oauth_error
from .scenarios import (
    OPENID_NAMES,
    READ_EDIT_ORDER,
    REAL_SCOPES,
    WILDCARD_SCOPES,
    Agent,
    Scenario,
)
from .server import RecordedRequest, Reply

REDIRECT_TARGET = "https://login.elsewhere.example/auth/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Seconds of clock difference an assertion's times are allowed.
ASSERTION_LEEWAY_S = 5


@dataclass(frozen=True)
class Registration:
    """The application as Halo knows it, which may not be what the admin copied."""

    client_id: str
    client_secret: str
    # JWT Assertion (Services): the public key (PEM) the application holds, and the Issuer
    # it names (None: the Client ID). With a public key, no secret is accepted.
    public_key: str | None = None
    issuer: str | None = None


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


class UsedAssertions:
    """The jti of every assertion accepted, kept until it expires: a second use is refused."""

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, jti: str, expires: float) -> bool:
        now = time.time()
        with self._lock:
            self._expiry = {k: v for k, v in self._expiry.items() if v + ASSERTION_LEEWAY_S > now}
            if jti in self._expiry:
                return False
            self._expiry[jti] = expires
            return True


def scope_allowed(scope: str, ticked: frozenset[str]) -> bool:
    """Whether a ticked set grants a scope; edit:X also grants read:X."""
    verb, _, area = scope.partition(":")
    return scope in ticked or (verb == "read" and f"edit:{area}" in ticked)


def granted_scopes(requested: list[str], scenario: Scenario) -> tuple[str, ...]:
    """The scopes a token is issued with: those asked for that the application allows.

    A request for all is narrowed to the read:/edit: scopes the application allows and
    answered as their names (seen, reference §10), unless all is ticked and the scenario
    says all is answered as itself (inferred).
    """
    ticked = scenario.ticked
    granted: list[str] = []
    for scope in requested:
        if scope == "all" and not (scenario.all_granted_as == "all" and "all" in ticked):
            granted.extend(
                name for name in READ_EDIT_ORDER if "all" in ticked or scope_allowed(name, ticked)
            )
        elif scope_allowed(scope, ticked):
            granted.append(scope)
    return tuple(dict.fromkeys(granted))


def token_opens(scopes: tuple[str, ...], area: str) -> bool:
    """Whether a token's scopes open the read probe of an area."""
    return any(s in WILDCARD_SCOPES or s in (f"read:{area}", f"edit:{area}") for s in scopes)


def token_request(
    request: RecordedRequest,
    scenario: Scenario,
    registration: Registration,
    tenant_required: bool,
    *,
    token_url: str = "",
    used: UsedAssertions | None = None,
) -> Reply | Grant:
    """Check a token request the way Halo does, in Halo's order; a Reply means refused.

    `token_url`: this endpoint's own address, the audience an assertion must name; `used`:
    the assertions accepted so far (a jti is accepted once).
    """
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
    if registration.public_key is not None:
        refused = assertion_refusal(request, registration, token_url, used or UsedAssertions())
        if refused is not None:
            return refused
        client_id = registration.client_id
    else:
        client_id, client_secret = _client_credentials(request)
        if not (
            _same(client_id, registration.client_id)
            and _same(client_secret, registration.client_secret)
        ):
            return _invalid_client()
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
        if scope not in REAL_SCOPES and scope not in scenario.extra_scopes:
            return oauth_error(400, "invalid_scope", "The specified 'scope' is not supported.")
    granted = granted_scopes(requested, scenario)
    if scenario.reject_unticked:
        for scope in requested:
            # all is narrowed, never refused (seen); the names are what this scenario refuses.
            if scope not in granted and scope != "all" and scope not in OPENID_NAMES:
                return oauth_error(
                    400,
                    "invalid_scope",
                    f"The scope '{scope}' is not allowed for this client application.",
                )
    return Grant(client_id, None if scenario.token_without_scope else granted)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _invalid_client(description: str = "The specified client credentials are invalid.") -> Reply:
    return oauth_error(401, "invalid_client", description)


def assertion_refusal(
    request: RecordedRequest, registration: Registration, audience: str, used: UsedAssertions
) -> Reply | None:
    """Why a JWT-assertion application's token request is refused, or None when its signed
    assertion holds: PS256 only, signed by the key Halo holds, iss the Issuer (or the Client
    ID), sub the Client ID, aud this endpoint, not expired, and its jti never seen before.
    The error bodies are inferred (see the module's docstring)."""
    assert registration.public_key is not None
    form = request.form
    assertion = form.get("client_assertion", "")
    kind = form.get("client_assertion_type", "")
    if not assertion and not kind:
        # A secret (or nothing) sent to an application that proves itself with a key.
        return _invalid_client()
    if kind != ASSERTION_TYPE:
        return oauth_error(
            400,
            "invalid_request",
            "The specified 'client_assertion_type' parameter is not supported.",
        )
    if "client_secret" in form:
        return oauth_error(
            400, "invalid_request", "Multiple client credentials cannot be specified."
        )
    given_id = form.get("client_id")
    if given_id is not None and not _same(given_id, registration.client_id):
        return _invalid_client()
    try:
        claims = jwt.decode(
            assertion,
            registration.public_key,
            algorithms=["PS256"],
            audience=audience,
            issuer=registration.issuer or registration.client_id,
            leeway=ASSERTION_LEEWAY_S,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
        )
    except jwt.InvalidSignatureError:
        return _invalid_client("The signature of the specified client assertion is invalid.")
    except jwt.ExpiredSignatureError:
        return _invalid_client("The specified client assertion has expired.")
    except jwt.ImmatureSignatureError:
        return _invalid_client("The specified client assertion is not yet valid.")
    except jwt.InvalidAudienceError:
        return _invalid_client("The audience of the specified client assertion is invalid.")
    except jwt.InvalidIssuerError:
        return _invalid_client("The issuer of the specified client assertion is invalid.")
    except jwt.MissingRequiredClaimError as exc:
        return oauth_error(
            400,
            "invalid_request",
            f"The mandatory '{exc.claim}' claim is missing from the client assertion.",
        )
    except jwt.InvalidAlgorithmError:
        return _invalid_client(
            "The signing algorithm of the specified client assertion is not allowed."
        )
    except (jwt.InvalidTokenError, ValueError):
        # A malformed JWT, or a public key in Halo that is not one.
        return _invalid_client("The specified client assertion is invalid.")
    if not _same(str(claims.get("sub", "")), registration.client_id):
        return _invalid_client("The subject of the specified client assertion is invalid.")
    if not used.first_use(str(claims["jti"]), float(claims["exp"])):
        return oauth_error(
            400, "invalid_grant", "The specified client assertion has already been used."
        )
    return None


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


def token_response(
    access_token: str, grant: Grant, lifetime_s: int, id_token: str, *, openid_names: bool = False
) -> Reply:
    """The token answer; `openid_names`: its scope lists the sign-in names first, as a live
    answer did (reference §10)."""
    payload: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": lifetime_s,
    }
    if grant.scopes is not None:
        names = [*OPENID_NAMES, *grant.scopes] if openid_names else list(grant.scopes)
        payload["scope"] = " ".join(dict.fromkeys(names))
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
