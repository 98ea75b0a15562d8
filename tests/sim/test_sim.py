"""Tests of the simulated Halo over real sockets and real TLS, with no mocks."""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import requests

from wizard.sim import SCENARIOS, RecordedRequest, SimulatedHalo, make_tls
from wizard.sim.scenarios import SCENARIO_DATA

# What a live token answer listed before Halo's own scopes (reference §10).
SIGN_IN = "openid email profile offline_access roles"

GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ALL_READ = (
    "read:tickets read:customers read:assets read:invoices read:items read:projects read:crm"
    " read:quotes read:sos read:pos read:contracts read:suppliers read:kb read:reporting"
    " read:softwarelicensing read:calendar read:timesheets"
)
PROBES: dict[str, tuple[str, str | None, int]] = {
    "/api/Tickets": ("tickets", "tickets", 137),
    "/api/Client": ("customers", "clients", 24),
    "/api/Asset": ("assets", "assets", 311),
    "/api/Invoice": ("invoices", "invoices", 0),
    "/api/Item": ("items", "items", 0),
    "/api/Projects": ("projects", "tickets", 0),
    "/api/Opportunities": ("crm", "tickets", 0),
    "/api/Quotation": ("quotes", "quotes", 0),
    "/api/SalesOrder": ("sos", "salesorders", 0),
    "/api/PurchaseOrder": ("pos", "purchaseorders", 0),
    "/api/ClientContract": ("contracts", "contracts", 0),
    "/api/Supplier": ("suppliers", "suppliers", 0),
    "/api/KBArticle": ("kb", "articles", 0),
    "/api/Report": ("reporting", "reports", 0),
    "/api/SoftwareLicence": ("softwarelicensing", "licences", 0),
    "/api/Appointment": ("calendar", "appointments", 0),
    "/api/Timesheet": ("timesheets", None, 0),
}


class Client(requests.Session):
    """A session that trusts only the test CA, never follows redirects and never waits long."""

    def __init__(self, verify: str | bool) -> None:
        super().__init__()
        self.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise override verify
        self.verify = verify

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        kwargs.setdefault("allow_redirects", False)
        return super().request(*args, **kwargs)


@pytest.fixture(scope="module")
def tls() -> tuple[ssl.SSLContext, str]:
    return make_tls()


@pytest.fixture
def client(tls: tuple[ssl.SSLContext, str]) -> Iterator[Client]:
    with Client(tls[1]) as session:
        yield session


@pytest.fixture
def halo(tls: tuple[ssl.SSLContext, str]) -> Iterator[SimulatedHalo]:
    with SimulatedHalo(tls=tls[0], public_host="localhost") as sim:
        yield sim


def request_token(
    client: Client,
    halo: SimulatedHalo,
    scope: str | None = "read:tickets read:assets",
    tenant: str | None = "",
    **form: str,
) -> requests.Response:
    """POST a token request; tenant "" means the simulator's own tenant, None means none."""
    body = {
        "grant_type": "client_credentials",
        "client_id": halo.client_id,
        "client_secret": halo.client_secret,
        **form,
    }
    if scope is not None:
        body["scope"] = scope
    tenant = halo.tenant if tenant == "" else tenant
    params = {"tenant": tenant} if tenant else {}
    return client.post(f"{halo.auth_url}/token", params=params, data=body)


def access(client: Client, halo: SimulatedHalo, scope: str | None = ALL_READ) -> dict[str, str]:
    reply = request_token(client, halo, scope)
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def jwt_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    assert len(parts) == 3
    assert all("=" not in part for part in parts)
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    assert header == {"alg": "RS256", "typ": "JWT"}
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * 4))
    return claims


def wait_for(condition: Any, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.01)


# The scenario list and the instance's credentials


def test_scenarios_are_the_agreed_ones_with_one_line_descriptions() -> None:
    assert next(iter(SCENARIOS)) == "healthy"
    assert set(SCENARIOS) == {
        "healthy", "wrong_secret", "client_id_changed", "inactive_app", "trial", "on_premise",
        "custom_domain", "agent_url_differs", "not_halo", "unknown_instance", "auth_missing",
        "token_redirect", "token_malformed", "unsupported_grant", "scope_not_ticked",
        "scope_rejected", "no_scope_token", "api_unauthorized", "agent_no_permission",
        "agent_sees_nothing", "human_admin_agent", "application_identity", "rate_limited",
        "rate_limited_briefly", "server_error", "unexpected_response", "huge_agent",
        "clock_skew", "never_answers", "drip", "no_scope_token_mixed", "all_kept_as_all",
    }  # fmt: skip
    for description in SCENARIOS.values():
        assert description and "\n" not in description


def test_a_scenario_resting_on_inference_says_so() -> None:
    for name, data in SCENARIO_DATA.items():
        said = "(Inferred:" in data.description
        assert said is data.inferred, name
    # What was seen from a real Halo is not marked: the default, a scopeless token.
    assert not SCENARIO_DATA["healthy"].inferred and not SCENARIO_DATA["no_scope_token"].inferred
    assert SCENARIO_DATA["rate_limited_briefly"].inferred


def test_credentials_have_halos_shapes_and_differ_per_instance() -> None:
    one, two = SimulatedHalo(), SimulatedHalo()
    assert re.fullmatch(GUID, one.client_id)
    assert re.fullmatch(f"{GUID}-{GUID}", one.client_secret)
    assert len(one.client_secret) == 73
    assert one.client_id != two.client_id and one.client_secret != two.client_secret


def test_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        SimulatedHalo("nope")


def test_describe_names_everything_a_user_needs(halo: SimulatedHalo) -> None:
    text = halo.describe()
    for needle in (halo.url, halo.client_id, halo.client_secret, "healthy", "acme"):
        assert needle in text
    assert len(text.splitlines()) >= 5


# Discovery


def test_discovery_healthy(halo: SimulatedHalo, client: Client) -> None:
    assert halo.url.startswith("https://localhost:")
    assert halo.auth_url == f"{halo.url}/auth"
    info = client.get(f"{halo.url}/api/authinfo")
    assert info.status_code == 200
    assert info.json() == {"auth_url": f"{halo.url}/auth/", "tenant_id": "acme"}
    instance = client.get(f"{halo.url}/API/InstanceInfo/").json()
    assert instance["agent_url"] == halo.url
    assert instance["auth_url"] == halo.auth_url
    assert instance["portal_url"] == f"{halo.url}/portal/"
    assert instance["tenant_id"] == "acme"
    assert instance["app_name"] == "Halo PSA" and instance["app_version"] == "2.236.133"
    assert {"agent_count", "chat_service_url", "database_version", "dbid", "hosted_group"} <= set(
        instance
    )
    assert "trial_expiry" not in instance


def test_every_response_has_a_correct_date(halo: SimulatedHalo, client: Client) -> None:
    for path in ("/api/authinfo", "/nothing/here", "/api/Tickets"):
        date = parsedate_to_datetime(client.get(halo.url + path).headers["Date"])
        assert abs(date.timestamp() - time.time()) < 60


def test_clock_skew_dates_are_three_hours_behind(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "clock_skew"
    date = parsedate_to_datetime(client.get(f"{halo.url}/api/authinfo").headers["Date"])
    assert abs(date.timestamp() - (time.time() - 3 * 3600)) < 60


@pytest.mark.parametrize(
    ("scenario", "tenant"), [("custom_domain", "northwindit"), ("healthy", "acme")]
)
def test_tenant_comes_from_discovery_not_the_hostname(
    tls: tuple[ssl.SSLContext, str], client: Client, scenario: str, tenant: str
) -> None:
    with SimulatedHalo(scenario, tls=tls[0], public_host="localhost") as halo:
        assert halo.tenant == tenant
        assert client.get(f"{halo.url}/api/authinfo").json()["tenant_id"] == tenant
        assert request_token(client, halo).status_code == 200


def test_agent_url_differs(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "agent_url_differs"
    instance = client.get(f"{halo.url}/api/instanceinfo").json()
    assert instance["agent_url"] == "https://halo.acme.example"
    assert request_token(client, halo).status_code == 200


def test_on_premise_has_no_tenant(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "on_premise"
    assert halo.tenant is None
    info = client.get(f"{halo.url}/api/authinfo").json()
    assert info["auth_url"] == f"{halo.url}/auth"
    assert not info.get("tenant_id")
    instance = client.get(f"{halo.url}/api/instanceinfo").json()
    assert "tenant_id" not in instance
    assert (instance["app_name"], instance["app_version"]) == ("Halo ITSM", "2.228.1")
    assert request_token(client, halo, tenant="whatever").status_code == 200
    assert request_token(client, halo, tenant=None).status_code == 200


def test_unknown_instance_answers_500_empty(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "unknown_instance"
    for path in ("/api/authinfo", "/api/instanceinfo"):
        reply = client.get(halo.url + path)
        assert (reply.status_code, reply.content) == (500, b"")


def test_not_halo_answers_a_web_page_everywhere(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "not_halo"
    for reply in (
        client.get(f"{halo.url}/api/authinfo"),
        client.post(f"{halo.url}/auth/token", data={"grant_type": "client_credentials"}),
        client.get(f"{halo.url}/anything"),
    ):
        assert reply.status_code == 200
        assert reply.headers["Content-Type"].startswith("text/html")
        assert "<html" in reply.text


# The token request


def test_token_happy_path(halo: SimulatedHalo, client: Client) -> None:
    reply = request_token(client, halo, "read:tickets read:assets")
    assert reply.status_code == 200
    token = reply.json()
    assert list(token) == ["access_token", "token_type", "expires_in", "scope", "id_token"]
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["scope"] == f"{SIGN_IN} read:tickets read:assets"
    assert token["access_token"].count(".") == 0
    claims = jwt_claims(token["id_token"])
    assert claims["iss"] == halo.auth_url
    assert (claims["sub"], claims["aud"]) == ("42", halo.client_id)
    assert (claims["name"], claims["email"]) == ("Integration API", "integration@acme.example")
    assert claims["exp"] - claims["iat"] == 3600


def test_token_accepts_http_basic_client_auth(halo: SimulatedHalo, client: Client) -> None:
    reply = client.post(
        f"{halo.auth_url}/token?tenant=acme",
        data={"grant_type": "client_credentials", "scope": "read:tickets"},
        auth=(halo.client_id, halo.client_secret),
    )
    assert reply.status_code == 200
    assert reply.json()["scope"] == f"{SIGN_IN} read:tickets"


@pytest.mark.parametrize(
    ("scenario", "changes", "status", "error", "description"),
    [
        ("healthy", {"grant_type": "password"}, 400, "unsupported_grant_type", None),
        ("healthy", {"tenant": "otherco"}, 400, "invalid_request",
         "The specified tenant is not valid."),
        ("healthy", {"client_secret": "not-it"}, 401, "invalid_client",
         "The specified client credentials are invalid."),
        ("healthy", {"client_id": "00000000-0000-0000-0000-000000000000"}, 401,
         "invalid_client", None),
        ("healthy", {"scope": "read:actions"}, 400, "invalid_scope",
         "The specified 'scope' is not supported."),
        ("healthy", {"scope": "read:tickets read:sites"}, 400, "invalid_scope", None),
        ("wrong_secret", {}, 401, "invalid_client", None),
        ("client_id_changed", {}, 401, "invalid_client", None),
        ("inactive_app", {}, 400, "unauthorized_client",
         "This client application is not allowed to use the client credentials grant."),
        ("unsupported_grant", {}, 400, "unsupported_grant_type",
         "The specified 'grant_type' is not supported."),
    ],
)  # fmt: skip
def test_token_errors(
    halo: SimulatedHalo,
    client: Client,
    scenario: str,
    changes: dict[str, str],
    status: int,
    error: str,
    description: str | None,
) -> None:
    halo.scenario = scenario
    tenant = changes.pop("tenant", "")
    reply = request_token(client, halo, tenant=tenant, **changes)
    assert reply.status_code == status
    body = reply.json()
    assert body["error"] == error
    assert body["error_description"] == description or description is None
    assert "access_token" not in body


@pytest.mark.parametrize(
    ("scenario", "status", "content_type"),
    [("auth_missing", 404, "text/html"), ("token_malformed", 200, "text/html")],
)
def test_token_endpoint_answering_html(
    halo: SimulatedHalo, client: Client, scenario: str, status: int, content_type: str
) -> None:
    halo.scenario = scenario
    assert client.get(f"{halo.url}/api/authinfo").status_code == 200
    reply = request_token(client, halo)
    assert reply.status_code == status
    assert reply.headers["Content-Type"].startswith(content_type)
    assert "<html" in reply.text.lower()


def test_token_redirect_points_elsewhere(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "token_redirect"
    reply = request_token(client, halo)
    assert reply.status_code == 302
    assert reply.headers["Location"] == "https://login.elsewhere.example/auth/token"


def test_token_without_scope_has_no_scope_and_every_call_is_401(
    halo: SimulatedHalo, client: Client
) -> None:
    token = request_token(client, halo, scope=None).json()
    assert "scope" not in token and token["access_token"]
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    for path in ("/api/Tickets", "/api/Agent/me"):
        reply = client.get(halo.url + path, headers=headers)
        assert (reply.status_code, reply.content) == (401, b"")


def test_no_scope_token_scenario_drops_the_scope(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "no_scope_token"
    token = request_token(client, halo, "read:tickets").json()
    assert "scope" not in token
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 401


def test_a_token_without_scope_draws_401_or_403(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "no_scope_token_mixed"
    token = request_token(client, halo, "read:tickets read:customers read:assets").json()
    assert "scope" not in token
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    statuses = {
        path: client.get(halo.url + path, headers=headers).status_code
        for path in ("/api/Tickets", "/api/Client", "/api/Asset", "/api/Agent/me")
    }
    assert statuses == {
        "/api/Tickets": 403, "/api/Client": 401, "/api/Asset": 403, "/api/Agent/me": 401
    }  # fmt: skip


def test_scopes_are_requested_intersect_ticked(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "scope_not_ticked"
    token = request_token(client, halo, "read:tickets read:assets read:customers read:kb").json()
    assert token["scope"] == f"{SIGN_IN} read:tickets read:customers"
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200
    assert client.get(f"{halo.url}/api/Client", headers=headers).status_code == 200
    # One area answers 401 for a scope the token lacks, another 403 (reference §10).
    unauthorized = client.get(f"{halo.url}/api/Asset", headers=headers)
    assert (unauthorized.status_code, unauthorized.content) == (401, b"")
    denied = client.get(f"{halo.url}/api/KBArticle", headers=headers)
    assert (denied.status_code, denied.content) == (403, b"")


def test_all_is_answered_as_the_names_the_application_allows(
    halo: SimulatedHalo, client: Client
) -> None:
    # Every read:/edit: box ticked but not all: the token lists their names (seen).
    names = request_token(client, halo, "all read:tickets").json()["scope"].split()
    assert names[:5] == SIGN_IN.split() and "all" not in names
    assert {"read:tickets", "edit:tickets", "read:mailcampaign", "edit:events"} <= set(names)
    # Only reading ticked: all is narrowed to the read: names, never refused.
    halo.scenario = "scope_not_ticked"
    token = request_token(client, halo, "all").json()
    assert token["scope"] == f"{SIGN_IN} read:tickets read:customers"
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200
    assert client.get(f"{halo.url}/api/Asset", headers=headers).status_code == 401


def test_all_said_as_all_where_the_scenario_says_so(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "all_kept_as_all"
    token = request_token(client, halo, "all").json()
    assert token["scope"] == f"{SIGN_IN} all"
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get(f"{halo.url}/api/Asset", headers=headers).status_code == 200


def test_edit_scope_grants_read(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo, "edit:customers")
    assert client.get(f"{halo.url}/api/Client", headers=headers).status_code == 200
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 403


def test_scope_rejected_names_the_scope(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "scope_rejected"
    reply = request_token(client, halo, "read:tickets read:assets")
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_scope"
    assert "read:assets" in reply.json()["error_description"]
    assert request_token(client, halo, "read:tickets").json()["scope"] == f"{SIGN_IN} read:tickets"


def test_expired_or_unknown_tokens_get_401(halo: SimulatedHalo, client: Client) -> None:
    halo.token_lifetime_s = 0
    token = request_token(client, halo).json()
    assert token["expires_in"] == 0
    for value in (f"Bearer {token['access_token']}", "Bearer made-up", "Basic eDp5"):
        reply = client.get(f"{halo.url}/api/Tickets", headers={"Authorization": value})
        assert (reply.status_code, reply.content) == (401, b"")
    assert client.get(f"{halo.url}/api/Tickets").status_code == 401


def test_api_unauthorized_rejects_good_tokens(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "api_unauthorized"
    headers = access(client, halo)
    for path in ("/api/Tickets", "/api/Agent/me"):
        assert client.get(halo.url + path, headers=headers).status_code == 401


# The trial's separate auth server


def test_trial_uses_a_separate_auth_listener(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "trial"
    assert halo.tenant == "SimTrial42"
    assert halo.auth_url.startswith("https://localhost:") and "/auth" not in halo.auth_url
    assert halo.auth_url != halo.url
    info = client.get(f"{halo.url}/api/authinfo").json()
    assert info == {"auth_url": halo.auth_url, "tenant_id": "SimTrial42"}
    instance = client.get(f"{halo.url}/api/instanceinfo").json()
    assert instance["auth_url"] == halo.auth_url and "trial_expiry" in instance

    on_agent = client.post(f"{halo.url}/auth/token?tenant=SimTrial42", data={"a": "b"})
    assert on_agent.status_code == 404 and "<html" in on_agent.text
    missing = request_token(client, halo, tenant=None)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert "tenant" in missing.json()["error_description"]

    reply = request_token(client, halo, tenant="simtrial42")
    assert reply.status_code == 200
    assert jwt_claims(reply.json()["id_token"])["iss"] == halo.auth_url
    assert halo.requests[-1].listener == "auth"
    assert halo.requests[-1].path == "/token"
    headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200
    assert halo.requests[-1].listener == "agent"


# Probes


def test_every_probe_answers_with_page_size_one(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo)
    for path, (_, key, count) in PROBES.items():
        reply = client.get(
            f"{halo.url}{path}?pageinate=true&page_size=1&page_no=1", headers=headers
        )
        assert reply.status_code == 200, path
        body = reply.json()
        if key is None:
            assert isinstance(body, list) and len(body) == 1
            continue
        assert len(body[key]) == 1 and body[key][0]["id"] == 1
        assert body["record_count"] == count or (count == 0 and body["record_count"] > 0)


def test_probe_paging_and_counts(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo)
    url = f"{halo.url}/api/tickets/"
    page_two = client.get(url, params={"pageinate": "true", "page_size": "100", "page_no": "2"})
    assert page_two.status_code == 401  # no token: still refused
    page_two = client.get(
        url, headers=headers, params={"pageinate": "true", "page_size": "100", "page_no": "2"}
    ).json()
    assert len(page_two["tickets"]) == 37 and page_two["tickets"][0]["id"] == 101
    assert len(client.get(url, headers=headers).json()["tickets"]) == 50
    # count=N overrides the total: record_count says N (seen, reference §10).
    counted = client.get(f"{halo.url}/api/Asset", headers=headers, params={"count": "3"}).json()
    assert (counted["record_count"], len(counted["assets"])) == (3, 3)
    paged_count = client.get(
        f"{halo.url}/api/Asset",
        headers=headers,
        params={"pageinate": "true", "page_size": "1", "count": "1"},
    ).json()
    assert (paged_count["record_count"], len(paged_count["assets"])) == (1, 1)
    paged = client.get(
        f"{halo.url}/api/Asset", headers=headers, params={"pageinate": "true", "page_size": "1"}
    ).json()
    assert (paged["record_count"], len(paged["assets"])) == (311, 1)
    ignored = client.get(url, headers=headers, params={"no_such_filter": "x", "count": "2"})
    assert len(ignored.json()["tickets"]) == 2
    bad = client.get(url, headers=headers, params={"pageinate": "true", "page_size": "abc"})
    assert bad.status_code == 400 and "page_size" in bad.json()


def test_agent_without_permission_gets_empty_403(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "agent_no_permission"
    headers = access(client, halo)
    for path in ("/api/Tickets", "/api/Asset"):
        reply = client.get(halo.url + path, headers=headers)
        assert (reply.status_code, reply.content) == (403, b"")
        assert reply.headers["Content-Length"] == "0"
    assert client.get(f"{halo.url}/api/Client", headers=headers).status_code == 200


def test_agent_sees_nothing(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "agent_sees_nothing"
    headers = access(client, halo)
    tickets = client.get(f"{halo.url}/api/Tickets?pageinate=true&page_size=1", headers=headers)
    assert tickets.json() == {"record_count": 0, "tickets": []}
    assert client.get(f"{halo.url}/api/Timesheet", headers=headers).json() == []


def test_tickets_failures(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo)
    halo.scenario = "server_error"
    failed = client.get(f"{halo.url}/api/Tickets", headers=headers)
    assert failed.status_code == 500 and failed.json()["ClassName"] == "System.Exception"
    assert client.get(f"{halo.url}/api/Client", headers=headers).status_code == 200
    halo.scenario = "unexpected_response"
    proxied = client.get(f"{halo.url}/api/Tickets", headers=headers)
    assert proxied.status_code == 200 and proxied.headers["Content-Type"].startswith("text/html")


def test_unknown_paths_and_writes(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo)
    for path in ("/api/Nothing", "/", "/portal/"):
        reply = client.get(halo.url + path, headers=headers)
        assert (reply.status_code, reply.content) == (404, b"")
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        reply = client.request(method, f"{halo.url}/api/Tickets", headers=headers, json=[{}])
        assert reply.status_code == 405
    writes = [r for r in halo.requests if r.method != "GET" and r.path.startswith("/api/")]
    assert [r.method for r in writes] == ["POST", "PUT", "DELETE", "PATCH"]


# Who the token acts as


def test_agent_me(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo, "read:tickets")
    agent = client.get(f"{halo.url}/api/Agent/me", headers=headers).json()
    assert list(agent)[:6] == ["id", "name", "email", "isapiagent", "is_admin", "isdisabled"]
    assert (agent["id"], agent["isapiagent"], agent["is_admin"]) == (42, True, False)
    assert agent["roles"] and agent["teams"] and agent["claims"]


def test_human_admin_agent(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "human_admin_agent"
    token = request_token(client, halo).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    agent = client.get(f"{halo.url}/api/agent/ME", headers=headers).json()
    assert (agent["id"], agent["name"], agent["isapiagent"], agent["is_admin"]) == (
        7, "Sam Carter", False, True,
    )  # fmt: skip
    assert jwt_claims(token["id_token"])["name"] == "Sam Carter"


def test_application_identity(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "application_identity"
    token = request_token(client, halo).json()
    claims = jwt_claims(token["id_token"])
    assert claims["sub"] == claims["client_id"] == halo.client_id
    assert "name" not in claims and "email" not in claims
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = client.get(f"{halo.url}/api/Agent/me", headers=headers)
    assert (me.status_code, me.content) == (404, b"")
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200


def test_huge_agent(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "huge_agent"
    headers = access(client, halo)
    reply = client.get(f"{halo.url}/api/Agent/me", headers=headers)
    assert reply.status_code == 200
    assert int(reply.headers["Content-Length"]) == len(reply.content) > 2_500_000
    agent = reply.json()
    assert list(agent)[:5] == ["id", "name", "email", "isapiagent", "is_admin"]
    assert len(agent["claims"]) > 10_000


# Rate limits


def test_rate_limited(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "rate_limited"
    assert client.get(f"{halo.url}/api/authinfo").status_code == 200
    headers = access(client, halo)
    for path in ("/api/Tickets", "/api/Agent/me"):
        reply = client.get(halo.url + path, headers=headers)
        # Halo was never seen sending Retry-After.
        assert reply.status_code == 429 and "Retry-After" not in reply.headers
        assert reply.headers["Content-Type"].startswith("text/plain")
        assert reply.text == "Rate Limit Reached - 300 Requests per rolling 5 minute window"


def test_rate_limited_briefly(halo: SimulatedHalo, client: Client) -> None:
    halo.scenario = "rate_limited_briefly"
    headers = access(client, halo)
    statuses = [
        client.get(halo.url + path, headers=headers).status_code
        for path in ("/api/Tickets", "/api/Tickets", "/api/Client", "/api/Client")
    ]
    assert statuses == [429, 200, 429, 200]
    first = client.get(f"{halo.url}/api/Asset", headers=headers)
    assert first.headers["Retry-After"] == "1"  # this scenario keeps it (inferred)
    other = access(client, halo)
    assert client.get(f"{halo.url}/api/Tickets", headers=other).status_code == 429


def test_instance_wide_rate_limit(halo: SimulatedHalo, client: Client) -> None:
    halo.rate_limit_requests = 3
    statuses = [client.get(f"{halo.url}/api/authinfo").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    reply = client.get(f"{halo.url}/api/Tickets")
    assert reply.text.startswith("Rate Limit Reached - 3 Requests per rolling")
    assert "Retry-After" not in reply.headers
    halo.scenario = "rate_limited_briefly"
    assert int(client.get(f"{halo.url}/api/authinfo").headers["Retry-After"]) >= 1


# Recording and switching


def test_requests_are_recorded(halo: SimulatedHalo, client: Client) -> None:
    before = time.monotonic()
    request_token(client, halo, "read:tickets")
    client.get(f"{halo.url}/api/Tickets", params={"pageinate": "true", "page_size": "1"})
    token_request, probe_request = halo.requests
    assert isinstance(token_request, RecordedRequest)
    assert (token_request.method, token_request.path) == ("POST", "/auth/token")
    assert token_request.query == {"tenant": "acme"}
    assert token_request.form == {
        "grant_type": "client_credentials",
        "client_id": halo.client_id,
        "client_secret": halo.client_secret,
        "scope": "read:tickets",
    }
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert all(name == name.lower() for name in token_request.headers)
    assert token_request.listener == "agent"
    assert probe_request.path == "/api/Tickets" and probe_request.form == {}
    assert probe_request.query == {"pageinate": "true", "page_size": "1"}
    assert before <= token_request.time <= probe_request.time <= time.monotonic()


def test_scenario_switches_while_running(halo: SimulatedHalo, client: Client) -> None:
    headers = access(client, halo)
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200
    halo.scenario = "not_halo"
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).text.startswith("<!DOCTYPE")
    halo.scenario = "healthy"
    # A token issued before the switch is still valid afterwards.
    assert client.get(f"{halo.url}/api/Tickets", headers=headers).status_code == 200
    with pytest.raises(ValueError):
        halo.scenario = "no_such_scenario"
    assert halo.scenario == "healthy"


# Connection mechanics


def test_keep_alive_reuses_one_connection(
    halo: SimulatedHalo, tls: tuple[ssl.SSLContext, str]
) -> None:
    context = ssl.create_default_context(cafile=tls[1])
    connection = http.client.HTTPSConnection("localhost", int(halo.url.rsplit(":", 1)[1]),
                                             context=context, timeout=5)  # fmt: skip
    try:
        sockets = set()
        for path in ("/api/authinfo", "/missing", "/api/instanceinfo"):
            connection.request("GET", path)
            reply = connection.getresponse()
            reply.read()
            assert reply.status in (200, 404)
            sockets.add(id(connection.sock))
        assert len(sockets) == 1 and connection.sock is not None
    finally:
        connection.close()


def test_latency_delays_answers(halo: SimulatedHalo, client: Client) -> None:
    halo.latency_ms = 300
    started = time.monotonic()
    assert client.get(f"{halo.url}/api/authinfo").status_code == 200
    assert time.monotonic() - started >= 0.28
    halo.latency_ms = 0
    started = time.monotonic()
    client.get(f"{halo.url}/api/authinfo")
    assert time.monotonic() - started < 0.25


def test_bad_tls_clients_neither_block_nor_print(
    halo: SimulatedHalo, client: Client, capfd: pytest.CaptureFixture[str]
) -> None:
    host, port = "localhost", int(halo.url.rsplit(":", 1)[1])
    with socket.create_connection((host, port), timeout=5):  # connects, never handshakes
        with Client(True) as untrusting, pytest.raises(requests.exceptions.SSLError):
            untrusting.get(f"{halo.url}/api/authinfo")
        started = time.monotonic()
        assert client.get(f"{halo.url}/api/authinfo").status_code == 200
        assert time.monotonic() - started < 1
    time.sleep(0.1)
    assert capfd.readouterr().err == ""


@pytest.mark.timeout(10)
def test_stop_is_prompt_while_a_request_hangs() -> None:
    halo = SimulatedHalo("never_answers")
    halo.start()
    outcome: list[BaseException | requests.Response] = []

    def call() -> None:
        try:
            with Client(True) as plain:
                outcome.append(plain.get(f"{halo.url}/api/authinfo", timeout=8))
        except BaseException as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    wait_for(lambda: len(halo.requests) == 1)
    time.sleep(0.2)
    assert caller.is_alive() and not outcome  # still waiting for an answer
    started = time.monotonic()
    halo.stop()
    assert time.monotonic() - started < 2
    caller.join(3)
    assert not caller.is_alive()
    assert isinstance(outcome[0], requests.ConnectionError)
    halo.stop()  # idempotent


@pytest.mark.timeout(10)
def test_drip_sends_headers_then_one_byte_at_a_time(
    tls: tuple[ssl.SSLContext, str], client: Client
) -> None:
    halo = SimulatedHalo("drip", tls=tls[0], public_host="localhost")
    halo.start()
    try:
        started = time.monotonic()
        reply = client.get(f"{halo.url}/api/authinfo", stream=True)
        assert time.monotonic() - started < 0.4
        expected = json.dumps({"auth_url": f"{halo.url}/auth/", "tenant_id": "acme"})
        assert int(reply.headers["Content-Length"]) == len(expected.replace(" ", ""))
        assert reply.raw.read(1) == b"{"
        assert time.monotonic() - started >= 0.45
        started = time.monotonic()
        halo.stop()
        assert time.monotonic() - started < 2
        with pytest.raises(requests.exceptions.RequestException):
            reply.content  # noqa: B018
        reply.close()
    finally:
        halo.stop()


def test_start_only_once_and_context_manager(tls: tuple[ssl.SSLContext, str]) -> None:
    halo = SimulatedHalo()
    with pytest.raises(RuntimeError):
        _ = halo.url
    with halo:
        assert halo.url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            halo.start()
    halo.stop()


def test_simulate_list_marks_the_scenarios_that_rest_on_inference() -> None:
    import argparse
    import io

    from wizard.cli import simulate

    out = io.StringIO()
    assert simulate.run(argparse.Namespace(list=True), out) == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if line}
    for name, data in SCENARIO_DATA.items():
        marked = rows[name][0] == "inferred"
        assert marked is data.inferred, name
    assert "inferred:" in rows and "reasoned out" in out.getvalue()
