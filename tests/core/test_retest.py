"""A re-test of a saved connection asks for its token at once, beside discovery, and says
so when Halo's token address has changed since the connection was saved."""

from __future__ import annotations

import secrets

from tests.conftest import HaloFactory
from wizard.core import CheckReport, CheckRequest, run_check_sync
from wizard.core.model import StepStatus

SCOPES = "read:tickets read:customers"


def retest(halo: object, ca_bundle: str, known: str, **changes: str) -> CheckReport:
    assert hasattr(halo, "url")
    request = CheckRequest(
        host=halo.url,  # type: ignore[attr-defined]
        client_id=changes.get("client_id", halo.client_id),  # type: ignore[attr-defined]
        client_secret=changes.get("secret", halo.client_secret),  # type: ignore[attr-defined]
        scopes=SCOPES,
        ca_bundle=ca_bundle,
        timeout=5.0,
        known_token_url=known,
    )
    return run_check_sync(request)


def test_the_token_is_asked_for_beside_discovery_when_its_address_is_known(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    # Every answer takes 0.4 s: a token request sent after discovery's answers would
    # arrive at least that long after the discovery requests.
    halo = start_halo("healthy", latency_ms=400)
    report = retest(halo, ca_bundle, f"{halo.url}/auth/token?tenant=acme")
    assert report.ok, report.codes()
    assert "SAVED_TOKEN_URL_CHANGED" not in report.codes()
    arrived = {request.path.lower(): request.time for request in halo.requests}
    assert arrived["/auth/token"] - arrived["/api/authinfo"] < 0.3
    tokens = [r for r in halo.requests if r.path.lower() == "/auth/token"]
    assert len(tokens) == 1
    methods = [(e.method, e.url.split("?")[0].removeprefix(halo.url)) for e in report.exchanges]
    assert ("POST", "/auth/token") in methods
    # Every request is kept with its address and Halo's answer.
    assert ("GET", "/api/Tickets") in methods and ("GET", "/api/Agent/me") in methods
    assert all(e.url.startswith(halo.url) and e.status == 200 for e in report.exchanges)


def test_a_changed_token_address_is_said_and_the_one_halo_reports_is_used(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("trial")  # signs in on another host than the saved address
    saved = f"{halo.url}/auth/token?tenant=SimTrial42"
    report = retest(halo, ca_bundle, saved)
    assert report.ok, report.codes()
    changed = [f for f in report.findings if f.code == "SAVED_TOKEN_URL_CHANGED"]
    assert len(changed) == 1 and changed[0].severity == "warning"
    assert saved in changed[0].detail and str(report.token_url) in changed[0].detail
    assert report.token_url is not None and report.token_url != saved
    assert any(r.listener == "auth" for r in halo.requests)


def test_a_wrong_secret_in_a_retest_is_one_problem(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo = start_halo("healthy")
    report = retest(
        halo, ca_bundle, f"{halo.url}/auth/token?tenant=acme", secret=secrets.token_urlsafe(30)
    )
    assert [f.code for f in report.findings if f.severity == "error"] == ["INVALID_CLIENT"]


def test_when_the_instance_is_not_found_the_early_token_request_does_not_count(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("unknown_instance")
    report = retest(halo, ca_bundle, f"{halo.url}/auth/token?tenant=acme")
    assert not report.ok
    steps = {step.key: step for step in report.steps}
    assert steps["token"].status is StepStatus.SKIPPED
    assert not any(step.status is StepStatus.RUNNING for step in report.steps)
    assert "INVALID_CLIENT" not in report.codes()
