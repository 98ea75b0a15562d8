"""The judges, given hand-made answers: no socket, no simulator, no waiting."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from wizard.core import judges, scopes
from wizard.core.address import normalise_host
from wizard.core.findings import Finding, Severity, has_errors
from wizard.core.http import NetworkError, Response
from wizard.core.model import Identity, ScopeStatus, StepStatus
from wizard.core.stages import Answers, ClientSecret, Discovery

TOKEN_URL = "https://acme.halopsa.com/auth/token?tenant=acme"
CONTEXT = {"host": "https://acme.halopsa.com", "product": "HaloPSA", "api_menu": "HaloPSA API"}


def answer(status: int, body: object = b"", **headers: str) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(url="https://acme.halopsa.com/x", status=status, headers=headers, body=raw)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_a_token_is_taken_with_the_scopes_halo_granted() -> None:
    verdict = judges.judge_token(
        answer(200, {"access_token": "tok", "scope": "read:tickets read:assets"}),
        TOKEN_URL,
        ["read:tickets", "read:assets"],
        10.0,
        CONTEXT,
    )
    assert verdict.token == "tok" and verdict.status is StepStatus.OK
    assert verdict.granted == ["read:tickets", "read:assets"] and verdict.findings == []


def test_a_rate_limited_token_request_is_an_error_so_the_check_is_not_ok() -> None:
    verdict = judges.judge_token(
        answer(429, b"", **{"retry-after": "120"}), TOKEN_URL, ["read:tickets"], 10.0, CONTEXT
    )
    assert verdict.token is None and verdict.failed
    (finding,) = verdict.findings
    assert finding.code == "RATE_LIMITED" and finding.severity is Severity.ERROR
    assert has_errors(verdict.findings)
    assert "2 minutes" in finding.detail


def test_a_wrong_secret_is_invalid_client_with_what_halo_said() -> None:
    refused = answer(401, {"error": "invalid_client", "error_description": "bad secret"})
    verdict = judges.judge_token(refused, TOKEN_URL, ["read:tickets"], 10.0, CONTEXT)
    assert codes(verdict.findings) == ["INVALID_CLIENT"]
    assert "invalid_client: bad secret" in verdict.findings[0].detail


def test_a_token_answer_of_the_wrong_shape_is_malformed_not_a_crash() -> None:
    for body in (b"[]", b'"text"', b"null", b"42", b"{", b"<html>hi</html>"):
        verdict = judges.judge_token(answer(200, body), TOKEN_URL, ["read:tickets"], 10.0, {})
        assert codes(verdict.findings) == ["TOKEN_MALFORMED"], body


def test_a_redirect_from_the_token_endpoint_is_reported_with_where_it_went() -> None:
    moved = answer(302, b"", location="https://elsewhere.example/login")
    verdict = judges.judge_token(moved, TOKEN_URL, ["read:tickets"], 10.0, CONTEXT)
    assert codes(verdict.findings) == ["REDIRECTED"]
    assert "https://elsewhere.example/login" in verdict.findings[0].detail


def test_no_answer_from_the_token_endpoint_is_the_network_finding() -> None:
    error = NetworkError("TIMEOUT", "acme.halopsa.com", "no answer within 10 seconds")
    verdict = judges.judge_token(error, TOKEN_URL, ["read:tickets"], 10.0, CONTEXT)
    assert codes(verdict.findings) == ["TIMEOUT"] and verdict.failed


def test_the_identity_comes_from_the_agent_record() -> None:
    record = {"id": 42, "name": "Integration API", "isapiagent": True, "is_admin": False}
    verdict = judges.judge_identity(answer(200, record), {}, "client", CONTEXT)
    assert verdict.identity == Identity(
        kind="agent", name="Integration API", id=42, api_only=True, is_admin=False
    )
    assert codes(verdict.findings) == ["ACTS_AS_AGENT"]
    assert verdict.context["agent"] == "Integration API"


def test_an_agent_id_that_is_a_boolean_is_not_taken_for_an_id() -> None:
    verdict = judges.judge_identity(answer(200, {"id": True}), {}, "client", CONTEXT)
    assert verdict.identity is not None and verdict.identity.kind == "application"


def test_a_person_as_the_agent_is_a_warning() -> None:
    record = {"id": 7, "name": "Jo Bloggs", "isapiagent": False}
    verdict = judges.judge_identity(answer(200, record), {}, "client", CONTEXT)
    assert codes(verdict.findings) == ["ACTS_AS_AGENT", "AGENT_NOT_API_ONLY"]
    assert verdict.status is StepStatus.WARNING


def _answers(probes: dict[str, Response], **kwargs: object) -> Answers:
    identity = answer(200, {"id": 42, "name": "Integration API"})
    return Answers(identity=identity, probes=probes, **kwargs)  # type: ignore[arg-type]


def test_scopes_are_judged_by_their_probe_answers() -> None:
    tickets = scopes.probe_for("read:tickets")
    assets = scopes.probe_for("read:assets")
    assert tickets is not None and assets is not None
    probes = {
        tickets.key: answer(200, {"record_count": 137, tickets.list_key: []}),
        assets.key: answer(403, {"message": "You do not have access"}),
    }
    verdict = judges.judge_scopes(
        ["read:tickets", "read:assets"],
        ["read:tickets", "read:assets"],
        Identity(kind="agent", name="Integration API"),
        probes,
        10.0,
        CONTEXT,
    )
    statuses = {v.result.scope: (v.result.status, v.result.records) for v in verdict.scopes}
    assert statuses == {
        "read:tickets": (ScopeStatus.OK, 137),
        "read:assets": (ScopeStatus.DENIED, None),
    }
    assert codes(verdict.findings) == ["PERMISSION_DENIED"]
    assert verdict.findings[0].scope == "read:assets"


def test_a_rate_limit_with_a_wait_of_a_day_is_reported_and_not_waited() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    limited = answer(429, b"", **{"retry-after": "86400"})
    findings = judges.judge_rate_limit(
        _answers({tickets.key: limited}, refused_waits=(86400.0,)), CONTEXT
    )
    (finding,) = findings
    assert finding.severity is Severity.ERROR
    assert "24.0 hours" in finding.detail and "does not wait" in finding.detail


def test_a_rate_limit_waited_out_is_only_a_note() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    findings = judges.judge_rate_limit(
        _answers({tickets.key: answer(200, [])}, waits=(2.0,)), CONTEXT
    )
    assert [(f.code, f.severity) for f in findings] == [("RATE_LIMITED", Severity.INFO)]


def test_retry_after_as_seconds_or_a_date() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    later = (now + timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert judges.retry_after(answer(429, b"", **{"retry-after": "30"}), now) == 30.0
    assert judges.retry_after(answer(429, b"", **{"retry-after": later}), now) == 300.0
    assert judges.retry_after(answer(429, b"", **{"retry-after": "soon"}), now) is None
    assert judges.retry_after(answer(429), now) is None


def test_the_client_secret_never_shows_in_its_repr() -> None:
    credential = ClientSecret("client-id", "s3cr3t-value")
    assert "s3cr3t-value" not in repr(credential)
    assert credential.token_fields() == {"client_id": "client-id", "client_secret": "s3cr3t-value"}


def test_an_agent_record_that_cannot_be_read_is_said_and_not_ticked() -> None:
    claims = {"name": "Integration API", "sub": "someone-else"}
    for unread, code in (
        (NetworkError("CONNECTION_CUT", "acme.halopsa.com", "cut"), "CONNECTION_CUT"),
        (answer(200, b"{not json"), "UNEXPECTED_RESPONSE"),
        (answer(503, b"Service Unavailable"), "SERVER_ERROR"),
    ):
        verdict = judges.judge_identity(unread, claims, "client", CONTEXT)
        assert verdict.identity is not None and verdict.identity.name == "Integration API"
        warnings = [f for f in verdict.findings if f.severity is Severity.WARNING]
        assert [f.code for f in warnings] == [code]
        assert verdict.status is StepStatus.WARNING


def test_a_list_of_things_that_are_not_records_is_no_listing() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    verdict = judges.judge_scopes(
        ["read:tickets"], None, None, {tickets.key: answer(200, ["unexpected"])}, 10.0, CONTEXT
    )
    assert codes(verdict.findings) == ["UNEXPECTED_RESPONSE"]
    assert verdict.scopes[0].result.status is ScopeStatus.ERROR


def test_a_token_answer_cut_at_its_cap_still_gives_the_token() -> None:
    body = b'{"access_token": "tok", "scope": "read:tickets", "id_token": "' + b"x" * 5000
    cut = Response(url=TOKEN_URL, status=200, headers={}, body=body, truncated=True)
    verdict = judges.judge_token(cut, TOKEN_URL, ["read:tickets"], 10.0, CONTEXT)
    assert verdict.token == "tok" and verdict.granted == ["read:tickets"]


def _discovery(authinfo: object, instanceinfo: object) -> Discovery:
    return Discovery(answer(200, authinfo), answer(200, instanceinfo), 0.1)


def test_discovery_finds_the_tenant_and_the_token_url() -> None:
    found = _discovery(
        {"auth_url": "https://acme.halopsa.com/auth", "tenant_id": "acme"},
        {"app_name": "Halo PSA", "app_version": "2.236.133", "tenant_id": "acme"},
    )
    verdict = judges.judge_discovery(
        normalise_host("acme.halopsa.com"), found, None, None, 10.0, CONTEXT
    )
    assert (verdict.product, verdict.version, verdict.tenant) == ("Halo PSA", "2.236.133", "acme")
    assert verdict.token_url == "https://acme.halopsa.com/auth/token?tenant=acme"
    assert codes(verdict.findings) == ["TENANT_DETECTED"]
    assert verdict.status is StepStatus.OK and "tenant acme" in verdict.summary


def test_a_tenant_typed_in_another_case_is_named_with_the_right_one() -> None:
    found = _discovery({"auth_url": "https://acme.halopsa.com/auth", "tenant_id": "acme"}, {})
    verdict = judges.judge_discovery(
        normalise_host("acme.halopsa.com"), found, "ACME", None, 10.0, CONTEXT
    )
    assert codes(verdict.findings) == ["TENANT_DETECTED", "TENANT_MISMATCH"]
    assert verdict.findings[1].params["expected_tenant"] == "acme"


def test_a_trial_uses_the_shared_authorisation_server() -> None:
    found = _discovery({"auth_url": "https://auth.haloservicedesk.com", "tenant_id": "trial7"}, {})
    verdict = judges.judge_discovery(
        normalise_host("trial7.halopsa.com"), found, None, None, 10.0, CONTEXT
    )
    assert "AUTH_SERVER_SEPARATE" in codes(verdict.findings)
    assert verdict.token_url == "https://auth.haloservicedesk.com/token?tenant=trial7"


def test_no_halo_at_the_address_is_a_failed_discovery() -> None:
    found = Discovery(answer(200, b"<html>Welcome</html>"), answer(404), 0.1)
    verdict = judges.judge_discovery(
        normalise_host("www.example.com"), found, None, None, 10.0, CONTEXT
    )
    assert verdict.failed and codes(verdict.findings) == ["NOT_HALO"]


def test_an_agent_refused_where_the_purpose_needs_changes_is_told_to_allow_changes() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    refused = {tickets.key: answer(403, {"message": "You do not have access"})}
    identity = Identity(kind="agent", name="Integration API")
    for requested, wanted in (
        (["read:tickets"], 'at least "Read"'),
        (["read:tickets", "edit:tickets"], "high enough to change tickets"),
    ):
        verdict = judges.judge_scopes(requested, requested, identity, refused, 10.0, CONTEXT)
        denied = [f for f in verdict.findings if f.code == "PERMISSION_DENIED"]
        assert denied and wanted in " ".join(denied[0].fix)


def test_an_edit_scope_is_granted_but_not_ticked() -> None:
    tickets = scopes.probe_for("edit:tickets")
    assert tickets is not None
    verdict = judges.judge_scopes(
        ["edit:tickets"],
        ["edit:tickets"],
        None,
        {tickets.key: answer(200, {"record_count": 137, tickets.list_key: []})},
        10.0,
        CONTEXT,
    )
    (judged,) = verdict.scopes
    assert judged.result.status is ScopeStatus.GRANTED
    assert judged.status is StepStatus.SKIPPED
    assert judged.summary == "Granted; not tried (the test never changes anything in Halo)"


# ----- what Halo has been seen to answer (reference §10) -----


def test_the_sign_in_names_in_a_token_answer_are_no_scopes_of_halo() -> None:
    live = (
        "openid email profile offline_access roles read:tickets read:customers "
        "read:mailcampaign read:events"
    )
    verdict = judges.judge_token(
        answer(200, {"access_token": "tok", "scope": live}), TOKEN_URL, ["all"], 10.0, CONTEXT
    )
    assert verdict.granted == [
        "read:tickets", "read:customers", "read:mailcampaign", "read:events"
    ]  # fmt: skip
    assert verdict.summary == "Token issued with 4 scopes" and verdict.findings == []
    only_sign_in = judges.judge_token(
        answer(200, {"access_token": "tok", "scope": "openid email profile roles"}),
        TOKEN_URL,
        ["read:tickets"],
        10.0,
        CONTEXT,
    )
    assert only_sign_in.granted == []
    assert only_sign_in.summary == "Token issued, without any permission scope"


def test_a_total_is_only_what_halo_stated_for_the_page() -> None:
    assert judges.read_listing({"record_count": 137, "tickets": [{"id": 1}]}, "tickets") == (
        judges.Listing(1, 137)
    )
    # A bare array states no total: one record on the page is no count of them.
    assert judges.read_listing([{"id": 1}], "timesheets") == judges.Listing(1, None)
    # record_count below the records listed is no total (count=N gives record_count=N).
    two = [{"id": 1}, {"id": 2}]
    assert judges.read_listing({"record_count": 1, "assets": two}, "assets") == (
        judges.Listing(2, None)
    )
    assert judges.read_listing({"record_count": 0, "tickets": []}, "tickets") == (
        judges.Listing(0, 0)
    )


def test_records_without_a_total_are_said_without_a_number() -> None:
    timesheets = scopes.probe_for("read:timesheets")
    assert timesheets is not None
    verdict = judges.judge_scopes(
        ["read:timesheets"],
        ["read:timesheets"],
        None,
        {timesheets.key: answer(200, [{"id": 1}])},
        10.0,
        CONTEXT,
    )
    (judged,) = verdict.scopes
    assert judged.result.status is ScopeStatus.OK and judged.result.records is None
    assert judged.summary == "Records visible (Halo gave no total)"
    assert not any(character.isdigit() for character in judged.summary)


def test_no_probe_asks_halo_to_count() -> None:
    for probe in scopes.PROBES.values():
        assert "count" not in probe.params, probe.path
        assert probe.params["pageinate"] == "true" and probe.params["page_size"] == "1"


def test_a_scopeless_token_refused_with_401_and_403_is_the_token_not_the_agent() -> None:
    tickets, customers = scopes.probe_for("read:tickets"), scopes.probe_for("read:customers")
    assert tickets is not None and customers is not None
    probes = {tickets.key: answer(403), customers.key: answer(401)}
    answers = Answers(identity=answer(401), probes=probes)
    assert judges.refused_everywhere(answers, scopeless=True)
    # With scopes in the token, a 403 is an area's answer: not everything was refused.
    assert not judges.refused_everywhere(answers, scopeless=False)
    requested = ["read:tickets", "read:customers"]
    verdict = judges.judge_refused_everywhere(requested, None, CONTEXT, probes)
    (finding,) = verdict.findings
    assert finding.code == "TOKEN_WITHOUT_SCOPE" and "HTTP 401 and 403" in finding.detail
    assert [v.result.http_status for v in verdict.scopes] == [403, 401]


def test_one_area_answering_401_while_others_list_records_is_a_scope_not_granted() -> None:
    tickets, assets = scopes.probe_for("read:tickets"), scopes.probe_for("read:assets")
    assert tickets is not None and assets is not None
    probes = {tickets.key: answer(200, {"record_count": 3, "tickets": [{"id": 1}]})}
    probes[assets.key] = answer(401)
    requested = ["read:tickets", "read:assets"]
    for granted in (["read:tickets"], None):
        verdict = judges.judge_scopes(requested, granted, None, probes, 10.0, CONTEXT)
        assert codes(verdict.findings) == ["SCOPE_NOT_GRANTED"], granted
        assert verdict.findings[0].scope == "read:assets"
        denied = {v.result.scope: v.result for v in verdict.scopes}["read:assets"]
        assert (denied.status, denied.http_status) == (ScopeStatus.DENIED, 401)
    # The token names the scope: the area refused it, as with 403.
    named = judges.judge_scopes(requested, requested, None, probes, 10.0, CONTEXT)
    assert codes(named.findings) == ["PERMISSION_DENIED"]


def test_all_answered_as_a_list_of_names_is_all_granted() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    probes = {tickets.key: answer(200, {"record_count": 3, "tickets": [{"id": 1}]})}
    listed = ["read:tickets", "read:customers", "read:assets", "read:kb"]
    verdict = judges.judge_scopes(
        ["all", "read:tickets"], listed, None, probes, 10.0, CONTEXT, asked=["all"]
    )
    assert codes(verdict.findings) == []
    wildcard = verdict.scopes[0]
    assert wildcard.summary == "Granted as 4 named scopes; no read-only test of its own"
    assert scopes.wildcard_granted(["all"], listed)
    # Only the names asked for came back: all was dropped, not granted (n8n's admin).
    n8n = ["admin", "edit:tickets", "edit:customers"]
    assert not scopes.granted_as_list("admin", n8n, ["edit:tickets", "edit:customers"])
    assert not scopes.wildcard_granted(["all", "read:tickets"], ["read:tickets"])


def test_a_rate_limit_without_retry_after_says_how_halo_counts() -> None:
    tickets = scopes.probe_for("read:tickets")
    assert tickets is not None
    limited = answer(429, b"Rate Limit Reached - 300 Requests per rolling 5 minute window")
    context = {**CONTEXT, "requests_made": "7 requests"}
    (finding,) = judges.judge_rate_limit(_answers({tickets.key: limited}), context)
    assert finding.severity is Severity.ERROR
    for said in (
        "without saying how long to wait",
        "about 300 requests per 5 minutes",
        "every integration on this instance shares it",
        "this check made 7 requests",
        'Halo\'s own words: "Rate Limit Reached - 300 Requests per rolling 5 minute window"',
    ):
        assert said in finding.detail, said
    assert "its own application" not in " ".join(finding.fix)
