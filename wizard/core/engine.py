"""The check: discovery, a new token, then a read-only probe per scope and the identity at once."""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from wizard.core import credentials, messages, scopes
from wizard.core.address import HostAddress, HostInvalid, normalise_host, normalise_url
from wizard.core.findings import Fill, Finding, Severity, make
from wizard.core.http import (
    NetworkError,
    Response,
    Transport,
    TransportOptions,
    clock_skew,
)
from wizard.core.idtoken import claims as id_token_claims
from wizard.core.jsonprefix import top_level_fields
from wizard.core.log import register_secret
from wizard.core.model import (
    DEFAULT_TIMEOUT,
    CheckReport,
    CheckRequest,
    Identity,
    ProgressCallback,
    ScopeResult,
    ScopeStatus,
    Step,
    StepStatus,
)
from wizard.core.product import APPLICATIONS_PAGE, product_names
from wizard.core.threads import DaemonExecutor

T = TypeVar("T")

DISCOVERY_MAX_BYTES = 256 * 1024
TOKEN_MAX_BYTES = 64 * 1024
PROBE_MAX_BYTES = 1024 * 1024
# The agent record can be megabytes; the fields needed come first.
IDENTITY_MAX_BYTES = 256 * 1024
# Longest Retry-After the check honours before reporting the rate limit instead.
MAX_RETRY_WAIT = 10.0
CLOCK_SKEW_LIMIT = 300.0

_log = logging.getLogger(__name__)


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _format_skew(seconds: float) -> str:
    minutes = round(abs(seconds) / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = abs(seconds) / 3600
    return f"{hours:.1f} hours"


class _Stop(Exception):
    """Raised inside the check when a stage failed in a way that makes later stages pointless."""


class Checker:
    """Runs one check. Create a new one for every check: each asks for a new token."""

    def __init__(
        self,
        request: CheckRequest,
        *,
        progress: ProgressCallback | None = None,
        transport: Transport | None = None,
        discovery_only: bool = False,
    ) -> None:
        self.request = request
        self._discovery_only = discovery_only
        self._progress = progress
        self._own_transport = transport is None
        self._transport_given = transport
        self._transport: Transport | None = None
        self._executor = DaemonExecutor()
        self.report = CheckReport()
        self._context: dict[str, Any] = {}
        self._address: HostAddress | None = None
        self._secret = ""
        self._token: str | None = None
        self._claims: dict[str, Any] = {}
        self._skew_reported = False
        self._rate_limit_waits: list[float] = []

    # ----- plumbing -----

    @property
    def _http(self) -> Transport:
        assert self._transport is not None, "the transport opens after the entries are checked"
        return self._transport

    def _step(self, key: str, status: StepStatus, summary: str = "") -> None:
        label = messages.STEP_LABELS.get(key) or key.removeprefix("scope:")
        step = Step(key, label, status, summary)
        # A step keeps the place it had when it started, so the checklist reads in order.
        steps = self.report.steps
        index = next((i for i, s in enumerate(steps) if s.key == key), None)
        if index is None:
            steps.append(step)
        else:
            steps[index] = step
        _log.debug("step %s: %s %s", key, status, summary)
        if self._progress is not None:
            self._progress(step)

    def _add(self, code: str, **kwargs: Any) -> Finding:
        if code in _APPLICATION_PAGE_CODES and self.report.host and "link" not in kwargs:
            kwargs["link"] = self.report.host + APPLICATIONS_PAGE
        finding = make(code, self._context, **kwargs)
        self.report.findings.append(finding)
        return finding

    def _add_network(self, error: NetworkError) -> None:
        self._add(
            error.code,
            server=error.server,
            reason=error.reason,
            timeout=f"{self.request.timeout:g}",
        )

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking call in a worker thread, with a hard limit on how long it may take."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, functools.partial(function, *args, **kwargs))
        # The transport enforces its own deadline; this catches a server that drips headers.
        try:
            return await asyncio.wait_for(future, self.request.timeout + 2.0)
        except TimeoutError:
            server = urlsplit(str(args[0]) if args else "").netloc
            raise NetworkError(
                "TIMEOUT", server, f"no answer within {self.request.timeout:g} seconds"
            ) from None

    def _note_clock(self, response: Response) -> None:
        skew = clock_skew(response)
        if self._skew_reported or skew is None or abs(skew) < CLOCK_SKEW_LIMIT:
            return
        self._skew_reported = True
        server_time = response.server_date
        self._add(
            "CLOCK_SKEW",
            skew=_format_skew(skew),
            server_time=server_time.strftime("%Y-%m-%d %H:%M UTC") if server_time else "",
            local_time=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )

    # ----- the check -----

    async def run(self) -> CheckReport:
        started = time.monotonic()
        self.report.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self._check_input()
            self._transport = self._open_transport()
            await self._discover()
            if not self._discovery_only:
                await self._get_token()
                await self._probe_all()
        except _Stop:
            pass
        finally:
            self.report.duration = time.monotonic() - started
            self._token = None
            self._secret = ""
            if self._own_transport and self._transport is not None:
                self._transport.close()
        report = self.report
        _log.info(
            "%s of %s: %s in %.1f s; findings: %s",
            "discovery" if self._discovery_only else "check",
            report.host or "(no usable address)",
            "ok" if report.ok else "problems",
            report.duration,
            " ".join(report.codes()) or "none",
        )
        return report

    def _open_transport(self) -> Transport:
        if self._transport_given is not None:
            return self._transport_given
        bundle = self.request.ca_bundle
        try:
            return Transport(TransportOptions(timeout=self.request.timeout, ca_bundle=bundle))
        except (ssl.SSLError, OSError) as exc:
            self._add("CA_BUNDLE_INVALID", path=bundle, reason=exc.strerror or str(exc))
            self._step("input", StepStatus.FAILED, messages.SUMMARY_CA_FILE)
            raise _Stop from None

    def _check_input(self) -> None:
        request = self.request
        self._step("input", StepStatus.RUNNING)
        failed = False
        try:
            self._address = normalise_host(request.host)
        except HostInvalid as exc:
            self._add("HOST_INVALID", reason=str(exc))
            failed = True
        if self._address is not None:
            product, api_menu = product_names(None, self._address.product_hint)
            self.report.host = self._address.url
            self.report.address_notes = list(self._address.notes)
            self._context.update(product=product, api_menu=api_menu, host=self._address.url)

        if self._discovery_only:
            if self._address is None:
                self._step("input", StepStatus.FAILED, messages.SUMMARY_FIX_ADDRESS)
                raise _Stop
            self._step("input", StepStatus.OK, self._address.url)
            return

        requested = scopes.parse_scopes(request.scopes)
        self.report.requested_scopes = requested
        if not requested:
            self._add("NO_SCOPES")
            failed = True
        for scope in requested:
            if not scopes.is_known(scope):
                self._add("SCOPE_UNKNOWN", scope=scope, suggestion=scopes.suggestion_for(scope))
                failed = True

        client_id = credentials.clean_client_id(request.client_id)
        self.report.client_id = client_id
        register_secret(request.client_secret)
        secret = credentials.clean_secret(request.client_secret)
        register_secret(secret.value)
        self._secret = secret.value
        if not secret.value:
            self._add("SECRET_MISSING")
            failed = True
        elif secret.removed:
            self._add("SECRET_TRIMMED", removed=credentials.describe_removed(secret.removed))
        if credentials.looks_like_secret(client_id):
            self._add(
                "CLIENT_ID_FORMAT",
                reason=messages.CLIENT_ID_IS_SECRET.format(length=len(client_id)),
                severity=Severity.ERROR,
            )
        elif not credentials.looks_like_guid(client_id):
            self._add(
                "CLIENT_ID_FORMAT", reason=messages.CLIENT_ID_NOT_GUID.format(length=len(client_id))
            )
        if secret.value and credentials.looks_like_guid(secret.value):
            self._add("SECRET_LOOKS_LIKE_CLIENT_ID")

        if failed or self._address is None:
            self._step("input", StepStatus.FAILED, messages.SUMMARY_FIX_ENTRIES)
            raise _Stop
        self._step("input", StepStatus.OK, self._address.url)

    async def _discover(self) -> None:
        assert self._address is not None
        base = self._address.url
        self._step("discovery", StepStatus.RUNNING)
        results = await asyncio.gather(
            self._call(self._http.get, base + "/api/authinfo", max_bytes=DISCOVERY_MAX_BYTES),
            self._call(self._http.get, base + "/api/instanceinfo", max_bytes=DISCOVERY_MAX_BYTES),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, NetworkError):
                raise result
        authinfo, instanceinfo = results
        for result in results:
            if isinstance(result, Response):
                self._note_clock(result)

        auth_json = _json_object(authinfo)
        instance_json = _json_object(instanceinfo)
        if not _is_authinfo(auth_json) and not _is_instanceinfo(instance_json):
            summary = self._explain_not_halo(authinfo, instanceinfo)
            self._step("discovery", StepStatus.FAILED, summary)
            raise _Stop

        app_name = _text(instance_json.get("app_name"))
        version = _text(instance_json.get("app_version"))
        product, api_menu = product_names(app_name, self._address.product_hint)
        self._context.update(product=product, api_menu=api_menu)
        self.report.product = app_name
        self.report.version = version

        reported_tenant = _text(auth_json.get("tenant_id")) or _text(instance_json.get("tenant_id"))
        self._decide_tenant(reported_tenant)

        agent_url = _text(instance_json.get("agent_url"))
        if agent_url:
            self._compare_agent_url(agent_url)

        reported_auth = _text(auth_json.get("auth_url")) or _text(instance_json.get("auth_url"))
        self._decide_auth_url(reported_auth)

        summary = ", ".join(
            part
            for part in (
                f"{app_name} {version}".strip() if app_name else None,
                f"tenant {self.report.tenant}" if self.report.tenant else "on-premise",
            )
            if part
        )
        self._step("discovery", StepStatus.OK, summary)

    def _explain_not_halo(self, authinfo: object, instanceinfo: object) -> str:
        """Add the finding that explains why discovery failed; return the step's summary."""
        assert self._address is not None
        host = self._address.url
        for answer in (authinfo, instanceinfo):
            if isinstance(answer, NetworkError) and not isinstance(authinfo, Response):
                self._add_network(answer)
                return messages.SUMMARY_NO_ANSWER
        response = authinfo if isinstance(authinfo, Response) else instanceinfo
        assert isinstance(response, Response)
        status = response.status
        domain = self._address.hosted_domain
        if status == 429:
            wait = _retry_after(response)
            note = messages.RETRY_AFTER_NOTE.format(seconds=f"{wait:g}") if wait else ""
            self._add("RATE_LIMITED", retry_note=note, severity=Severity.ERROR)
            return messages.SUMMARY_SLOW_DOWN
        if 300 <= status < 400:
            reason = messages.NOT_HALO_REDIRECT.format(
                host=host, location=response.headers.get("location", "another address")
            )
        elif status >= 500 and domain:
            reason = messages.NOT_HALO_HOSTED_500.format(host=host, status=status, domain=domain)
        elif status >= 500:
            self._add(
                "SERVER_ERROR",
                what=f"{host}/api/authinfo",
                status=status,
                halo_said=response.text_excerpt() or None,
            )
            return messages.SUMMARY_SERVER_ERROR.format(status=status)
        elif response.looks_like_html:
            reason = messages.NOT_HALO_HTML.format(host=host)
        elif status != 200:
            reason = messages.NOT_HALO_STATUS.format(host=host, status=status)
        else:
            reason = messages.NOT_HALO_SHAPE.format(host=host)
        self._add("NOT_HALO", reason=reason)
        return messages.SUMMARY_NOT_HALO

    def _decide_tenant(self, reported: str | None) -> None:
        given = (self.request.tenant or "").strip() or None
        self.report.tenant = reported
        self._context["tenant"] = reported or "(none: leave it empty)"
        if reported:
            self._add("TENANT_DETECTED", tenant=reported)
        else:
            self._add("ON_PREMISE")
        if given is None or given == reported:
            return
        if reported is None:
            reason = messages.TENANT_MISMATCH_ONPREM.format(given_tenant=given)
            expected = "nothing (leave the tenant empty)"
        elif given.lower() == reported.lower():
            reason = messages.TENANT_MISMATCH_CASE.format(
                given_tenant=given, reported_tenant=reported
            )
            expected = reported
        else:
            reason = messages.TENANT_MISMATCH_OTHER.format(
                given_tenant=given, reported_tenant=reported
            )
            expected = reported
        self._add("TENANT_MISMATCH", given_tenant=given, reason=reason, expected_tenant=expected)

    def _compare_agent_url(self, agent_url: str) -> None:
        assert self._address is not None
        try:
            reported = normalise_host(agent_url)
        except HostInvalid:
            return
        if reported.netloc != self._address.netloc:
            self._add("AGENT_URL_DIFFERS", reported_agent_url=reported.url)

    def _decide_auth_url(self, reported: str | None) -> None:
        assert self._address is not None
        reported_url: str | None = None
        if reported:
            try:
                reported_url = normalise_url(reported)
            except HostInvalid:
                reported_url = None
        given_url: str | None = None
        if self.request.auth_url and self.request.auth_url.strip():
            try:
                given_url = normalise_url(self.request.auth_url)
            except HostInvalid as exc:
                self._add("HOST_INVALID", reason=f"Authorisation server: {exc}")
                self._step(
                    "discovery",
                    StepStatus.FAILED,
                    messages.SUMMARY_AUTH_URL_UNUSABLE,
                )
                raise _Stop from None
        auth_url = given_url or reported_url or f"{self._address.url}/auth"
        tenant = self.report.tenant
        token_url = f"{auth_url}/token" + (f"?tenant={quote(tenant, safe='')}" if tenant else "")
        self.report.auth_url = auth_url
        self.report.token_url = token_url
        self._context.update(auth_url=auth_url, token_url=token_url)
        if given_url and reported_url and given_url != reported_url:
            self._add("AUTH_URL_DIFFERS", given_auth_url=given_url, auth_url=reported_url)
        if urlsplit(auth_url).netloc != self._address.netloc:
            self._add("AUTH_SERVER_SEPARATE")

    async def _get_token(self) -> None:
        self._step("token", StepStatus.RUNNING)
        token_url = self.report.token_url
        assert token_url is not None
        form = {
            "grant_type": "client_credentials",
            "client_id": self.report.client_id or "",
            "client_secret": self._secret,
            "scope": " ".join(self.report.requested_scopes),
        }
        try:
            response = await self._call(
                self._http.post_form, token_url, form, max_bytes=TOKEN_MAX_BYTES
            )
        except NetworkError as error:
            self._add_network(error)
            self._step("token", StepStatus.FAILED, messages.SUMMARY_NO_TOKEN_ANSWER)
            raise _Stop from None
        finally:
            form.clear()
        self._note_clock(response)
        body = response.json()
        status = response.status
        if 300 <= status < 400:
            self._add("REDIRECTED", location=response.headers.get("location", "(not given)"))
        elif (
            status == 200
            and isinstance(body, dict)
            and isinstance(body.get("access_token"), str)
            and body["access_token"]
        ):
            self._accept_token(body)
            return
        elif status == 200:
            self._add("TOKEN_MALFORMED", status=status, what=_shape_words(response))
        elif status in (404, 405):
            self._add(
                "AUTH_SERVER_NOT_FOUND",
                reason=messages.AUTH_404.format(token_url=token_url, status=status),
            )
        elif status == 429:
            self._add("RATE_LIMITED", retry_note="")
        elif status >= 500:
            self._add(
                "SERVER_ERROR",
                what=messages.WHAT_TOKEN_SERVICE.format(token_url=token_url),
                status=status,
                halo_said=_halo_error(body) or response.text_excerpt() or None,
            )
        else:
            self._explain_token_error(response, body)
        self._step("token", StepStatus.FAILED, messages.SUMMARY_REFUSED.format(status=status))
        raise _Stop

    def _explain_token_error(self, response: Response, body: object) -> None:
        error = body.get("error") if isinstance(body, dict) else None
        said = _halo_error(body)
        requested = self.report.requested_scopes
        if error == "invalid_client" or (error is None and response.status == 401):
            self._add("INVALID_CLIENT", halo_said=said)
        elif error == "unauthorized_client":
            self._add("UNAUTHORIZED_CLIENT", halo_said=said)
        elif error == "invalid_scope":
            self._add(
                "INVALID_SCOPE",
                scopes=" ".join(requested),
                scopes_to_tick=", ".join(requested),
                halo_said=said,
            )
        else:
            self._add(
                "TOKEN_REJECTED",
                status=response.status,
                halo_said=said or response.text_excerpt() or None,
            )

    def _accept_token(self, body: dict[str, Any]) -> None:
        for name in ("access_token", "id_token", "refresh_token"):
            if isinstance(body.get(name), str):
                register_secret(body[name])
        self._token = body["access_token"]
        scope_field = body.get("scope")
        granted = scopes.parse_scopes(scope_field) if isinstance(scope_field, str) else None
        self.report.granted_scopes = granted
        self._claims = id_token_claims(body.get("id_token"))
        if granted is None:
            summary = messages.SUMMARY_TOKEN_NO_SCOPES
        else:
            summary = messages.SUMMARY_TOKEN.format(
                count=len(granted), s="" if len(granted) == 1 else "s"
            )
        self._step("token", StepStatus.OK, summary)

    # ----- probes -----

    async def _api_get(
        self, path: str, params: dict[str, str] | None = None, *, max_bytes: int = PROBE_MAX_BYTES
    ) -> Response:
        assert self._address is not None and self._token is not None
        url = self._address.url + path
        headers = {"Authorization": f"Bearer {self._token}"}
        response = await self._call(
            self._http.get, url, params=params, headers=headers, max_bytes=max_bytes
        )
        if response.status == 429:
            wait = _retry_after(response)
            wait = 2.0 if wait is None else wait
            if wait <= MAX_RETRY_WAIT:
                self._rate_limit_waits.append(wait)
                await asyncio.sleep(wait)
                response = await self._call(
                    self._http.get, url, params=params, headers=headers, max_bytes=max_bytes
                )
        return response

    async def _probe_all(self) -> None:
        requested = self.report.requested_scopes
        probes: dict[str, scopes.Probe] = {}
        for scope in requested:
            probe = scopes.probe_for(scope)
            if probe is not None:
                probes.setdefault(probe.key, probe)
            self._step(f"scope:{scope}", StepStatus.RUNNING)
        self._step("identity", StepStatus.RUNNING)

        async def run_probe(probe: scopes.Probe) -> Response | NetworkError:
            try:
                return await self._api_get(probe.path, dict(probe.params))
            except NetworkError as error:
                return error

        async def run_identity() -> Response | NetworkError:
            try:
                return await self._api_get(scopes.IDENTITY_PATH, max_bytes=IDENTITY_MAX_BYTES)
            except NetworkError as error:
                return error

        keys = list(probes)
        answers = await asyncio.gather(run_identity(), *(run_probe(probes[k]) for k in keys))
        identity_answer, probe_answers = answers[0], dict(zip(keys, answers[1:], strict=True))
        for answer in answers:
            if isinstance(answer, Response):
                self._note_clock(answer)
        self._token = None

        all_401 = all(isinstance(a, Response) and a.status == 401 for a in answers)
        if all_401:
            self._refused_everywhere(probe_answers)
            self._step("identity", StepStatus.FAILED, messages.SUMMARY_REFUSED.format(status=401))
            return

        self._read_identity(identity_answer)
        self._judge_scopes(probe_answers)
        self._judge_breadth()
        self._judge_rate_limit(answers)

    def _refused_everywhere(self, probe_answers: dict[str, Response | NetworkError]) -> None:
        granted = self.report.granted_scopes
        if granted is None or not granted:
            requested = self.report.requested_scopes
            self._add("TOKEN_WITHOUT_SCOPE", scopes_to_tick=", ".join(requested))
        else:
            self._add("API_UNAUTHORIZED")
        for scope in self.report.requested_scopes:
            probe = scopes.probe_for(scope)
            if probe is None:
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.NOT_TESTED), messages.SUMMARY_NOT_TESTED
                )
            else:
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.ERROR, http_status=401),
                    messages.SUMMARY_REFUSED.format(status=401),
                    StepStatus.FAILED,
                )

    def _set_scope(
        self, result: ScopeResult, summary: str, status: StepStatus = StepStatus.OK
    ) -> None:
        self.report.scopes.append(result)
        self._step(f"scope:{result.scope}", status, summary)

    def _read_identity(self, answer: Response | NetworkError) -> None:
        record: dict[str, Any] = {}
        if isinstance(answer, Response) and answer.status == 200:
            parsed = answer.json()
            record = parsed if isinstance(parsed, dict) else top_level_fields(answer.body)
        claims = self._claims
        agent_id = record.get("id")
        name = _text(record.get("name"))
        if (isinstance(agent_id, int) and agent_id > 0) or name:
            identity = Identity(
                kind="agent",
                name=name,
                id=agent_id if isinstance(agent_id, int) else None,
                email=_text(record.get("email")),
                api_only=record["isapiagent"]
                if isinstance(record.get("isapiagent"), bool)
                else None,
                is_admin=record["is_admin"] if isinstance(record.get("is_admin"), bool) else None,
            )
        elif (
            isinstance(answer, Response)
            and answer.status in (200, 204, 404)
            and (not _text(claims.get("name")) or claims.get("sub") == self.report.client_id)
        ):
            identity = Identity(kind="application", name=_text(claims.get("name")))
        elif _text(claims.get("name")):
            identity = Identity(
                kind="agent", name=_text(claims.get("name")), email=_text(claims.get("email"))
            )
        else:
            self._context["agent"] = messages.DEFAULT_CONTEXT["agent"]
            self._step("identity", StepStatus.WARNING, messages.SUMMARY_IDENTITY_UNREADABLE)
            return

        self.report.identity = identity
        if identity.kind == "application":
            self._context.update(agent="The application identity")
            self._add("ACTS_AS_APPLICATION")
            self._step("identity", StepStatus.OK, messages.SUMMARY_APPLICATION_IDENTITY)
            return
        agent_name = identity.name or f"agent {identity.id}"
        self._context.update(agent=agent_name, agent_name=agent_name)
        extra = []
        if identity.id is not None:
            extra.append(f"id {identity.id}")
        if identity.email:
            extra.append(identity.email)
        self._add("ACTS_AS_AGENT", agent_extra=f" ({', '.join(extra)})" if extra else "")
        summary = messages.SUMMARY_AGENT.format(agent_name=agent_name)
        if identity.api_only is False:
            self._add("AGENT_NOT_API_ONLY")
            self._step("identity", StepStatus.WARNING, summary + messages.SUMMARY_PERSON_SUFFIX)
            return
        if identity.api_only:
            summary += messages.SUMMARY_API_ONLY_SUFFIX
        self._step("identity", StepStatus.OK, summary)

    def _fix_paths(self) -> dict[str, str]:
        identity = self.report.identity
        if identity is not None and identity.kind == "application":
            path = messages.APP_IDENTITY_FIX_PATH.format_map(Fill(self._context))
            return {"agent_fix_path": path, "visibility_fix_path": path}
        if identity is not None and identity.name:
            fill = Fill(self._context)
            return {
                "agent_fix_path": messages.AGENT_FIX_PATH.format_map(fill),
                "visibility_fix_path": messages.VISIBILITY_FIX_PATH.format_map(fill),
            }
        return {
            "agent_fix_path": messages.AGENT_FIX_PATH_UNKNOWN,
            "visibility_fix_path": messages.VISIBILITY_FIX_PATH_UNKNOWN,
        }

    def _judge_scopes(self, answers: dict[str, Response | NetworkError]) -> None:
        granted = self.report.granted_scopes
        reported_areas: set[tuple[str, str]] = set()
        network_reported = False
        for scope in self.report.requested_scopes:
            probe = scopes.probe_for(scope)
            carried = granted is None or scopes.covers(granted, scope)
            area = scopes.area_name(scope)
            if probe is None:
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.NOT_TESTED), messages.SUMMARY_NOT_TESTED
                )
                if not carried:
                    self._add("SCOPE_NOT_GRANTED", scope=scope)
                continue
            answer = answers[probe.key]
            if isinstance(answer, NetworkError):
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.ERROR),
                    messages.SUMMARY_NO_ANSWER,
                    StepStatus.FAILED,
                )
                if not network_reported:
                    network_reported = True
                    self._add_network(answer)
                continue
            outcome = _probe_outcome(answer, probe)
            first_for_area = (outcome[0], probe.key) not in reported_areas
            reported_areas.add((outcome[0], probe.key))
            kind, records = outcome
            if kind in ("records", "denied") and scope.startswith("edit:") and not carried:
                # Reading works through another scope, but this token may not change anything.
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.DENIED, None, answer.status),
                    messages.SUMMARY_NOT_IN_TOKEN,
                    StepStatus.FAILED,
                )
                self._add("SCOPE_NOT_GRANTED", scope=scope)
            elif kind == "records" and records is not None and records > 0:
                status = ScopeStatus.GRANTED if scope.startswith("edit:") else ScopeStatus.OK
                self._set_scope(
                    ScopeResult(scope, status, records, answer.status),
                    messages.SUMMARY_VISIBLE.format(records=records, area=area),
                )
            elif kind == "records":
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.EMPTY, 0, answer.status),
                    messages.SUMMARY_NONE_VISIBLE.format(area=area),
                    StepStatus.WARNING,
                )
                if first_for_area:
                    self._add("NO_VISIBLE_DATA", scope=scope, area=area, **self._fix_paths())
            elif kind == "denied":
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.DENIED, None, answer.status),
                    messages.SUMMARY_REFUSED.format(status=answer.status),
                    StepStatus.FAILED,
                )
                if not carried:
                    self._add("SCOPE_NOT_GRANTED", scope=scope)
                elif first_for_area:
                    self._add(
                        "PERMISSION_DENIED",
                        scope=scope,
                        area=area,
                        status=answer.status,
                        halo_said=_denial_text(answer),
                        **self._fix_paths(),
                    )
            else:
                summary = (
                    messages.SUMMARY_SLOW_DOWN
                    if kind == "rate_limited"
                    else messages.SUMMARY_UNEXPECTED.format(status=answer.status)
                )
                self._set_scope(
                    ScopeResult(scope, ScopeStatus.ERROR, None, answer.status),
                    summary,
                    StepStatus.FAILED,
                )
                if not first_for_area or kind == "rate_limited":
                    continue
                what = messages.WHAT_LISTING.format(area=area, path=probe.path)
                if kind == "server_error":
                    self._add(
                        "SERVER_ERROR",
                        scope=scope,
                        what=what,
                        status=answer.status,
                        halo_said=_halo_error(answer.json())
                        or _dotnet_message(answer.json())
                        or None,
                    )
                else:
                    self._add(
                        "UNEXPECTED_RESPONSE",
                        scope=scope,
                        what=what,
                        status=answer.status,
                        shape=_shape_words(answer),
                    )

    def _judge_breadth(self) -> None:
        requested = self.report.requested_scopes
        granted = self.report.granted_scopes or []
        broad = [s for s in dict.fromkeys([*requested, *granted]) if s in scopes.BROAD_SCOPES]
        reasons: list[str] = []
        fixes: list[str] = []
        fill = Fill(self._context)
        if broad:
            reasons.append(messages.BROAD_SCOPES.format(scopes=" and ".join(broad)))
            fixes.append(messages.BROAD_SCOPES_FIX)
        identity = self.report.identity
        if identity is not None and identity.kind == "agent" and identity.is_admin:
            reasons.append(messages.BROAD_ADMIN_AGENT.format_map(fill))
            fixes.append(messages.BROAD_AGENT_FIX)
        if reasons:
            self._add("BROAD_ACCESS", reason=" ".join(reasons), narrow_fix=" ".join(fixes))

    def _judge_rate_limit(self, answers: list[Response | NetworkError]) -> None:
        still_limited = any(isinstance(a, Response) and a.status == 429 for a in answers)
        if still_limited:
            waited = max(self._rate_limit_waits, default=0.0)
            note = messages.RETRY_NOTE.format(seconds=f"{waited:g}") if waited else ""
            # The test could not finish, so it cannot say the connection works.
            self._add("RATE_LIMITED", retry_note=note, severity=Severity.ERROR)
        elif self._rate_limit_waits:
            note = messages.RETRY_NOTE_BRIEF.format(seconds=f"{max(self._rate_limit_waits):g}")
            self._add("RATE_LIMITED", retry_note=note, severity=Severity.INFO)


_APPLICATION_PAGE_CODES = frozenset(
    {
        "CLIENT_ID_FORMAT",
        "SECRET_LOOKS_LIKE_CLIENT_ID",
        "SECRET_MISSING",
        "INVALID_CLIENT",
        "UNAUTHORIZED_CLIENT",
        "INVALID_SCOPE",
        "TOKEN_REJECTED",
        "TOKEN_WITHOUT_SCOPE",
        "SCOPE_NOT_GRANTED",
        "API_UNAUTHORIZED",
        "AGENT_NOT_API_ONLY",
        "BROAD_ACCESS",
    }
)


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _json_object(answer: object) -> dict[str, Any]:
    if isinstance(answer, Response) and answer.status == 200:
        body = answer.json()
        if isinstance(body, dict):
            return body
    return {}


def _is_authinfo(body: dict[str, Any]) -> bool:
    return isinstance(body.get("auth_url"), str)


def _is_instanceinfo(body: dict[str, Any]) -> bool:
    return any(isinstance(body.get(k), str) for k in ("app_name", "agent_url", "auth_url"))


def _halo_error(body: object) -> str | None:
    """Halo's own error and error_description, verbatim, when it sent them."""
    if not isinstance(body, dict):
        return body if isinstance(body, str) and body.strip() else None
    error = _text(body.get("error"))
    description = _text(body.get("error_description"))
    if error and description:
        return f"{error}: {description}"
    return error or description


def _dotnet_message(body: object) -> str | None:
    if isinstance(body, dict):
        return _text(body.get("Message")) or _text(body.get("message"))
    return None


def _denial_text(response: Response) -> str | None:
    body = response.json()
    return (
        _halo_error(body)
        or _dotnet_message(body)
        or (
            response.text_excerpt()
            if response.body.strip() and not response.looks_like_html
            else None
        )
    )


def _shape_words(response: Response) -> str:
    if not response.body.strip():
        return messages.EMPTY_BODY
    if response.looks_like_html:
        return messages.HTML_PAGE
    if response.json() is None:
        return messages.UNREADABLE_BODY
    return messages.WRONG_SHAPE


def _count_records(body: object, list_key: str) -> int | None:
    if isinstance(body, list):
        return len(body)
    if not isinstance(body, dict):
        return None
    count = body.get("record_count")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    listed = body.get(list_key)
    if isinstance(listed, list):
        return len(listed)
    lists = [value for value in body.values() if isinstance(value, list)]
    return len(lists[0]) if len(lists) == 1 else None


def _probe_outcome(response: Response, probe: scopes.Probe) -> tuple[str, int | None]:
    """("records", n) | ("denied", None) | ("rate_limited"|"server_error"|"unexpected", None)."""
    status = response.status
    if status == 200:
        records = _count_records(response.json(), probe.list_key)
        if records is not None:
            return "records", records
        return "unexpected", None
    if status == 403:
        return "denied", None
    if (
        status == 400
        and _denial_text(response)
        and "access" in (_denial_text(response) or "").lower()
    ):
        # Halo sometimes refuses an agent with 400 and a sentence ("You do not have access").
        return "denied", None
    if status == 429:
        return "rate_limited", None
    if status >= 500:
        return "server_error", None
    return "unexpected", None


async def run_check(
    request: CheckRequest,
    *,
    progress: ProgressCallback | None = None,
    transport: Transport | None = None,
) -> CheckReport:
    """Check the connection described by `request`; never raises for anything Halo or the
    network does: every outcome is a finding in the report."""
    return await Checker(request, progress=progress, transport=transport).run()


async def run_discovery(
    host: str,
    *,
    tenant: str | None = None,
    auth_url: str | None = None,
    ca_bundle: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    transport: Transport | None = None,
) -> CheckReport:
    """Only find the instance: product, version, tenant and auth server, without credentials.

    The report's findings explain a failure exactly as a full check would.
    """
    request = CheckRequest(
        host=host,
        client_id="",
        client_secret="",
        scopes=(),
        tenant=tenant,
        auth_url=auth_url,
        ca_bundle=ca_bundle,
        timeout=timeout,
    )
    return await Checker(request, transport=transport, discovery_only=True).run()


def run_check_sync(
    request: CheckRequest, *, progress: ProgressCallback | None = None
) -> CheckReport:
    """run_check for scripts without an event loop of their own."""
    return asyncio.run(run_check(request, progress=progress))
