"""SimulatedHalo: a Halo instance on local sockets, behaving as its scenario says."""

from __future__ import annotations

import dataclasses
import datetime
import math
import time
import uuid
from collections import deque
from collections.abc import Callable
from ssl import SSLContext
from types import TracebackType
from typing import Any, Self

from . import replies
from .oauth import (
    Grant,
    Registration,
    TokenStore,
    UsedAssertions,
    id_token,
    token_request,
    token_response,
)
from .resources import agent_me, probe
from .scenarios import (
    AREAS_BY_PATH,
    READ_EDIT_SCOPES,
    REAL_SCOPES,
    SCENARIO_DATA,
    SCENARIOS,
    Scenario,
)
from .server import RecordedRequest, Reply, Served

HOSTED_GROUP = "US16-Stable8"

# The hosted domains a Halo instance can live under (reference §1): a name under one of them
# that is not the instance answers as Halo's cloud answers an unknown subdomain.
HOSTED_DOMAINS = ("halopsa.com", "haloitsm.com", "haloservicedesk.com", "halocrm.io", "usehalo.com")


@dataclasses.dataclass(frozen=True)
class PublicNames:
    """The names a simulated hosted Halo answers to, in place of 127.0.0.1 and its ports.

    Nothing publishes them: only a transport told the simulator's routes (the demo's)
    reaches the simulator under them, on port 443 of the name.
    """

    instance: str = "acme.halopsa.com"
    # A trial's shared regional sign-in host, with no /auth segment (reference §1).
    trial_auth: str = "uk-trial.halopsa.com"

    def instance_for(self, scenario: Scenario) -> str:
        """The instance's name in `scenario` (an on-premise Halo has a name of its own)."""
        return scenario.host or self.instance

    @property
    def own_names(self) -> tuple[str, ...]:
        """The names an instance has in some scenario, and the trial sign-in host."""
        custom = (data.host for data in SCENARIO_DATA.values() if data.host)
        return tuple(dict.fromkeys((self.instance, self.trial_auth, *custom)))

    @property
    def certificate_names(self) -> tuple[str, ...]:
        """Every name the simulator's certificate covers: its own, and each hosted domain's
        subdomains, so that a mistyped subdomain reaches it as it would reach Halo's cloud."""
        return (*self.own_names, *(f"*.{domain}" for domain in HOSTED_DOMAINS))


# A test's own answer: given a request and the answer the scenario would give, the answer to
# send instead (or that same answer). Used to make one path misbehave in ways no scenario has.
Override = Callable[[RecordedRequest, Reply], Reply]


class SimulatedHalo(Served):
    """A simulated Halo: the agent web app (API, auth) and, for trials, a separate auth host."""

    def __init__(
        self,
        scenario: str = "healthy",
        *,
        bind: str = "127.0.0.1",
        port: int = 0,
        public_host: str = "127.0.0.1",
        tls: SSLContext | None = None,
        latency_ms: int = 0,
        override: Override | None = None,
        names: PublicNames | None = None,
        ticked: frozenset[str] | None = None,
        tick_all: bool = False,
        assertion_public_key: str | None = None,
        assertion_issuer: str | None = None,
        extra_scopes: frozenset[str] = frozenset(),
    ) -> None:
        """`assertion_public_key`: the public key (PEM) of a JWT Assertion (Services)
        application, in any scenario; `assertion_issuer`: the Issuer that application names
        (the `iss` it accepts; None: the Client ID); `extra_scopes`: scope names this Halo
        has beyond the known ones (a newer Halo), accepted and ticked in every scenario."""
        _check_scenario(scenario)
        if names is not None and tls is None:
            raise ValueError("a simulator with public names serves HTTPS: give it tls")
        self.names = names
        # The scopes ticked on the application, when a test sets them (all, admin...).
        self._ticked = ticked
        # The demo: every box the wizard may tell the admin to tick is ticked (all, admin...),
        # except in the situations about boxes left unticked, which keep their own.
        self._tick_all = tick_all
        self._extra_scopes = extra_scopes
        self._scenario = scenario
        super().__init__(bind, tls)
        self._port = port
        self._public_host = public_host
        self.latency_ms = latency_ms
        self._override = override
        self.client_id = str(uuid.uuid4())
        self.client_secret = f"{uuid.uuid4()}-{uuid.uuid4()}"
        # What Halo holds after the admin regenerated the secret or re-saved the application.
        self._regenerated_secret = f"{uuid.uuid4()}-{uuid.uuid4()}"
        self._saved_client_id = str(uuid.uuid4())
        self.dbid = str(uuid.uuid4())
        self.assertion_public_key = assertion_public_key
        self.assertion_issuer = assertion_issuer
        # The key pairs of the JWT Assertion scenarios, made when first needed: the admin's
        # (assertion_private_key) and the other one Halo holds in jwt_wrong_key.
        self._key_pairs: dict[str, tuple[str, str]] = {}
        self._used_assertions = UsedAssertions()
        self.requests: list[RecordedRequest] = []
        # Tunable, mostly for tests: token lifetime and the instance-wide rate limit.
        self.token_lifetime_s = 3600
        self.rate_limit_requests = 300
        self.rate_limit_window_s = 300.0
        self._tokens = TokenStore()
        self._api_calls: deque[float] = deque()
        self._first_calls_seen: set[tuple[str, str]] = set()

    # Lifecycle

    def start(self) -> None:
        """Start both listeners in daemon threads; returns once they are listening."""
        # The auth listener always runs so that switching to "trial" works while running.
        self._serve((("agent", self._port), ("auth", 0)))

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # What users see

    @property
    def scenario(self) -> str:
        with self._lock:
            return self._scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        _check_scenario(name)
        with self._lock:
            self._scenario = name

    @property
    def url(self) -> str:
        return self._listener_url("agent")

    @property
    def auth_url(self) -> str:
        return self._auth_url(SCENARIO_DATA[self.scenario])

    @property
    def regenerated_secret(self) -> str:
        """The secret Halo holds in the scenarios where it was regenerated after copying."""
        return self._regenerated_secret

    @property
    def assertion_private_key(self) -> str:
        """The private key (PKCS#8 PEM) the admin holds in the JWT Assertion scenarios: its
        public key is the one Halo holds, unless assertion_public_key gives another."""
        return self._key_pair("admin")[0]

    def uses_assertion(self, scenario: Scenario | None = None) -> bool:
        """Whether the application authenticates with JWT Assertion (Services)."""
        data = scenario or SCENARIO_DATA[self.scenario]
        return self.assertion_public_key is not None or data.jwt_assertion

    def _registered_public_key(self, scenario: Scenario) -> str | None:
        if not self.uses_assertion(scenario):
            return None
        if scenario.assertion_key_replaced:
            return self._key_pair("replaced")[1]
        return self.assertion_public_key or self._key_pair("admin")[1]

    def _key_pair(self, name: str) -> tuple[str, str]:
        """(private PEM, public PEM) of one of the simulator's own key pairs."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        with self._lock:
            pair = self._key_pairs.get(name)
            if pair is None:
                # 2048 bits: quick to make, and what Halo's minimum very likely is.
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                private = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode("ascii")
                public = (
                    key.public_key()
                    .public_bytes(
                        serialization.Encoding.PEM,
                        serialization.PublicFormat.SubjectPublicKeyInfo,
                    )
                    .decode("ascii")
                )
                pair = self._key_pairs[name] = (private, public)
        return pair

    @property
    def tenant(self) -> str | None:
        return SCENARIO_DATA[self.scenario].tenant

    def describe(self) -> str:
        name = self.scenario
        data = SCENARIO_DATA[name]
        started = bool(self._listeners)
        lines = [
            f"Simulated {data.product} {data.version}, scenario '{name}':",
            f"  {data.description}",
            f"  URL:           {self.url if started else '(not started)'}",
            f"  Auth URL:      {self._auth_url(data) if started else '(not started)'}",
            f"  Tenant:        {data.tenant or '(none: on-premise)'}",
            f"  Client ID:     {self.client_id}",
            f"  Client secret: {self.client_secret}",
        ]
        if self.uses_assertion(data):
            lines[-1] = "  Method:        JWT Assertion (Services): no secret, a signed assertion"
        if self.latency_ms:
            lines.append(f"  Latency:       {self.latency_ms} ms per request")
        return "\n".join(lines)

    def _auth_url(self, scenario: Scenario) -> str:
        return self._listener_url("auth") if scenario.trial else f"{self.url}/auth"

    def _listener_url(self, name: str) -> str:
        listener = self._listeners.get(name)
        if listener is None:
            raise RuntimeError("the simulator is not started")
        if self.names is not None:
            if name == "auth":
                return f"https://{self.names.trial_auth}"
            return f"https://{self.names.instance_for(SCENARIO_DATA[self.scenario])}"
        host = self._public_host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{host}:{listener.port}"

    @property
    def routes(self) -> dict[str, int]:
        """With public names: each name (or `*.domain`) and the loopback port serving it."""
        if self.names is None:
            return {}
        agent, auth = self._listeners["agent"].port, self._listeners["auth"].port
        routes = {f"*.{domain}": agent for domain in HOSTED_DOMAINS}
        routes.update({name: agent for name in self.names.own_names})
        routes[self.names.trial_auth] = auth
        return routes

    # Behaviour

    def _addressed_to_instance(
        self, listener: str, request: RecordedRequest, scenario: Scenario
    ) -> bool:
        """Whether the request names this instance (always so without public names)."""
        if self.names is None:
            return True
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip().lower().rstrip(".")
        if listener == "auth":
            return host == self.names.trial_auth
        return host == self.names.instance_for(scenario)

    def _app(self, listener: str) -> Callable[[RecordedRequest], Reply]:
        def app(request: RecordedRequest) -> Reply:
            with self._lock:
                self.requests.append(request)
                scenario = SCENARIO_DATA[self._scenario]
            if self._ticked is not None:
                scenario = dataclasses.replace(scenario, ticked=self._ticked)
            elif self._tick_all and scenario.ticked == READ_EDIT_SCOPES:
                scenario = dataclasses.replace(scenario, ticked=REAL_SCOPES)
            if self._extra_scopes:
                scenario = dataclasses.replace(
                    scenario,
                    extra_scopes=scenario.extra_scopes | self._extra_scopes,
                    ticked=scenario.ticked | self._extra_scopes,
                )
            if not self._addressed_to_instance(listener, request, scenario):
                # Another subdomain of a hosted domain: no instance by that name.
                scenario = dataclasses.replace(scenario, unknown_instance=True, trial=False)
            reply = self._route(listener, request, scenario)
            if self._override is not None:
                reply = self._override(request, reply)
            reply.delay_s = max(0, self.latency_ms) / 1000
            reply.date_skew_s = scenario.clock_skew_s
            return reply

        return app

    def _route(self, listener: str, request: RecordedRequest, scenario: Scenario) -> Reply:
        if scenario.transport == "never_answers":
            return Reply(0, hang=True)
        if scenario.transport == "not_halo":
            return replies.html(200, replies.COMPANY_PAGE)
        path = request.path.lower().rstrip("/") or "/"
        if listener == "auth":
            if scenario.trial and path == "/token":
                return self._token(request, scenario, tenant_required=True)
            return replies.html(404, replies.NOT_FOUND_PAGE)
        if path == "/api" or path.startswith("/api/"):
            return self._api(request, scenario, path)
        if path == "/auth/token":
            if scenario.trial or scenario.unknown_instance:
                return replies.html(404, replies.NOT_FOUND_PAGE)
            return self._token(request, scenario, tenant_required=False)
        return replies.empty(404)

    def _token(self, request: RecordedRequest, scenario: Scenario, tenant_required: bool) -> Reply:
        registration = Registration(
            self._saved_client_id if scenario.client_id_changed else self.client_id,
            self._regenerated_secret if scenario.secret_regenerated else self.client_secret,
            public_key=self._registered_public_key(scenario),
            issuer=self.assertion_issuer,
        )
        outcome = token_request(
            request,
            scenario,
            registration,
            tenant_required,
            # This endpoint's own address: the audience an assertion must name (inferred).
            token_url=self._auth_url(scenario) + "/token",
            used=self._used_assertions,
        )
        if not isinstance(outcome, Grant):
            return outcome
        lifetime = self.token_lifetime_s
        access_token = self._tokens.issue(outcome, lifetime)
        identity = id_token(self._auth_url(scenario), outcome.client_id, scenario.agent, lifetime)
        return token_response(
            access_token, outcome, lifetime, identity, openid_names=scenario.openid_names
        )

    def _api(self, request: RecordedRequest, scenario: Scenario, path: str) -> Reply:
        retry_after = self._count_api_call()
        if retry_after is not None:
            window_min = self.rate_limit_window_s / 60
            message = (
                f"Rate Limit Reached - {self.rate_limit_requests} Requests per rolling"
                f" {window_min:g} minute window"
            )
            return replies.rate_limited(retry_after if scenario.retry_after else None, message)
        if request.method not in ("GET", "HEAD"):
            return replies.empty(405, {"Allow": "GET"})  # our client must never write
        if scenario.unknown_instance:
            return replies.empty(500)
        if path in ("/api/authinfo", "/api/instanceinfo"):
            payload = (
                self._authinfo(scenario)
                if path == "/api/authinfo"
                else self._instanceinfo(scenario)
            )
            reply = replies.json_reply(200, payload)
            if scenario.transport == "drip":
                reply.drip_s = 0.5
            return reply
        area = AREAS_BY_PATH.get(path)
        if area is None and path != "/api/agent/me":
            return replies.empty(404)
        if scenario.rate_limit == "always":
            return replies.rate_limited(2 if scenario.retry_after else None)
        authorization = request.headers.get("authorization", "")
        if scenario.rate_limit == "first":
            with self._lock:
                first = (path, authorization) not in self._first_calls_seen
                self._first_calls_seen.add((path, authorization))
            if first:
                return replies.rate_limited(1 if scenario.retry_after else None)
        token = self._tokens.lookup(authorization)
        if area is None:
            return agent_me(scenario, token)
        return probe(request, scenario, area, token)

    def _count_api_call(self) -> int | None:
        """Count one API call in the rolling window; the Retry-After seconds if over the limit."""
        now = time.monotonic()
        with self._lock:
            calls = self._api_calls
            while calls and calls[0] <= now - self.rate_limit_window_s:
                calls.popleft()
            if len(calls) >= self.rate_limit_requests:
                if not calls:
                    return math.ceil(self.rate_limit_window_s) or 1
                return max(1, math.ceil(calls[0] + self.rate_limit_window_s - now))
            calls.append(now)
        return None

    def _authinfo(self, scenario: Scenario) -> dict[str, Any]:
        auth_url = self._auth_url(scenario) + ("/" if scenario.authinfo_trailing_slash else "")
        # On-premise answers an empty tenant here and none at all in instanceinfo.
        return {"auth_url": auth_url, "tenant_id": scenario.tenant or ""}

    def _instanceinfo(self, scenario: Scenario) -> dict[str, Any]:
        url = self.url
        major, minor, *_ = scenario.version.split(".")
        info: dict[str, Any] = {
            "agent_count": 12,
            "agent_url": scenario.reported_agent_url or url,
            "app_name": scenario.product,
            "app_version": scenario.version,
            "auth_url": self._auth_url(scenario),
            "chat_service_url": f"{url}/api",
            "database_version": f"{major}{minor}",
            "dbid": self.dbid,
        }
        if scenario.tenant is not None:
            info["hosted_group"] = HOSTED_GROUP
        info.update(
            {
                "incoming_service_url": f"{url}/api/$ENDPOINT",
                "mobileapp_enabled": True,
                "nhserver_version": "1364.01",
                "portal_url": f"{url}/portal/",
            }
        )
        if scenario.tenant is not None:
            info["tenant_id"] = scenario.tenant
        if scenario.trial:
            expiry = datetime.date.today() + datetime.timedelta(days=30)
            info["trial_expiry"] = f"{expiry.isoformat()}T00:00:00"
        info["using_event_service"] = True
        info["using_incoming_service"] = True
        return info


def _check_scenario(name: str) -> None:
    if name not in SCENARIO_DATA:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")


class HostedHalo(SimulatedHalo):
    """A simulated hosted Halo as the demo shows it: https://acme.halopsa.com, with a
    certificate for its names from an authority made for this run (`ca_pem`).

    Only a client told `routes` (and trusting `ca_pem`) reaches it under those names.
    """

    def __init__(
        self,
        scenario: str = "healthy",
        *,
        latency_ms: int = 0,
        names: PublicNames | None = None,
        override: Override | None = None,
        ticked: frozenset[str] | None = None,
        tick_all: bool = False,
    ) -> None:
        from .tls import SimCA  # cryptography loads only for a hosted simulation

        names = names or PublicNames()
        self._ca = SimCA()
        super().__init__(
            scenario,
            tls=self._ca.server_context(names.certificate_names),
            names=names,
            latency_ms=latency_ms,
            override=override,
            ticked=ticked,
            tick_all=tick_all,
        )

    @property
    def ca_pem(self) -> str:
        return self._ca.cert_pem
