"""Each way a Halo setup fails, against the simulated Halo over real TLS: finding and fix."""

from __future__ import annotations

import asyncio
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme

from tests.conftest import check, server_context
from tests.faults.matrix import CASES as FAULT_CASES
from tests.faults.matrix import expected
from wizard.core import CheckReport, ScopeStatus, Severity, run_discovery
from wizard.core.findings import ALL_CODES
from wizard.core.model import StepStatus
from wizard.sim import SCENARIOS, SimulatedHalo
from wizard.sim.scenarios import READ_EDIT_SCOPES


@dataclass(frozen=True)
class Case:
    """A realistic situation: a simulator scenario plus what the admin entered."""

    scenario: str = "healthy"
    expect: tuple[str, ...] = ()
    ok: bool = False
    entered: dict[str, object] = field(default_factory=dict)
    # How the simulator's address is reached and which names its certificate covers.
    public_host: str = "localhost"
    cert_names: tuple[str, ...] = ("localhost", "127.0.0.1")
    trust_ca: bool = True
    # The scopes ticked on the simulated application, when not the scenario's own.
    ticked: frozenset[str] | None = None


CASES: dict[str, Case] = {
    "healthy": Case(expect=("TENANT_DETECTED", "ACTS_AS_AGENT"), ok=True),
    "wrong_secret": Case("wrong_secret", ("INVALID_CLIENT",)),
    "client_id_changed": Case("client_id_changed", ("INVALID_CLIENT",)),
    "inactive_app": Case("inactive_app", ("UNAUTHORIZED_CLIENT",)),
    "trial": Case("trial", ("AUTH_SERVER_SEPARATE", "TENANT_DETECTED"), ok=True),
    # Nango signs in only at the host's own /auth/token, without a tenant: never on a trial.
    "nango_on_a_trial": Case(
        "trial", ("TOOL_CANNOT_SIGN_IN", "AUTH_SERVER_SEPARATE"), entered={"tool": "nango"}
    ),
    "on_premise": Case("on_premise", ("ON_PREMISE",), ok=True),
    "custom_domain": Case("custom_domain", ("TENANT_DETECTED",), ok=True),
    "agent_url_differs": Case("agent_url_differs", ("AGENT_URL_DIFFERS",), ok=True),
    "not_halo": Case("not_halo", ("NOT_HALO",)),
    "unknown_instance": Case("unknown_instance", ("SERVER_ERROR",)),
    "auth_missing": Case("auth_missing", ("AUTH_SERVER_NOT_FOUND",)),
    "token_redirect": Case("token_redirect", ("REDIRECTED",)),
    "token_malformed": Case("token_malformed", ("TOKEN_MALFORMED",)),
    "unsupported_grant": Case("unsupported_grant", ("TOKEN_REJECTED",)),
    "scope_not_ticked": Case("scope_not_ticked", ("SCOPE_NOT_GRANTED",)),
    "scope_rejected": Case("scope_rejected", ("INVALID_SCOPE",)),
    "no_scope_token": Case("no_scope_token", ("TOKEN_WITHOUT_SCOPE",)),
    # 401 from some areas and 403 from others: still the token, not the agent's permissions.
    "no_scope_token_mixed": Case("no_scope_token_mixed", ("TOKEN_WITHOUT_SCOPE",)),
    "all_kept_as_all": Case("all_kept_as_all", ("TENANT_DETECTED", "ACTS_AS_AGENT"), ok=True),
    "api_unauthorized": Case("api_unauthorized", ("API_UNAUTHORIZED",)),
    "agent_no_permission": Case("agent_no_permission", ("PERMISSION_DENIED",)),
    "agent_sees_nothing": Case("agent_sees_nothing", ("NO_VISIBLE_DATA",), ok=True),
    "human_admin_agent": Case("human_admin_agent", ("AGENT_NOT_API_ONLY", "BROAD_ACCESS"), ok=True),
    "application_identity": Case("application_identity", ("ACTS_AS_APPLICATION",), ok=True),
    "rate_limited": Case("rate_limited", ("RATE_LIMITED",)),
    "rate_limited_briefly": Case("rate_limited_briefly", ("RATE_LIMITED",), ok=True),
    "server_error": Case("server_error", ("SERVER_ERROR",)),
    "unexpected_response": Case("unexpected_response", ("UNEXPECTED_RESPONSE",)),
    "huge_agent": Case("huge_agent", ("ACTS_AS_AGENT",), ok=True),
    "clock_skew": Case("clock_skew", ("CLOCK_SKEW",), ok=True),
    "never_answers": Case("never_answers", ("TIMEOUT",), entered={"timeout": 1.0}),
    "drip": Case("drip", ("TIMEOUT",), entered={"timeout": 1.5}),
    # What the admin typed.
    # A connection saved when the instance signed in at its own /auth, now a trial whose
    # sign-in is on a shared host: the re-test says the token address changed.
    "saved_token_url_changed": Case(
        "trial",
        ("SAVED_TOKEN_URL_CHANGED",),
        ok=True,
        entered={"known_token_url": "saved-own-auth"},
    ),
    # Connecting a tool whose recipe the test also judges (resources/recipes.toml).
    "rewst_but_application_identity": Case(
        "application_identity",
        ("TOOL_NEEDS_OTHER_IDENTITY",),
        ok=True,
        entered={"tool": "rewst"},
    ),
    "rewst_with_all_ticked": Case(
        "healthy",
        ("TOOL_NEEDS_BROAD_ACCESS",),
        ok=True,
        entered={"tool": "rewst", "scopes": "all"},
        ticked=READ_EDIT_SCOPES | {"all"},
    ),
    "rewst_agent_sees_no_customers": Case(
        "agent_sees_nothing",
        ("TOOL_SEES_NO_RECORDS",),
        ok=True,
        entered={"tool": "rewst", "scopes": "read:customers read:tickets"},
    ),
    "hostname_typo": Case(expect=("HOST_INVALID",), entered={"host": "https://acme..halopsa.com"}),
    # A name this program does not know is sent all the same: Halo's answer decides.
    "made_up_scope": Case(
        expect=("SCOPE_UNKNOWN", "INVALID_SCOPE"), entered={"scopes": "read:tickets read:actions"}
    ),
    "no_scope": Case(expect=("NO_SCOPES",), entered={"scopes": " , "}),
    "secret_with_quotes": Case(
        expect=("SECRET_TRIMMED",), ok=True, entered={"client_secret": "secret-from-halo"}
    ),
    # Invisible characters pasted with every field (a byte-order mark, zero-width and
    # non-breaking spaces, a text-direction mark): removed, said, and the check still works.
    "invisible_characters": Case(
        expect=(
            "SECRET_TRIMMED",
            "CLIENT_ID_CLEANED",
            "SCOPES_CLEANED",
            "TENANT_CLEANED",
            "AUTH_URL_CLEANED",
        ),
        ok=True,
        entered={
            "host": "halo-url-with-invisibles",
            "client_id": "client-id-with-invisibles",
            "client_secret": "secret-with-invisibles",
            "scopes": "\ufeffread:tickets\u200b read:customers\u00a0read:assets",
            "tenant": "\u200eacme\u200b",
            "auth_url": "auth-url-with-invisibles",
        },
    ),
    "ca_file_not_pem": Case(expect=("CA_BUNDLE_INVALID",), entered={"ca_bundle": "not-pem"}),
    "no_secret": Case(expect=("SECRET_MISSING",), entered={"client_secret": "  \n"}),
    "client_id_is_secret": Case(expect=("CLIENT_ID_FORMAT",), entered={"client_id": "swap"}),
    # One cause, one problem: Halo's refusal is not reported again as INVALID_CLIENT.
    "client_id_in_secret": Case(
        expect=("SECRET_LOOKS_LIKE_CLIENT_ID",),
        entered={"client_secret": "client-id"},
    ),
    "wrong_tenant": Case(expect=("TENANT_MISMATCH",), entered={"tenant": "acme-ltd"}),
    "other_auth_url": Case(
        expect=("AUTH_URL_DIFFERS", "CONNECT_FAILED"),
        entered={"auth_url": "https://localhost:1/auth"},
    ),
    # "all" is not ticked on the simulated application, as on most real ones.
    # all, not ticked on the application: Halo narrows it to the scopes the application
    # allows and lists their names (reference §10), which is all granted as far as it goes.
    "everything_scope": Case(
        expect=("BROAD_ACCESS",), ok=True, entered={"scopes": "all read:tickets"}
    ),
    # Only read: scopes ticked: all comes back as the read: names, and the areas every
    # connection is tested with under a wildcard are still read.
    "everything_narrowed_to_reading": Case(
        expect=("BROAD_ACCESS",),
        ok=True,
        entered={"scopes": "all"},
        ticked=frozenset(s for s in READ_EDIT_SCOPES if s.startswith("read:")),
    ),
    # all ticked, and Halo answering all as all (inferred): the same verdict.
    "everything_said_as_all": Case(
        "all_kept_as_all", ("BROAD_ACCESS",), ok=True, entered={"scopes": "all"}
    ),
    # JWT Assertion (Services): the private key signs instead of a secret being sent.
    "jwt_assertion": Case(
        "jwt_assertion", ("ACTS_AS_AGENT",), ok=True, entered={"private_key": "key-from-halo"}
    ),
    # The public key pasted into Halo is not this private key's.
    "jwt_wrong_key": Case(
        "jwt_wrong_key", ("ASSERTION_REFUSED",), entered={"private_key": "key-from-halo"}
    ),
    "jwt_wrong_audience": Case(
        "jwt_assertion",
        ("ASSERTION_REFUSED",),
        entered={
            "private_key": "key-from-halo",
            "assertion_audience": "https://login.elsewhere.example/token",
        },
    ),
    # The public key file given where the private key is needed.
    "jwt_public_key_given": Case(
        "jwt_assertion", ("PRIVATE_KEY_INVALID",), entered={"private_key": "public-key-file"}
    ),
    # The network.
    "no_such_host": Case(expect=("DNS_FAILED",), entered={"host": "halo-wizard-test.invalid"}),
    "nothing_listening": Case(expect=("CONNECT_FAILED",), entered={"host": "https://127.0.0.1:1"}),
    "untrusted_certificate": Case(expect=("TLS_UNTRUSTED",), trust_ca=False),
    "certificate_for_another_name": Case(
        expect=("TLS_HOSTNAME_MISMATCH",), public_host="127.0.0.1", cert_names=("localhost",)
    ),
}


@dataclass(frozen=True)
class Outcome:
    report: CheckReport
    halo: SimulatedHalo
    seconds: float


_outcomes: dict[str, Outcome] = {}


def _entered(case: Case, halo: SimulatedHalo) -> dict[str, object]:
    """What the admin typed, with the simulator's own credentials filled in where asked."""
    entered = dict(case.entered)
    secret = entered.get("client_secret")
    if secret == "secret-from-halo":
        entered["client_secret"] = f'  "{halo.client_secret}"\n'
    elif secret == "client-id":
        entered["client_secret"] = halo.client_id
    if entered.get("ca_bundle") == "not-pem":
        path = Path(tempfile.mkdtemp()) / "company-root.cer"
        path.write_bytes(b"\x30\x82\x01\x0a binary DER is not PEM")
        entered["ca_bundle"] = str(path)
    if entered.get("client_id") == "swap":
        entered["client_id"] = halo.client_secret
    if entered.get("known_token_url") == "saved-own-auth":
        entered["known_token_url"] = f"{halo.url}/auth/token?tenant={halo.tenant}"
    if entered.get("host") == "halo-url-with-invisibles":
        entered["host"] = f"\u200b{halo.url}\u00ad/"
    if entered.get("client_id") == "client-id-with-invisibles":
        entered["client_id"] = f"{halo.client_id}\u200b"
    if secret == "secret-with-invisibles":
        entered["client_secret"] = f"\ufeff{halo.client_secret}\u200b\u2060"
    if entered.get("auth_url") == "auth-url-with-invisibles":
        entered["auth_url"] = f"{halo.url}/auth\u200b"
    if entered.get("private_key") in ("key-from-halo", "public-key-file"):
        from wizard.core.assertion import load_private_key_pem, public_pem

        pem = halo.assertion_private_key
        if entered["private_key"] == "public-key-file":
            pem = public_pem(load_private_key_pem(pem))
        path = Path(tempfile.mkdtemp()) / "halo-private-key.pem"
        path.write_text(pem, encoding="ascii")
        entered["private_key"] = str(path)
    return entered


def run_case(name: str, ca: trustme.CA, ca_bundle: str) -> Outcome:
    """Run a case once per test session; several tests look at the same outcome."""
    if name not in _outcomes:
        case = CASES[name]
        context: ssl.SSLContext = server_context(ca, *case.cert_names)
        halo = SimulatedHalo(
            case.scenario, tls=context, public_host=case.public_host, ticked=case.ticked
        )
        with halo:
            started = time.monotonic()
            entered = _entered(case, halo)
            bundle = entered.pop("ca_bundle", ca_bundle if case.trust_ca else None)
            report = check(halo, bundle, **entered)  # type: ignore[arg-type]
            _outcomes[name] = Outcome(report, halo, time.monotonic() - started)
    return _outcomes[name]


@pytest.mark.parametrize("name", list(CASES))
def test_each_situation_gives_its_finding_with_a_fix(
    name: str, ca: trustme.CA, ca_bundle: str
) -> None:
    case = CASES[name]
    report = run_case(name, ca, ca_bundle).report
    codes = report.codes()
    for code in case.expect:
        assert code in codes, f"{name}: expected {code}, got {codes}"
    assert report.ok is case.ok, f"{name}: ok={report.ok}, findings {codes}"
    for finding in report.findings:
        assert finding.title and finding.detail
        assert "(unknown)" not in finding.title, finding
        assert "{" not in finding.title + finding.detail + " ".join(finding.fix), finding
        if finding.severity is Severity.ERROR:
            assert finding.fix, f"{finding.code} has no fix"


def test_every_finding_code_is_produced_by_a_realistic_situation(
    ca: trustme.CA, ca_bundle: str
) -> None:
    produced: set[str] = set()
    for name in CASES:
        produced.update(run_case(name, ca, ca_bundle).report.codes())
    # Broken HTTP and answers cut off midway need a hostile server, not the simulator:
    # tests/faults proves those codes, case by case.
    produced.update(
        code
        for case in FAULT_CASES
        if expected(case).engine is None
        for code in expected(case).codes
    )
    assert set(ALL_CODES) - produced == set()


def test_every_simulator_scenario_is_checked() -> None:
    assert set(SCENARIOS) <= {case.scenario for case in CASES.values()}


def _outcome(name: str, ca: trustme.CA, ca_bundle: str) -> Outcome:
    return run_case(name, ca, ca_bundle)


def test_healthy_instance_reports_product_tenant_identity_and_records(
    ca: trustme.CA, ca_bundle: str
) -> None:
    outcome = _outcome("healthy", ca, ca_bundle)
    report, halo = outcome.report, outcome.halo
    assert report.host == halo.url
    assert report.product == "Halo PSA" and report.version == "2.236.133"
    assert report.tenant == "acme"
    assert report.auth_url == f"{halo.url}/auth"
    assert report.token_url == f"{halo.url}/auth/token?tenant=acme"
    assert report.identity is not None and report.identity.kind == "agent"
    assert report.identity.name == "Integration API" and report.identity.api_only is True
    assert [(s.scope, s.status) for s in report.scopes] == [
        ("read:tickets", ScopeStatus.OK),
        ("read:customers", ScopeStatus.OK),
        ("read:assets", ScopeStatus.OK),
    ]
    assert report.scopes[0].records == 137


def test_the_check_never_writes_to_halo(ca: trustme.CA, ca_bundle: str) -> None:
    for name in ("healthy", "agent_no_permission", "rate_limited_briefly"):
        halo = _outcome(name, ca, ca_bundle).halo
        methods = {(r.method, r.path) for r in halo.requests if r.method != "GET"}
        assert methods == {("POST", "/auth/token")}


def test_token_request_sends_scopes_space_separated_and_the_tenant(
    ca: trustme.CA, ca_bundle: str
) -> None:
    halo = _outcome("healthy", ca, ca_bundle).halo
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.query == {"tenant": "acme"}
    assert token_request.form["scope"] == "read:tickets read:customers read:assets"
    assert token_request.form["grant_type"] == "client_credentials"


def test_trial_instance_uses_the_shared_auth_host(ca: trustme.CA, ca_bundle: str) -> None:
    outcome = _outcome("trial", ca, ca_bundle)
    report, halo = outcome.report, outcome.halo
    assert report.tenant == "SimTrial42"
    assert report.token_url == f"{halo.auth_url}/token?tenant=SimTrial42"
    assert "/auth/" not in (report.token_url or "")
    assert [r.listener for r in halo.requests if r.method == "POST"] == ["auth"]


def test_on_premise_sends_no_tenant(ca: trustme.CA, ca_bundle: str) -> None:
    outcome = _outcome("on_premise", ca, ca_bundle)
    assert outcome.report.tenant is None
    assert outcome.report.token_url == f"{outcome.halo.url}/auth/token"
    assert outcome.report.to_dict()["tenant"] is None


def test_a_tenant_unlike_the_hostname_is_taken_from_halo(ca: trustme.CA, ca_bundle: str) -> None:
    assert _outcome("custom_domain", ca, ca_bundle).report.tenant == "northwindit"


def test_redirect_from_the_token_service_is_never_followed(ca: trustme.CA, ca_bundle: str) -> None:
    outcome = _outcome("token_redirect", ca, ca_bundle)
    finding = next(f for f in outcome.report.findings if f.code == "REDIRECTED")
    assert "login.elsewhere.example" in finding.detail
    assert [r.method for r in outcome.halo.requests].count("POST") == 1


def test_agent_without_permission_names_the_area_and_the_agent(
    ca: trustme.CA, ca_bundle: str
) -> None:
    report = _outcome("agent_no_permission", ca, ca_bundle).report
    denied = {f.scope: f for f in report.findings if f.code == "PERMISSION_DENIED"}
    assert set(denied) == {"read:tickets", "read:assets"}
    assert "Integration API" in denied["read:tickets"].title
    assert any(
        "Teams & Agents > Agents > Integration API" in step for step in denied["read:tickets"].fix
    )
    statuses = {s.scope: s.status for s in report.scopes}
    assert statuses["read:customers"] is ScopeStatus.OK
    assert statuses["read:tickets"] is ScopeStatus.DENIED


def test_edit_scope_not_ticked_is_reported_although_reading_works(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    halo = start_halo("scope_not_ticked")
    report = check(halo, ca_bundle, scopes="read:tickets edit:tickets")
    statuses = {s.scope: s.status for s in report.scopes}
    assert statuses == {"read:tickets": ScopeStatus.OK, "edit:tickets": ScopeStatus.DENIED}
    assert [f.scope for f in report.findings if f.code == "SCOPE_NOT_GRANTED"] == ["edit:tickets"]
    assert not report.ok


def test_scope_not_ticked_points_to_the_permissions_tab(ca: trustme.CA, ca_bundle: str) -> None:
    report = _outcome("scope_not_ticked", ca, ca_bundle).report
    missing = [f for f in report.findings if f.code == "SCOPE_NOT_GRANTED"]
    assert [f.scope for f in missing] == ["read:assets"]
    assert any("Permissions tab" in step and "read:assets" in step for step in missing[0].fix)
    assert not any(f.code == "PERMISSION_DENIED" for f in report.findings)
    # Assets answered 401 while tickets and customers listed records: a scope not granted
    # for that area, never a wrong secret nor a token refused.
    assets = {s.scope: s for s in report.scopes}["read:assets"]
    assert (assets.status, assets.http_status) == (ScopeStatus.DENIED, 401)
    assert not {"API_UNAUTHORIZED", "INVALID_CLIENT", "TOKEN_WITHOUT_SCOPE"} & set(report.codes())


def test_a_token_without_scopes_refused_with_401_and_403_is_said_as_such(
    ca: trustme.CA, ca_bundle: str
) -> None:
    report = _outcome("no_scope_token_mixed", ca, ca_bundle).report
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert [f.code for f in errors] == ["TOKEN_WITHOUT_SCOPE"]
    assert "HTTP 401 and 403" in errors[0].detail
    # Not the agent's permissions, though tickets and assets answered 403.
    assert "PERMISSION_DENIED" not in report.codes()
    refused = {s.scope: s.http_status for s in report.scopes}
    assert refused == {"read:tickets": 403, "read:customers": 401, "read:assets": 403}


def test_the_sign_in_names_in_the_token_answer_are_taken_quietly(
    ca: trustme.CA, ca_bundle: str
) -> None:
    outcome = _outcome("healthy", ca, ca_bundle)
    report = outcome.report
    assert report.granted_scopes == ["read:tickets", "read:customers", "read:assets"]
    assert {s.key: s.summary for s in report.steps}["token"] == "Token issued with 3 scopes"
    assert report.ok and not any(f.severity is Severity.WARNING for f in report.findings)


def test_no_probe_sends_count_and_a_number_is_only_a_total_halo_stated(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    report = check(halo, ca_bundle, scopes="read:assets read:timesheets")
    listings = [r for r in halo.requests if r.method == "GET" and r.path.startswith("/api/")]
    listings = [r for r in listings if r.path not in ("/api/authinfo", "/api/instanceinfo")]
    assert listings and all("count" not in r.query for r in listings)
    summaries = {s.key: s.summary for s in report.steps}
    # Halo's own total (record_count with paging), not the page of one record.
    assert summaries["scope:read:assets"] == "311 assets visible"
    # A bare list states no total: records are visible, and no number is made up.
    assert summaries["scope:read:timesheets"] == "Records visible (Halo gave no total)"
    records = {s.scope: s.records for s in report.scopes}
    assert records == {"read:assets": 311, "read:timesheets": None}
    assert report.to_dict()["scopes"][1]["records"] is None


def test_all_answered_as_names_is_still_tested_as_a_wildcard(
    ca: trustme.CA, ca_bundle: str
) -> None:
    narrowed = _outcome("everything_narrowed_to_reading", ca, ca_bundle).report
    said_as_all = _outcome("everything_said_as_all", ca, ca_bundle).report
    assert "all" not in (narrowed.granted_scopes or [])
    assert said_as_all.granted_scopes == ["all"]
    for report in (narrowed, said_as_all):
        statuses = {s.scope: s.status for s in report.scopes}
        assert statuses == {
            "all": ScopeStatus.NOT_TESTED,
            "read:tickets": ScopeStatus.OK,
            "read:customers": ScopeStatus.OK,
            "read:assets": ScopeStatus.OK,
        }
        assert "SCOPE_NOT_GRANTED" not in report.codes() and report.ok
    count = len(narrowed.granted_scopes or [])
    summary = {s.key: s.summary for s in narrowed.steps}["scope:all"]
    assert summary == f"Granted as {count} named scopes; no read-only test of its own"


def test_a_rate_limit_without_retry_after_is_not_tried_again(
    ca: trustme.CA, ca_bundle: str
) -> None:
    outcome = _outcome("rate_limited", ca, ca_bundle)
    report, halo = outcome.report, outcome.halo
    paths = [r.path for r in halo.requests if r.method == "GET"]
    # One request per listing and one for the agent: no second try into a 5-minute window.
    assert sorted(paths) == sorted(
        ["/api/authinfo", "/api/instanceinfo", "/api/Agent/me", "/api/Tickets", "/api/Client",
         "/api/Asset"]
    )  # fmt: skip
    (finding,) = [f for f in report.findings if f.code == "RATE_LIMITED"]
    assert finding.severity is Severity.ERROR
    assert "without saying how long to wait" in finding.detail
    assert f"this check made {len(halo.requests)} requests" in finding.detail
    assert "shares it" in finding.detail and "5 minutes" in finding.fix[0]


def test_a_rate_limit_with_a_short_retry_after_is_still_waited_out(
    ca: trustme.CA, ca_bundle: str
) -> None:
    outcome = _outcome("rate_limited_briefly", ca, ca_bundle)
    (finding,) = [f for f in outcome.report.findings if f.code == "RATE_LIMITED"]
    assert finding.severity is Severity.INFO and "waited 1 seconds" in finding.detail
    tickets = [r for r in outcome.halo.requests if r.path == "/api/Tickets"]
    assert len(tickets) == 2


def test_agent_that_sees_nothing_is_told_which_teams_to_join(
    ca: trustme.CA, ca_bundle: str
) -> None:
    report = _outcome("agent_sees_nothing", ca, ca_bundle).report
    empty = [f for f in report.findings if f.code == "NO_VISIBLE_DATA"]
    assert len(empty) == 3
    assert all(s.status is ScopeStatus.EMPTY and s.records == 0 for s in report.scopes)
    assert any("Departments & Teams" in step for step in empty[0].fix)


def test_halo_error_text_is_quoted_verbatim(ca: trustme.CA, ca_bundle: str) -> None:
    report = _outcome("wrong_secret", ca, ca_bundle).report
    finding = next(f for f in report.findings if f.code == "INVALID_CLIENT")
    assert "invalid_client: The specified client credentials are invalid." in finding.detail
    assert finding.link and finding.link.endswith("/config/integrations/api/applications")


def test_product_name_appears_in_menu_paths(ca: trustme.CA, ca_bundle: str) -> None:
    report = _outcome("wrong_secret", ca, ca_bundle).report
    finding = next(f for f in report.findings if f.code == "INVALID_CLIENT")
    assert "Configuration > Integrations > HaloPSA API > View Applications" in finding.fix[0]
    on_premise_itsm = _outcome("on_premise", ca, ca_bundle).report
    assert on_premise_itsm.product == "Halo ITSM"


def test_application_identity_is_reported_as_such(ca: trustme.CA, ca_bundle: str) -> None:
    report = _outcome("application_identity", ca, ca_bundle).report
    assert report.identity is not None and report.identity.kind == "application"


def test_huge_agent_record_still_names_the_agent(ca: trustme.CA, ca_bundle: str) -> None:
    report = _outcome("huge_agent", ca, ca_bundle).report
    assert report.identity is not None and report.identity.name


def test_a_server_that_never_answers_is_given_up_on_quickly(ca: trustme.CA, ca_bundle: str) -> None:
    for name in ("never_answers", "drip"):
        outcome = _outcome(name, ca, ca_bundle)
        timeout = float(CASES[name].entered["timeout"])  # type: ignore[arg-type]
        assert outcome.seconds < timeout + 3.0, (name, outcome.seconds)


def test_an_unknown_scope_is_sent_to_halo_whose_answer_decides(
    ca: trustme.CA, ca_bundle: str
) -> None:
    outcome = _outcome("made_up_scope", ca, ca_bundle)
    report, halo = outcome.report, outcome.halo
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.form["scope"] == "read:tickets read:actions"
    warning = next(f for f in report.findings if f.code == "SCOPE_UNKNOWN")
    assert warning.severity is Severity.WARNING
    assert "read:tickets" in " ".join(warning.fix)
    # The warning comes first; Halo's refusal is the error, quoted and with the fix.
    codes = report.codes()
    assert codes.index("SCOPE_UNKNOWN") < codes.index("INVALID_SCOPE")
    refused = next(f for f in report.findings if f.code == "INVALID_SCOPE")
    assert "invalid_scope" in refused.detail
    # Only a scope Halo can have is offered to tick.
    assert any("tick read:tickets, then" in step for step in refused.fix)
    assert {s.key: s.status for s in report.steps}["input"] is StepStatus.OK


def test_a_scope_halo_knows_and_this_program_does_not_is_granted(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    # A newer Halo with an area no list has caught up with yet.
    halo = start_halo("healthy", extra_scopes=frozenset({"read:newarea"}))
    report = check(halo, ca_bundle, scopes="read:tickets read:newarea")
    assert report.ok, report.codes()
    assert [f.severity for f in report.findings if f.code == "SCOPE_UNKNOWN"] == [Severity.WARNING]
    statuses = {s.scope: s.status for s in report.scopes}
    assert statuses == {"read:tickets": ScopeStatus.OK, "read:newarea": ScopeStatus.NOT_TESTED}
    assert report.granted_scopes == ["read:tickets", "read:newarea"]


def test_the_areas_halo_has_beyond_the_old_list_are_known_and_not_tested(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    report = check(halo, ca_bundle, scopes="read:tickets read:mailcampaign edit:events")
    assert "SCOPE_UNKNOWN" not in report.codes() and report.ok, report.codes()
    steps = {s.key: s for s in report.steps}
    for scope in ("read:mailcampaign", "edit:events"):
        assert steps[f"scope:{scope}"].status is StepStatus.SKIPPED
        assert steps[f"scope:{scope}"].summary == "No read-only test for this scope"
    # No request was made for them: Halo publishes no listing to test them with.
    paths = {r.path.lower() for r in halo.requests if r.method == "GET"}
    assert not any("mail" in path or "event" in path for path in paths)


def test_trimmed_secret_still_connects(ca: trustme.CA, ca_bundle: str) -> None:
    outcome = _outcome("secret_with_quotes", ca, ca_bundle)
    assert outcome.report.ok
    assert "quotes" in next(f for f in outcome.report.findings if f.code == "SECRET_TRIMMED").detail


def test_invisible_characters_are_removed_and_said_exactly(ca: trustme.CA, ca_bundle: str) -> None:
    outcome = _outcome("invisible_characters", ca, ca_bundle)
    report, halo = outcome.report, outcome.halo
    details = {f.code: f.detail for f in report.findings}
    assert "a byte-order mark at the start" in details["SECRET_TRIMMED"]
    assert "a zero-width space and a word joiner at the end" in details["SECRET_TRIMMED"]
    assert "a zero-width space at the end" in details["CLIENT_ID_CLEANED"]
    assert "a zero-width space after read:tickets" in details["SCOPES_CLEANED"]
    assert (
        "a non-breaking space after read:customers (read as a space)" in details["SCOPES_CLEANED"]
    )
    assert "a text-direction mark at the start" in details["TENANT_CLEANED"]
    assert "a zero-width space after" in details["AUTH_URL_CLEANED"]
    assert any("a zero-width space at the start" in note for note in report.address_notes)
    assert "TENANT_MISMATCH" not in details and "AUTH_URL_DIFFERS" not in details
    # Halo was sent the clean values.
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.form["client_id"] == halo.client_id
    assert token_request.form["client_secret"] == halo.client_secret
    assert token_request.form["scope"] == "read:tickets read:customers read:assets"
    assert token_request.query == {"tenant": "acme"}
    # The secret's neighbours are never named: only kinds of character and places.
    assert halo.client_secret[:4] not in details["SECRET_TRIMMED"]
    assert halo.client_secret[-4:] not in details["SECRET_TRIMMED"]


def test_untrusted_certificate_mentions_inspection_and_the_clock(
    ca: trustme.CA, ca_bundle: str
) -> None:
    finding = next(
        f
        for f in _outcome("untrusted_certificate", ca, ca_bundle).report.findings
        if f.code == "TLS_UNTRUSTED"
    )
    text = (finding.detail + " ".join(finding.fix)).lower()
    assert "proxy" in text and "time" in text


def test_discovery_alone_finds_tenant_and_auth_server_without_credentials(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    halo = start_halo("trial")
    report = asyncio.run(run_discovery(f"  {halo.url}/portal/ ", ca_bundle=ca_bundle))
    assert report.ok and report.tenant == "SimTrial42"
    assert report.auth_url == halo.auth_url
    assert "AUTH_SERVER_SEPARATE" in report.codes()
    assert all(r.method == "GET" for r in halo.requests)
    assert [s.key for s in report.steps] == ["input", "discovery"]


def test_discovery_alone_explains_a_wrong_address(
    start_halo: Callable[..., SimulatedHalo], ca_bundle: str
) -> None:
    halo = start_halo("not_halo")
    report = asyncio.run(run_discovery(halo.url, ca_bundle=ca_bundle))
    assert not report.ok and report.codes() == ["NOT_HALO"]
