"""The check: discovery, a new token, then a read-only probe per scope and the identity at once.

The Checker runs the stages (wizard/core/stages.py: what Halo answered) and hands each
answer to a pure judge (wizard/core/judges.py: findings and statuses), then records the
verdict in the report and the checklist. Only the entries and the choices that follow from
discovery (tenant, authorisation server) are judged here, as they need no answer of Halo's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import time
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from wizard.core import credentials, judges, messages, recipes, scopes, stages
from wizard.core.address import HostAddress, HostInvalid, normalise_host
from wizard.core.cleaning import describe
from wizard.core.findings import Finding, Severity, make
from wizard.core.http import Response, Transport, TransportOptions, clock_skew
from wizard.core.log import register_secret
from wizard.core.model import (
    DEFAULT_TIMEOUT,
    CheckReport,
    CheckRequest,
    LocalRoutes,
    ProgressCallback,
    Step,
    StepStatus,
)
from wizard.core.product import APPLICATIONS_PAGE, product_names

# Kept importable from here: the readers of Halo's answers now live with the judges.
_retry_after = judges.retry_after
_text = judges.text
_json_object = judges.json_object
_is_authinfo = judges.is_authinfo
_is_instanceinfo = judges.is_instanceinfo
_halo_error = judges.halo_error
_dotnet_message = judges.dotnet_message
_denial_text = judges.denial_text
_shape_words = judges.shape_words
_read_listing = judges.read_listing
_probe_outcome = judges.probe_outcome

CLOCK_SKEW_LIMIT = 300.0

_log = logging.getLogger(__name__)

# Findings about who the connection acts as: the identity row is never ticked beside them.
_IDENTITY_CODES = frozenset({"TOOL_NEEDS_OTHER_IDENTITY", "AGENT_NOT_API_ONLY"})
# The areas every connection is tested with under a wildcard scope (all, all:standard).
WILDCARD_AREAS = ("tickets", "customers", "assets")


def _format_skew(seconds: float) -> str:
    minutes = round(abs(seconds) / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = abs(seconds) / 3600
    return f"{hours:.1f} hours"


class _Stop(Exception):
    """Raised inside the check when a stage failed in a way that makes later stages pointless."""


async def _abandon(task: asyncio.Task[Any] | None) -> None:
    """Stop a request that is no longer wanted and wait until it has ended."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


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
        self._caller: stages.Caller | None = None
        self.report = CheckReport()
        # The words findings are said with; "credential" is what a leak would give away.
        self._context: dict[str, Any] = (
            {"credential": "private key"} if request.private_key is not None else {}
        )
        self._address: HostAddress | None = None
        self._secret = ""
        # JWT Assertion (Services): the private key loaded from request.private_key.
        self._private_key: Any = None
        self._skew_reported = False
        self._claims: dict[str, Any] = {}
        # When each step started, for its timing.
        self._step_started: dict[str, float] = {}

    # ----- plumbing -----

    @property
    def _calls(self) -> stages.Caller:
        assert self._caller is not None, "the transport opens after the entries are checked"
        return self._caller

    def _step(self, key: str, status: StepStatus, summary: str = "") -> None:
        label = messages.STEP_LABELS.get(key) or key.removeprefix("scope:")
        now = time.monotonic()
        started = self._step_started.setdefault(key, now)
        seconds = None if status is StepStatus.RUNNING else now - started
        step = Step(key, label, status, summary, seconds)
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

    def _record(self, findings: list[Finding]) -> None:
        """Add judged findings to the report, with the Halo page where their fix is made."""
        for finding in findings:
            if finding.code in _APPLICATION_PAGE_CODES and self.report.host and not finding.link:
                finding = replace(finding, link=self.report.host + APPLICATIONS_PAGE)
            self.report.findings.append(finding)

    def _add(self, code: str, **kwargs: Any) -> Finding:
        finding = make(code, self._context, **kwargs)
        self._record([finding])
        return self.report.findings[-1]

    def _count_requests(self) -> dict[str, Any]:
        """The context, with how many requests this check has made so far (a rate limit is
        shared by every integration on the instance, so the finding says how many were ours)."""
        count = len(self._calls.exchanges)
        one, many = messages.REQUESTS_MADE
        self._context["requests_made"] = one if count == 1 else many.format(count=count)
        return self._context

    def _note_clock(self, answers: list[stages.Answer]) -> None:
        for response in answers:
            if not isinstance(response, Response):
                continue
            skew = clock_skew(response)
            if self._skew_reported or skew is None or abs(skew) < CLOCK_SKEW_LIMIT:
                continue
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
            self._caller = stages.Caller(self._transport, self.request.timeout)
            early = self._ask_early()
            try:
                await self._discover()
            except _Stop:
                if early is not None:
                    await _abandon(early)
                    self._step("token", StepStatus.SKIPPED, messages.SUMMARY_FIND_FIRST)
                raise
            if not self._discovery_only:
                token = await self._get_token(early)
                await self._probe_all(token)
        except _Stop:
            pass
        finally:
            self.report.duration = time.monotonic() - started
            if self._caller is not None:
                self.report.exchanges = list(self._caller.exchanges)
            self._secret = ""
            self._private_key = None
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
            return Transport(
                TransportOptions(
                    timeout=self.request.timeout, ca_bundle=bundle, routes=self.request.routes
                )
            )
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

        parsed = scopes.read_scopes(request.scopes)
        requested = list(parsed.scopes)
        self.report.requested_scopes = requested
        if not requested:
            self._add("NO_SCOPES")
            failed = True
        elif parsed.removed:
            self._add("SCOPES_CLEANED", removed=describe(parsed.removed))
        for scope in requested:
            if not scopes.is_known(scope):
                # Never a reason not to ask: Halo has scopes no list has caught up with, and
                # its own answer (a grant, or invalid_scope) is what decides.
                self._add("SCOPE_UNKNOWN", scope=scope, suggestion=scopes.suggestion_for(scope))

        pasted_id = credentials.clean_client_id(request.client_id)
        client_id = pasted_id.value
        self.report.client_id = client_id
        if client_id and pasted_id.removed:
            self._add("CLIENT_ID_CLEANED", removed=describe(pasted_id.removed))
        # With a private key (JWT Assertion) no secret is needed, read or judged.
        assertion = request.private_key is not None
        if assertion and not self._load_private_key():
            failed = True
        register_secret(request.client_secret)
        secret = credentials.clean_secret("" if assertion else request.client_secret)
        register_secret(secret.value)
        self._secret = secret.value
        if not secret.value and not assertion:
            self._add("SECRET_MISSING")
            failed = True
        elif secret.removed:
            self._add("SECRET_TRIMMED", removed=describe(secret.removed))
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

    def _load_private_key(self) -> bool:
        """Load request.private_key (a path or a key); PRIVATE_KEY_INVALID when unusable."""
        from wizard.core import assertion

        given = self.request.private_key
        try:
            if given is None or isinstance(given, str | os.PathLike):
                self._private_key = assertion.load_private_key(os.fspath(given or ""))
            else:
                self._private_key = assertion.check_key(given, "the key given")
        except assertion.KeyFileError as exc:
            self._add("PRIVATE_KEY_INVALID", reason=str(exc))
            return False
        return True

    def _credential(self, token_url: str) -> stages.Credential:
        """What proves who asks at `token_url`: the secret, or a signed client assertion."""
        client_id = self.report.client_id or ""
        if self._private_key is None:
            return stages.ClientSecret(client_id, self._secret)
        from wizard.core import assertion

        return assertion.ClientAssertion(
            client_id,
            self._private_key,
            audience=self._audience(token_url),
            issuer=(self.request.assertion_issuer or "").strip() or None,
        )

    def _audience(self, token_url: str) -> str:
        from wizard.core import assertion

        given = (self.request.assertion_audience or "").strip()
        return given or assertion.default_audience(token_url)

    def _assertion_facts(self, token_url: str) -> dict[str, str] | None:
        """How a refused assertion's finding names what was sent (None: a secret was sent)."""
        if self._private_key is None:
            return None
        from wizard.core import assertion

        client_id = self.report.client_id or ""
        issuer = (self.request.assertion_issuer or "").strip()
        used = self._audience(token_url)
        given = bool((self.request.assertion_audience or "").strip())
        others = [token_url, assertion.default_audience(token_url), self.report.auth_url or ""]
        others = [url for url in dict.fromkeys(others) if url and url != used]
        return {
            "client_id": client_id,
            "assertion_audience": used,
            "assertion_issuer": issuer or client_id,
            "audience_note": messages.AUDIENCE_GIVEN if given else messages.AUDIENCE_DEFAULT,
            "audience_alternatives": " or ".join(others) or used,
        }

    async def _discover(self) -> None:
        assert self._address is not None
        self._step("discovery", StepStatus.RUNNING)
        found = await stages.discover(self._calls, self._address.url)
        self._note_clock([found.authinfo, found.instanceinfo])
        verdict = judges.judge_discovery(
            self._address,
            found,
            self.request.tenant,
            self.request.auth_url,
            self.request.timeout,
            self._count_requests(),
        )
        self._context.update(verdict.context)
        self._name_the_product(verdict.context)
        self.report.product = verdict.product
        self.report.version = verdict.version
        self.report.tenant = verdict.tenant
        self.report.auth_url = verdict.auth_url
        self.report.token_url = verdict.token_url
        self._record(verdict.findings)
        self._step("discovery", verdict.status, verdict.summary)
        if verdict.failed:
            raise _Stop

    def _name_the_product(self, found: dict[str, str]) -> None:
        """Word the findings made before discovery with the product it found, so that every
        finding names the same menu ("HaloPSA API", not "Halo API" in some of them)."""
        names: dict[str, str] = {k: found[k] for k in ("product", "api_menu") if k in found}
        if not names:
            return
        self.report.findings = [
            replace(f, params=MappingProxyType({**f.params, **names}))
            if names.keys() & f.params.keys()
            else f
            for f in self.report.findings
        ]

    def _ask_early(self) -> asyncio.Task[stages.TokenAnswer] | None:
        """With a saved connection's token address: ask for the token now, beside discovery."""
        known = self.request.known_token_url
        if not known or self._discovery_only:
            return None
        self._step("token", StepStatus.RUNNING)
        return asyncio.ensure_future(self._ask_token(known))

    async def _ask_token(self, token_url: str) -> stages.TokenAnswer:
        credential = self._credential(token_url)
        try:
            return await stages.get_token(
                self._calls, token_url, credential, self.report.requested_scopes
            )
        finally:
            del credential

    async def _get_token(self, early: asyncio.Task[stages.TokenAnswer] | None = None) -> str:
        self._step("token", StepStatus.RUNNING)
        token_url = self.report.token_url
        assert token_url is not None
        known = self.request.known_token_url
        try:
            if early is not None and known == token_url:
                asked = await early
            else:
                if early is not None:
                    # Discovery found another address: the early answer does not count.
                    await _abandon(early)
                    self._add("SAVED_TOKEN_URL_CHANGED", known_token_url=known, token_url=token_url)
                asked = await self._ask_token(token_url)
        finally:
            self._secret = ""
        self._note_clock([asked.answer])
        verdict = judges.judge_token(
            asked.answer,
            token_url,
            self.report.requested_scopes,
            self.request.timeout,
            self._count_requests(),
            assertion=self._assertion_facts(token_url),
        )
        for secret in (verdict.token, *verdict.other_tokens):
            register_secret(secret)
        findings = verdict.findings
        if "SECRET_LOOKS_LIKE_CLIENT_ID" in self.report.codes():
            # One cause, one problem: the refusal is what the Client ID in the secret field
            # gives, and that finding already says how to fix it.
            findings = [f for f in findings if f.code != "INVALID_CLIENT"]
        self._record(findings)
        self._step("token", verdict.status, verdict.summary)
        if verdict.token is None:
            raise _Stop
        self.report.granted_scopes = verdict.granted
        self._claims = verdict.claims
        return verdict.token

    def _tool_checks(self, requested: list[str]) -> list[str]:
        """The read scopes tested under a granted wildcard (all, all:standard), which has no
        read test of its own: the areas the chosen tool needs records of, and for every
        connection tickets, customers and assets, so that "works" never rests on one area
        (an agent that may read customers but not tickets is found). Granted means by name,
        or as the list of named scopes Halo gives for it (narrowed to what the application
        allows), or with no list at all."""
        if not scopes.wildcard_granted(requested, self.report.granted_scopes):
            return []
        chosen = self._tool_recipe()
        areas = [*(chosen.needs_records if chosen is not None else ()), *WILDCARD_AREAS]
        needed = list(dict.fromkeys(f"read:{area}" for area in areas))
        return [scope for scope in needed if scope not in requested]

    async def _probe_all(self, token: str) -> None:
        assert self._address is not None
        requested = self.report.requested_scopes
        # The scopes asked for, and those the tool's work is tested with under a wildcard.
        checked = requested + self._tool_checks(requested)
        probes: dict[str, scopes.Probe] = {}
        for scope in checked:
            probe = scopes.probe_for(scope)
            if probe is not None:
                probes.setdefault(probe.key, probe)
            self._step(f"scope:{scope}", StepStatus.RUNNING)
        self._step("identity", StepStatus.RUNNING)
        answers = await stages.probe(
            self._calls, self._address.url, token, list(probes.values()), judges.retry_after
        )
        del token
        self._note_clock(answers.all())

        granted = self.report.granted_scopes
        if judges.refused_everywhere(answers, scopeless=not granted):
            verdict = judges.judge_refused_everywhere(
                checked, granted, self._context, answers.probes
            )
            self._record(verdict.findings)
            self._set_scopes(verdict)
            identity = answers.identity
            if isinstance(identity, Response) and identity.status in (401, 403):
                summary = messages.SUMMARY_REFUSED.format(status=identity.status)
                self._step("identity", StepStatus.FAILED, summary)
            else:
                # A token without scopes may still name its agent: say who it acts as.
                self._judge_identity(answers)
            return

        self._judge_identity(answers)
        verdict = judges.judge_scopes(
            checked,
            granted,
            self.report.identity,
            answers.probes,
            self.request.timeout,
            self._context,
            asked=requested,
        )
        self._set_scopes(verdict)
        self._record(verdict.findings)
        chosen = self._tool_recipe()
        required = recipes.required_scopes(chosen) if chosen is not None else ()
        self._record(
            judges.judge_breadth(
                requested, granted, self.report.identity, self._context, required=required
            )
        )
        self._record(judges.judge_rate_limit(answers, self._count_requests()))
        if chosen is not None:
            found = recipes.judge(chosen, self.report)
            self._record(
                [replace(f, params=MappingProxyType({**self._context, **f.params})) for f in found]
            )
        self._flag_identity_row()

    def _judge_identity(self, answers: stages.Answers) -> None:
        """Who the connection acts as, from the agent record (or the id_token's claims)."""
        who = judges.judge_identity(
            answers.identity,
            self._claims,
            self.report.client_id,
            self._context,
            self.request.timeout,
        )
        self._context.update(who.context)
        self.report.identity = who.identity
        self._record(who.findings)
        self._step("identity", who.status, who.summary)

    def _flag_identity_row(self) -> None:
        """A row never shows a tick beside a warning about it: the identity row becomes a
        warning when a finding is about who the connection acts as (the tool needs another
        identity, the agent is not API-only)."""
        flagged = {
            f.code for f in self.report.findings if f.severity in (Severity.ERROR, Severity.WARNING)
        }
        if not flagged & _IDENTITY_CODES:
            return
        steps = self.report.steps
        for index, step in enumerate(steps):
            if step.key == "identity" and step.status is StepStatus.OK:
                steps[index] = replace(step, status=StepStatus.WARNING)
                if self._progress is not None:
                    self._progress(steps[index])

    def _tool_recipe(self) -> recipes.Recipe | None:
        """The recipe of the tool being connected (request.tool), or None."""
        return recipes.recipe(self.request.tool) if self.request.tool else None

    def _set_scopes(self, verdict: judges.ProbesVerdict) -> None:
        for judged in verdict.scopes:
            self.report.scopes.append(judged.result)
            self._step(f"scope:{judged.result.scope}", judged.status, judged.summary)


_APPLICATION_PAGE_CODES = frozenset(
    {
        "CLIENT_ID_FORMAT",
        "SECRET_LOOKS_LIKE_CLIENT_ID",
        "SECRET_MISSING",
        "INVALID_CLIENT",
        "ASSERTION_REFUSED",
        "PRIVATE_KEY_INVALID",
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
    routes: LocalRoutes | None = None,
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
        routes=routes,
    )
    return await Checker(request, transport=transport, discovery_only=True).run()


def run_check_sync(
    request: CheckRequest, *, progress: ProgressCallback | None = None
) -> CheckReport:
    """run_check for scripts without an event loop of their own."""
    return asyncio.run(run_check(request, progress=progress))
