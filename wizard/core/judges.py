"""Pure judges: what Halo answered (from wizard/core/stages.py) in, findings and statuses out.

Nothing here talks to the network, sleeps or keeps state, so every judgement can be tested
with hand-made answers. `context` is what is known so far (host, product, tenant, agent,
...), used to word the findings.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from wizard.core import messages, scopes
from wizard.core.address import HostAddress, HostInvalid, normalise_host, normalise_url
from wizard.core.cleaning import clean_address, clean_tenant, describe
from wizard.core.findings import Fill, Finding, Severity, make
from wizard.core.http import NetworkError, Response
from wizard.core.idtoken import claims as id_token_claims
from wizard.core.jsonprefix import top_level_fields
from wizard.core.model import Identity, ScopeResult, ScopeStatus, StepStatus
from wizard.core.product import product_names
from wizard.core.stages import Answer, Answers, Discovery

Context = Mapping[str, Any]


@dataclass
class Verdict:
    """What a judge decided about one stage: its findings, and the step's status and summary."""

    findings: list[Finding] = field(default_factory=list)
    status: StepStatus = StepStatus.OK
    summary: str = ""

    @property
    def failed(self) -> bool:
        return self.status is StepStatus.FAILED


@dataclass
class TokenVerdict(Verdict):
    token: str | None = None
    granted: list[str] | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    # The answer's other tokens (id_token, refresh_token): never to be shown or logged.
    other_tokens: tuple[str, ...] = ()


@dataclass
class IdentityVerdict(Verdict):
    identity: Identity | None = None
    # How the findings after this one name who the connection acts as.
    context: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScopeVerdict:
    result: ScopeResult
    status: StepStatus
    summary: str


@dataclass
class ProbesVerdict:
    scopes: list[ScopeVerdict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# ----- reading answers -----


def retry_after(response: Response, now: datetime | None = None) -> float | None:
    """Seconds Halo asked to wait (Retry-After, as seconds or a date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    # isascii: "²" is a digit to str.isdigit, but no number of seconds.
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def format_wait(seconds: float) -> str:
    """A wait in words: "30 seconds", "12 minutes", "24.0 hours"."""
    if seconds < 90:
        return f"{seconds:g} seconds"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{seconds / 3600:.1f} hours"


def text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def json_object(answer: object) -> dict[str, Any]:
    if isinstance(answer, Response) and answer.status == 200:
        body = answer.json()
        if isinstance(body, dict):
            return body
    return {}


def is_authinfo(body: dict[str, Any]) -> bool:
    return isinstance(body.get("auth_url"), str)


def is_instanceinfo(body: dict[str, Any]) -> bool:
    return any(isinstance(body.get(k), str) for k in ("app_name", "agent_url", "auth_url"))


def halo_error(body: object) -> str | None:
    """Halo's own error and error_description, verbatim, when it sent them."""
    if not isinstance(body, dict):
        return body if isinstance(body, str) and body.strip() else None
    error = text(body.get("error"))
    description = text(body.get("error_description"))
    if error and description:
        return f"{error}: {description}"
    return error or description


def dotnet_message(body: object) -> str | None:
    if isinstance(body, dict):
        return text(body.get("Message")) or text(body.get("message"))
    return None


def denial_text(response: Response) -> str | None:
    body = response.json()
    return (
        halo_error(body)
        or dotnet_message(body)
        or (
            response.text_excerpt()
            if response.body.strip() and not response.looks_like_html
            else None
        )
    )


def shape_words(response: Response) -> str:
    if response.truncated:
        # Cut at the size cap (an enormous or endlessly expanding answer): not Halo's.
        return messages.TOO_LARGE_BODY.format(size=_size_words(len(response.body)))
    if not response.body.strip():
        return messages.EMPTY_BODY
    if response.looks_like_html:
        return messages.HTML_PAGE
    if response.json() is None:
        return messages.UNREADABLE_BODY
    return messages.WRONG_SHAPE


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB"


@dataclass(frozen=True)
class Listing:
    """What a probe's listing showed: the records in the answer, and the total Halo stated."""

    listed: int
    # record_count, when Halo stated one that can be a total; None when it stated none.
    total: int | None = None

    @property
    def visible(self) -> bool:
        return self.listed > 0 or bool(self.total)


def read_listing(body: object, list_key: str) -> Listing | None:
    """The listing in a probe's answer (a bare array or an object holding it), or None when
    the answer is no listing. A total is taken only from record_count, and only when it can
    be one (not fewer than the records listed): the probes page by one record and never send
    count=N, which makes Halo answer record_count=N instead of the total (reference §10)."""
    if isinstance(body, list):
        # A listing is a list of records (objects); ["unexpected"] is not one.
        return Listing(len(body)) if all(isinstance(item, dict) for item in body) else None
    if not isinstance(body, dict):
        return None
    listed = body.get(list_key)
    if not isinstance(listed, list):
        lists = [value for value in body.values() if isinstance(value, list)]
        listed = lists[0] if len(lists) == 1 else None
    count = body.get("record_count")
    stated = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    if listed is None:
        return Listing(0, count) if stated and isinstance(count, int) else None
    if stated and isinstance(count, int) and count >= len(listed):
        return Listing(len(listed), count)
    return Listing(len(listed))


def probe_outcome(response: Response, probe: scopes.Probe) -> tuple[str, Listing | None]:
    """("records", listing) | ("denied", None) | ("unauthorized", None) |
    ("rate_limited"|"server_error"|"unexpected", None)."""
    status = response.status
    if status == 200:
        listing = read_listing(response.json(), probe.list_key)
        if listing is not None:
            return "records", listing
        return "unexpected", None
    if status == 403:
        return "denied", None
    if status == 401:
        # Halo answers 401 for a token it does not accept, and from some areas for a scope
        # the token does not carry (reference §10): which one, the other answers tell.
        return "unauthorized", None
    if status == 400 and "access" in (denial_text(response) or "").lower():
        # Halo sometimes refuses an agent with 400 and a sentence ("You do not have access").
        return "denied", None
    if status == 429:
        return "rate_limited", None
    if status >= 500:
        return "server_error", None
    return "unexpected", None


def network_finding(error: NetworkError, timeout: float, context: Context) -> Finding:
    return make(
        error.code, context, server=error.server, reason=error.reason, timeout=f"{timeout:g}"
    )


def rate_limit_note(response: Response) -> str:
    """How Halo's 429 said how long to wait: Retry-After, or nothing (as seen so far)."""
    wait = retry_after(response)
    if wait is None:
        return messages.RETRY_AFTER_NONE
    if wait > 0:
        return messages.RETRY_AFTER_NOTE.format(seconds=format_wait(wait))
    return ""


def rate_limited(
    response: Response, context: Context, note: str, severity: Severity = Severity.ERROR
) -> Finding:
    """RATE_LIMITED for Halo's 429, with its own words ("Rate Limit Reached - ...")."""
    said = denial_text(response) if response.status == 429 else None
    return make("RATE_LIMITED", context, retry_note=note, severity=severity, halo_said=said)


# ----- discovery -----


def judge_not_halo(
    address: HostAddress,
    authinfo: Answer,
    instanceinfo: Answer,
    timeout: float,
    context: Context,
) -> Verdict:
    """Why discovery found no Halo instance at `address`: the finding and the step's summary."""
    host = address.url
    for answer in (authinfo, instanceinfo):
        if isinstance(answer, NetworkError) and not isinstance(authinfo, Response):
            return Verdict(
                [network_finding(answer, timeout, context)],
                StepStatus.FAILED,
                messages.SUMMARY_NO_ANSWER,
            )
    response = authinfo if isinstance(authinfo, Response) else instanceinfo
    assert isinstance(response, Response)
    status = response.status
    domain = address.hosted_domain
    if status == 429:
        finding = rate_limited(response, context, rate_limit_note(response))
        return Verdict([finding], StepStatus.FAILED, messages.SUMMARY_SLOW_DOWN)
    if 300 <= status < 400:
        reason = messages.NOT_HALO_REDIRECT.format(
            host=host, location=response.headers.get("location", "another address")
        )
    elif status >= 500 and domain:
        reason = messages.NOT_HALO_HOSTED_500.format(host=host, status=status, domain=domain)
    elif status >= 500:
        finding = make(
            "SERVER_ERROR",
            context,
            what=f"{host}/api/authinfo",
            status=status,
            halo_said=response.text_excerpt() or None,
        )
        return Verdict(
            [finding], StepStatus.FAILED, messages.SUMMARY_SERVER_ERROR.format(status=status)
        )
    elif response.looks_like_html:
        reason = messages.NOT_HALO_HTML.format(host=host)
    elif status != 200:
        reason = messages.NOT_HALO_STATUS.format(host=host, status=status)
    else:
        reason = messages.NOT_HALO_SHAPE.format(host=host)
    return Verdict(
        [make("NOT_HALO", context, reason=reason)], StepStatus.FAILED, messages.SUMMARY_NOT_HALO
    )


@dataclass
class DiscoveryVerdict(Verdict):
    """What discovery established: the product, the tenant, the authorisation server."""

    product: str | None = None
    version: str | None = None
    tenant: str | None = None
    auth_url: str | None = None
    token_url: str | None = None
    # How the findings after discovery word the product and where to click.
    context: dict[str, str] = field(default_factory=dict)


def judge_discovery(
    address: HostAddress,
    found: Discovery,
    given_tenant: str | None,
    given_auth_url: str | None,
    timeout: float,
    context: Context,
) -> DiscoveryVerdict:
    """The instance Halo described (or why none was found), checked against what was typed."""
    auth_json = json_object(found.authinfo)
    instance_json = json_object(found.instanceinfo)
    if not is_authinfo(auth_json) and not is_instanceinfo(instance_json):
        why = judge_not_halo(address, found.authinfo, found.instanceinfo, timeout, context)
        return DiscoveryVerdict(why.findings, why.status, why.summary)

    verdict = DiscoveryVerdict()
    app_name = text(instance_json.get("app_name"))
    verdict.product, verdict.version = app_name, text(instance_json.get("app_version"))
    product, api_menu = product_names(app_name, address.product_hint)
    known: dict[str, Any] = {**context, "product": product, "api_menu": api_menu}

    def add(code: str, **values: Any) -> None:
        verdict.findings.append(make(code, known, **values))

    # The tenant.
    reported = text(auth_json.get("tenant_id")) or text(instance_json.get("tenant_id"))
    pasted = clean_tenant(given_tenant or "")
    given = pasted.value or None
    if given and pasted.removed:
        add("TENANT_CLEANED", removed=describe(pasted.removed))
    verdict.tenant = reported
    known["tenant"] = reported or "(none: leave it empty)"
    if reported:
        add("TENANT_DETECTED", tenant=reported)
    else:
        add("ON_PREMISE")
    if given is not None and given != reported:
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
        add("TENANT_MISMATCH", given_tenant=given, reason=reason, expected_tenant=expected)

    # The agent (web) address Halo knows itself by.
    agent_url = text(instance_json.get("agent_url"))
    if agent_url:
        try:
            agent_address = normalise_host(agent_url)
        except HostInvalid:
            agent_address = None
        if agent_address is not None and agent_address.netloc != address.netloc:
            add("AGENT_URL_DIFFERS", reported_agent_url=agent_address.url)

    # The authorisation server: the one typed, else the one Halo names, else the instance's.
    reported_auth = text(auth_json.get("auth_url")) or text(instance_json.get("auth_url"))
    reported_url: str | None = None
    if reported_auth:
        try:
            reported_url = normalise_url(reported_auth)
        except HostInvalid:
            reported_url = None
    given_url: str | None = None
    pasted_auth = clean_address(given_auth_url or "")
    if pasted_auth.value:
        if pasted_auth.removed:
            add("AUTH_URL_CLEANED", removed=describe(pasted_auth.removed))
        try:
            given_url = normalise_url(pasted_auth.value)
        except HostInvalid as exc:
            add("HOST_INVALID", reason=f"Authorisation server: {exc}")
            verdict.status = StepStatus.FAILED
            verdict.summary = messages.SUMMARY_AUTH_URL_UNUSABLE
            verdict.context = {k: known[k] for k in ("product", "api_menu", "tenant")}
            return verdict
    auth_url = given_url or reported_url or f"{address.url}/auth"
    tenant = verdict.tenant
    token_url = f"{auth_url}/token" + (f"?tenant={quote(tenant, safe='')}" if tenant else "")
    verdict.auth_url, verdict.token_url = auth_url, token_url
    known.update(auth_url=auth_url, token_url=token_url)
    if given_url and reported_url and given_url != reported_url:
        add("AUTH_URL_DIFFERS", given_auth_url=given_url, auth_url=reported_url)
    if urlsplit(auth_url).netloc != address.netloc:
        add("AUTH_SERVER_SEPARATE")

    verdict.context = {
        k: known[k] for k in ("product", "api_menu", "tenant", "auth_url", "token_url")
    }
    verdict.summary = ", ".join(
        part
        for part in (
            f"{app_name} {verdict.version or ''}".strip() if app_name else None,
            f"tenant {tenant}" if tenant else "on-premise",
        )
        if part
    )
    return verdict


# ----- the token -----


def judge_token(
    answer: Answer,
    token_url: str,
    requested: Sequence[str],
    timeout: float,
    context: Context,
    *,
    assertion: Mapping[str, str] | None = None,
) -> TokenVerdict:
    """The token, or why Halo gave none. `assertion`: how the signed client assertion sent
    instead of a secret was made (its audience and issuer), None when a secret was sent."""
    if isinstance(answer, NetworkError):
        return TokenVerdict(
            [network_finding(answer, timeout, context)],
            StepStatus.FAILED,
            messages.SUMMARY_NO_TOKEN_ANSWER,
        )
    response = answer
    body = response.json()
    if body is None and response.truncated:
        # An enormous id_token can push the answer past its size cap; access_token comes
        # first, so the part that arrived still holds it.
        body = top_level_fields(response.body) or None
    status = response.status
    token = body.get("access_token") if isinstance(body, dict) else None
    if status == 200 and isinstance(token, str) and token:
        assert isinstance(body, dict)
        scope_field = body.get("scope")
        granted = (
            scopes.permission_scopes(scopes.parse_scopes(scope_field))
            if isinstance(scope_field, str)
            else None
        )
        if granted is None:
            summary = messages.SUMMARY_TOKEN_NO_SCOPES
        elif not granted:
            summary = messages.SUMMARY_TOKEN_NO_PERMISSIONS
        else:
            summary = messages.SUMMARY_TOKEN.format(
                count=len(granted), s="" if len(granted) == 1 else "s"
            )
        return TokenVerdict(
            [],
            StepStatus.OK,
            summary,
            token=token,
            granted=granted,
            claims=id_token_claims(body.get("id_token")),
            other_tokens=tuple(
                value
                for name in ("id_token", "refresh_token")
                if isinstance(value := body.get(name), str)
            ),
        )
    findings: list[Finding]
    if 300 <= status < 400:
        location = response.headers.get("location", "(not given)")
        findings = [make("REDIRECTED", context, location=location)]
    elif status == 200:
        findings = [make("TOKEN_MALFORMED", context, status=status, what=shape_words(response))]
    elif status in (404, 405):
        reason = messages.AUTH_404.format(token_url=token_url, status=status)
        findings = [make("AUTH_SERVER_NOT_FOUND", context, reason=reason)]
    elif status == 429:
        # No token, so nothing after this was tested: the connection cannot be called working.
        findings = [rate_limited(response, context, rate_limit_note(response))]
    elif status >= 500:
        findings = [
            make(
                "SERVER_ERROR",
                context,
                what=messages.WHAT_TOKEN_SERVICE.format(token_url=token_url),
                status=status,
                halo_said=halo_error(body) or response.text_excerpt() or None,
            )
        ]
    else:
        findings = [token_refusal(response, body, requested, context, assertion)]
    if 300 <= status < 400:
        where = _redirect_target(token_url, response.headers.get("location"))
        summary = messages.SUMMARY_TOKEN_REDIRECTED.format(status=status, where=where)
    elif status == 200:
        summary = messages.SUMMARY_NOT_A_TOKEN.format(what=shape_words(response), status=status)
    elif status == 429:
        summary = messages.SUMMARY_SLOW_DOWN
    else:
        summary = messages.SUMMARY_REFUSED.format(status=status)
    return TokenVerdict(findings, StepStatus.FAILED, summary)


def _redirect_target(token_url: str, location: str | None) -> str:
    """Where a redirect from the token address pointed, in a few words: its server."""
    if not location:
        return messages.REDIRECT_NOWHERE
    from urllib.parse import urljoin

    try:
        target = urlsplit(urljoin(token_url, location)).hostname
    except ValueError:
        target = None
    if target is None:
        return messages.REDIRECT_NOWHERE
    if target == urlsplit(token_url).hostname:
        return messages.REDIRECT_SAME_SERVER
    return target


def token_refusal(
    response: Response,
    body: object,
    requested: Sequence[str],
    context: Context,
    assertion: Mapping[str, str] | None = None,
) -> Finding:
    error = body.get("error") if isinstance(body, dict) else None
    said = halo_error(body)
    if assertion is not None and error != "invalid_scope":
        # Every other refusal of a signed assertion (invalid_client, invalid_grant,
        # unauthorized_client, ...) has the same list of things to check: Halo's bodies for
        # them are not published, so its own words are what tells them apart.
        return make(
            "ASSERTION_REFUSED",
            {**context, **assertion},
            status=response.status,
            halo_said=said or denial_text(response) or None,
        )
    if error == "invalid_client" or (error is None and response.status == 401):
        return make("INVALID_CLIENT", context, halo_said=said)
    if error == "unauthorized_client":
        return make("UNAUTHORIZED_CLIENT", context, halo_said=said)
    if error == "invalid_scope":
        # A name Halo may not know (SCOPE_UNKNOWN said so before asking) cannot be ticked.
        known = [scope for scope in requested if scopes.is_known(scope)] or list(requested)
        return make(
            "INVALID_SCOPE",
            context,
            scopes=" ".join(requested),
            scopes_to_tick=", ".join(known),
            halo_said=said,
        )
    return make(
        "TOKEN_REJECTED",
        context,
        status=response.status,
        halo_said=said or response.text_excerpt() or None,
    )


# ----- the identity and the probes -----


def judge_identity(
    answer: Answer,
    claims: Mapping[str, Any],
    client_id: str | None,
    context: Context,
    timeout: float = 10.0,
) -> IdentityVerdict:
    """Who the connection acts as: from the agent record, else from the id_token."""
    record: dict[str, Any] = {}
    unreadable = False
    if isinstance(answer, Response) and answer.status == 200:
        parsed = answer.json()
        record = parsed if isinstance(parsed, dict) else top_level_fields(answer.body)
        unreadable = parsed is None and not record
    unread = _agent_record_problem(answer, unreadable=unreadable, timeout=timeout, context=context)
    verdict = _identity_from(answer, record, claims, client_id, context)
    if unread is not None:
        verdict.findings.append(unread)
        if verdict.status is StepStatus.OK:
            # Named from the token alone: not confirmed by Halo's own record.
            verdict.status = StepStatus.WARNING
    return verdict


def _agent_record_problem(
    answer: Answer, *, unreadable: bool, timeout: float, context: Context
) -> Finding | None:
    """A warning when the agent record could not be read: who the connection acts as then
    comes from the token alone, and the admin should know that it was not confirmed."""
    what = messages.WHAT_AGENT_RECORD.format(path=scopes.IDENTITY_PATH)
    if isinstance(answer, NetworkError):
        return replace(network_finding(answer, timeout, context), severity=Severity.WARNING)
    if unreadable:
        return make(
            "UNEXPECTED_RESPONSE",
            context,
            what=what,
            status=answer.status,
            shape=shape_words(answer),
            severity=Severity.WARNING,
        )
    if answer.status >= 500:
        body = answer.json()
        return make(
            "SERVER_ERROR",
            context,
            what=what,
            status=answer.status,
            halo_said=halo_error(body) or dotnet_message(body) or None,
            severity=Severity.WARNING,
        )
    return None


def _identity_from(
    answer: Answer,
    record: dict[str, Any],
    claims: Mapping[str, Any],
    client_id: str | None,
    context: Context,
) -> IdentityVerdict:
    agent_id = record.get("id")
    if isinstance(agent_id, bool):
        agent_id = None
    name = text(record.get("name"))
    identity: Identity
    if (isinstance(agent_id, int) and agent_id > 0) or name:
        identity = Identity(
            kind="agent",
            name=name,
            id=agent_id if isinstance(agent_id, int) else None,
            email=text(record.get("email")),
            api_only=record["isapiagent"] if isinstance(record.get("isapiagent"), bool) else None,
            is_admin=record["is_admin"] if isinstance(record.get("is_admin"), bool) else None,
        )
    elif (
        isinstance(answer, Response)
        and answer.status in (200, 204, 404)
        and (not text(claims.get("name")) or claims.get("sub") == client_id)
    ):
        identity = Identity(kind="application", name=text(claims.get("name")))
    elif text(claims.get("name")):
        identity = Identity(
            kind="agent", name=text(claims.get("name")), email=text(claims.get("email"))
        )
    else:
        return IdentityVerdict(
            [],
            StepStatus.WARNING,
            messages.SUMMARY_IDENTITY_UNREADABLE,
            context={"agent": str(messages.DEFAULT_CONTEXT["agent"])},
        )

    if identity.kind == "application":
        named = {"agent": "The application identity"}
        return IdentityVerdict(
            [make("ACTS_AS_APPLICATION", {**context, **named})],
            StepStatus.OK,
            messages.SUMMARY_APPLICATION_IDENTITY,
            identity=identity,
            context=named,
        )
    agent_name = identity.name or f"agent {identity.id}"
    named = {"agent": agent_name, "agent_name": agent_name}
    wording = {**context, **named}
    extra = []
    if identity.id is not None:
        extra.append(f"id {identity.id}")
    if identity.email:
        extra.append(identity.email)
    findings = [
        make("ACTS_AS_AGENT", wording, agent_extra=f" ({', '.join(extra)})" if extra else "")
    ]
    summary = messages.SUMMARY_AGENT.format(agent_name=agent_name)
    status = StepStatus.OK
    if identity.api_only is False:
        findings.append(make("AGENT_NOT_API_ONLY", wording))
        status = StepStatus.WARNING
        summary += messages.SUMMARY_PERSON_SUFFIX
    elif identity.api_only:
        summary += messages.SUMMARY_API_ONLY_SUFFIX
    return IdentityVerdict(findings, status, summary, identity=identity, context=named)


def fix_paths(identity: Identity | None, context: Context) -> dict[str, str]:
    """Where in Halo the identity's permissions are changed, in words."""
    fill = Fill(context)
    if identity is not None and identity.kind == "application":
        path = messages.APP_IDENTITY_FIX_PATH.format_map(fill)
        return {"agent_fix_path": path, "visibility_fix_path": path}
    if identity is not None and identity.name:
        return {
            "agent_fix_path": messages.AGENT_FIX_PATH.format_map(fill),
            "visibility_fix_path": messages.VISIBILITY_FIX_PATH.format_map(fill),
        }
    return {
        "agent_fix_path": messages.AGENT_FIX_PATH_UNKNOWN,
        "visibility_fix_path": messages.VISIBILITY_FIX_PATH_UNKNOWN,
    }


def refused_everywhere(answers: Answers, *, scopeless: bool = False) -> bool:
    """Whether the token itself is refused: every request made with it answered 401; or,
    for a token that carries no permission scope (`scopeless`), every area answered 401 or
    403, which Halo gives alike to such a token (reference §10)."""
    if scopeless:
        considered = list(answers.probes.values()) or [answers.identity]
        return all(isinstance(a, Response) and a.status in (401, 403) for a in considered)
    return all(isinstance(a, Response) and a.status == 401 for a in answers.all())


def judge_refused_everywhere(
    requested: Sequence[str],
    granted: Sequence[str] | None,
    context: Context,
    probes: Mapping[str, Answer] | None = None,
) -> ProbesVerdict:
    """The token refused everywhere: a token without permission scopes (TOKEN_WITHOUT_SCOPE),
    else one the API does not accept (API_UNAUTHORIZED); each scope's row says what its
    area answered (`probes`, by Probe.key; 401 when not given)."""
    verdict = ProbesVerdict()
    answered: dict[str, int] = {}
    for scope in requested:
        probe = scopes.probe_for(scope)
        if probe is None:
            continue
        answer = (probes or {}).get(probe.key)
        answered[scope] = answer.status if isinstance(answer, Response) else 401
    if not granted:
        codes = sorted(set(answered.values())) or [401]
        verdict.findings.append(
            make(
                "TOKEN_WITHOUT_SCOPE",
                context,
                scopes_to_tick=", ".join(requested),
                statuses=" and ".join(str(code) for code in codes),
            )
        )
    else:
        verdict.findings.append(make("API_UNAUTHORIZED", context))
    for scope in requested:
        if scope not in answered:
            verdict.scopes.append(
                ScopeVerdict(
                    ScopeResult(scope, ScopeStatus.NOT_TESTED),
                    StepStatus.SKIPPED,
                    messages.SUMMARY_NOT_TESTED,
                )
            )
        else:
            status = answered[scope]
            verdict.scopes.append(
                ScopeVerdict(
                    ScopeResult(scope, ScopeStatus.ERROR, http_status=status),
                    StepStatus.FAILED,
                    messages.SUMMARY_REFUSED.format(status=status),
                )
            )
    return verdict


def judge_scopes(
    requested: Sequence[str],
    granted: Sequence[str] | None,
    identity: Identity | None,
    probes: Mapping[str, Answer],
    timeout: float,
    context: Context,
    *,
    asked: Sequence[str] | None = None,
) -> ProbesVerdict:
    """Each scope in `requested` (those asked for, and those tested for the tool under a
    wildcard) judged by its probe's answer, and what to fix. `asked`: the scopes the token
    request named (default `requested`), which tell a broad scope Halo answered as a list of
    named scopes (scopes.granted_as_list)."""
    verdict = ProbesVerdict()
    add = verdict.findings.append
    reported_areas: set[tuple[str, str]] = set()
    network_reported = False
    paths: dict[str, Any] = dict(fix_paths(identity, context))
    named = list(requested if asked is None else asked)
    listed = None if granted is None else list(granted)

    def set_scope(result: ScopeResult, summary: str, status: StepStatus = StepStatus.OK) -> None:
        verdict.scopes.append(ScopeVerdict(result, status, summary))

    for scope in requested:
        probe = scopes.probe_for(scope)
        carried = scopes.carried(scope, named, listed)
        area = scopes.area_name(scope)
        if probe is None:
            summary = messages.SUMMARY_NOT_TESTED
            if listed is not None and scopes.granted_as_list(scope, named, listed):
                count = len(listed)
                summary = messages.SUMMARY_GRANTED_AS_NAMES.format(
                    count=count, s="" if count == 1 else "s"
                )
            set_scope(ScopeResult(scope, ScopeStatus.NOT_TESTED), summary, StepStatus.SKIPPED)
            if not carried:
                add(make("SCOPE_NOT_GRANTED", context, scope=scope))
            continue
        answer = probes[probe.key]
        if isinstance(answer, NetworkError):
            set_scope(
                ScopeResult(scope, ScopeStatus.ERROR), messages.SUMMARY_NO_ANSWER, StepStatus.FAILED
            )
            if not network_reported:
                network_reported = True
                add(network_finding(answer, timeout, context))
            continue
        kind, listing = probe_outcome(answer, probe)
        if kind == "unauthorized":
            # The token is accepted elsewhere (the check stops before judging scopes when it
            # is refused everywhere): a 401 from one area means its scope is not granted
            # (reference §10), unless the token names the scope, when it is a refusal of
            # the area like a 403.
            kind = "denied"
            carried = listed is not None and carried
        first_for_area = (kind, probe.key) not in reported_areas
        reported_areas.add((kind, probe.key))
        visible = listing is not None and listing.visible
        records = listing.total if listing is not None else None
        if kind in ("records", "denied") and scope.startswith("edit:") and not carried:
            # Reading works through another scope, but this token may not change anything.
            set_scope(
                ScopeResult(scope, ScopeStatus.DENIED, None, answer.status),
                messages.SUMMARY_NOT_IN_TOKEN,
                StepStatus.FAILED,
            )
            add(make("SCOPE_NOT_GRANTED", context, scope=scope))
        elif kind == "records" and visible and scope.startswith("edit:"):
            # Only reading was tried: the token carries the scope, and that is all that is
            # known. A tick would say changing works.
            set_scope(
                ScopeResult(scope, ScopeStatus.GRANTED, records, answer.status),
                messages.SUMMARY_EDIT_GRANTED,
                StepStatus.SKIPPED,
            )
        elif kind == "records" and visible:
            # A number only where Halo stated a total; a page of one record is no count.
            summary = (
                messages.SUMMARY_VISIBLE.format(records=records, area=area)
                if records is not None
                else messages.SUMMARY_RECORDS_VISIBLE
            )
            set_scope(ScopeResult(scope, ScopeStatus.OK, records, answer.status), summary)
        elif kind == "records":
            set_scope(
                ScopeResult(scope, ScopeStatus.EMPTY, 0, answer.status),
                messages.SUMMARY_NONE_VISIBLE.format(area=area),
                StepStatus.WARNING,
            )
            if first_for_area:
                add(make("NO_VISIBLE_DATA", context, scope=scope, area=area, **paths))
        elif kind == "denied":
            set_scope(
                ScopeResult(scope, ScopeStatus.DENIED, None, answer.status),
                messages.SUMMARY_REFUSED.format(status=answer.status),
                StepStatus.FAILED,
            )
            if not carried:
                add(make("SCOPE_NOT_GRANTED", context, scope=scope))
            elif first_for_area:
                changes = any(
                    s.startswith("edit:") and scopes.area_name(s) == area for s in requested
                )
                level = (
                    messages.ACCESS_TO_CHANGE.format(area=area)
                    if changes
                    else messages.ACCESS_TO_READ
                )
                add(
                    make(
                        "PERMISSION_DENIED",
                        context,
                        scope=scope,
                        area=area,
                        status=answer.status,
                        halo_said=denial_text(answer),
                        access_level=level,
                        **paths,
                    )
                )
        else:
            summary = (
                messages.SUMMARY_SLOW_DOWN
                if kind == "rate_limited"
                else messages.SUMMARY_UNEXPECTED.format(status=answer.status)
            )
            set_scope(
                ScopeResult(scope, ScopeStatus.ERROR, None, answer.status),
                summary,
                StepStatus.FAILED,
            )
            if not first_for_area or kind == "rate_limited":
                continue
            what = messages.WHAT_LISTING.format(area=area, path=probe.path)
            if kind == "server_error":
                body = answer.json()
                add(
                    make(
                        "SERVER_ERROR",
                        context,
                        scope=scope,
                        what=what,
                        status=answer.status,
                        halo_said=halo_error(body) or dotnet_message(body) or None,
                    )
                )
            else:
                add(
                    make(
                        "UNEXPECTED_RESPONSE",
                        context,
                        scope=scope,
                        what=what,
                        status=answer.status,
                        shape=shape_words(answer),
                    )
                )
    return verdict


def judge_breadth(
    requested: Sequence[str],
    granted: Sequence[str] | None,
    identity: Identity | None,
    context: Context,
    *,
    required: Sequence[str] = (),
) -> list[Finding]:
    """More access than an integration should have: broad scopes, an administrator agent.

    `required` are the scopes the tool being connected asks for itself or its guide says to
    tick (its recipe): broad ones among them are said by the recipe's own finding
    (TOOL_NEEDS_BROAD_ACCESS), not as more than the connection needs.
    """
    broad = [
        s
        for s in dict.fromkeys([*requested, *(granted or [])])
        if s in scopes.BROAD_SCOPES and s not in required
    ]
    reasons: list[str] = []
    fixes: list[str] = []
    if broad:
        reasons.append(messages.BROAD_SCOPES.format(scopes=" and ".join(broad)))
        fixes.append(messages.BROAD_SCOPES_FIX)
    if identity is not None and identity.kind == "agent" and identity.is_admin:
        reasons.append(messages.BROAD_ADMIN_AGENT.format_map(Fill(context)))
        fixes.append(messages.BROAD_AGENT_FIX)
    if not reasons:
        return []
    return [make("BROAD_ACCESS", context, reason=" ".join(reasons), narrow_fix=" ".join(fixes))]


def judge_rate_limit(answers: Answers, context: Context) -> list[Finding]:
    """A rate limit met while probing: an error if it stopped a probe, a note if waited out.

    Halo's 429 is seen without Retry-After, and its window is minutes long: such an answer
    is not tried again (stages.probe), and the finding says so.
    """
    limited = [a for a in answers.all() if isinstance(a, Response) and a.status == 429]
    if limited:
        if answers.refused_waits:
            wait = format_wait(max(answers.refused_waits))
            note = messages.RETRY_NOT_WAITED.format(wait=wait)
        elif all(retry_after(a) is None for a in limited):
            note = messages.RETRY_AFTER_NONE
        elif answers.waits:
            note = messages.RETRY_NOTE.format(seconds=f"{max(answers.waits):g}")
        else:
            note = ""
        # The test could not finish, so it cannot say the connection works.
        return [rate_limited(limited[0], context, note)]
    if answers.waits:
        note = messages.RETRY_NOTE_BRIEF.format(seconds=f"{max(answers.waits):g}")
        return [make("RATE_LIMITED", context, retry_note=note, severity=Severity.INFO)]
    return []
