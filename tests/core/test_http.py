"""The HTTP transport and the check's network behaviour, against the simulated Halo over real
sockets and real TLS: trust, proxies, size caps, deadlines and how failures are named."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
import requests
import trustme
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DEFAULT_SCOPES, HaloFactory, check
from tests.faults.server import RawServer
from wizard.core import CheckRequest, run_check_sync
from wizard.core.http import NetworkError, Response, Transport, TransportOptions, classify
from wizard.sim import SimulatedHalo

CLOSED_PROXY = "http://127.0.0.1:1"
PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)


@pytest.fixture
def transport(ca_bundle: str) -> Iterator[Transport]:
    client = Transport(TransportOptions(timeout=5.0, ca_bundle=ca_bundle))
    yield client
    client.close()


@pytest.fixture
def other_ca_bundle(tmp_path: Path) -> str:
    """A bundle of a real CA that did not sign the simulator's certificate."""
    path = tmp_path / "other-ca.pem"
    trustme.CA(organization_name="Some other CA").cert_pem.write_to_path(str(path))
    return str(path)


def _failure(url: str, timeout: float = 5.0) -> NetworkError:
    """The NetworkError a real request to `url` ends in."""
    client = Transport(TransportOptions(timeout=timeout))
    try:
        with pytest.raises(NetworkError) as caught:
            client.get(url)
    finally:
        client.close()
    return caught.value


class HeaderDripServer(RawServer):
    """A real plain-HTTP server on loopback that sends its status line, then its headers one
    byte every 0.3 s, never finishing them: a case the simulator has no scenario for."""

    def __init__(self) -> None:
        self._done = threading.Event()
        super().__init__(self._drip)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._done.set()
        super().__exit__(exc_type, exc, traceback)

    def _drip(self, connection: socket.socket) -> bytes:
        try:
            connection.settimeout(1.0)
            request = connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self._done.wait(0.3):
                connection.sendall(b"x")
        except OSError:
            return b""
        return request


def _codes(report: object) -> list[str]:
    return report.codes()  # type: ignore[attr-defined,no-any-return]


# ----- trust: the OS store plus the explicit bundle, nothing from the environment -----


def test_explicit_ca_bundle_wins_over_ca_bundle_environment_variables(
    start_halo: HaloFactory, ca_bundle: str, other_ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", other_ca_bundle)
    monkeypatch.setenv("CURL_CA_BUNDLE", other_ca_bundle)
    halo = start_halo("healthy")
    report = check(halo, ca_bundle)
    assert report.ok, _codes(report)
    assert "TLS_UNTRUSTED" not in _codes(report)
    assert report.identity is not None and report.identity.name == "Integration API"


def test_requests_ca_bundle_variable_alone_does_not_make_a_server_trusted(
    start_halo: HaloFactory, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The variable points at the very CA that signed the simulator; by design only the OS
    # store and the bundle given to the check are trusted.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_bundle)
    monkeypatch.setenv("CURL_CA_BUNDLE", ca_bundle)
    halo = start_halo("healthy")
    report = check(halo, None)
    assert not report.ok
    assert "TLS_UNTRUSTED" in _codes(report)
    # Nothing was sent over the untrusted connection: no token request, no secret.
    assert halo.requests == []


# ----- proxies -----


@pytest.mark.parametrize("public_host", ["localhost", "127.0.0.1"])
def test_proxy_in_the_environment_is_not_used_for_loopback_hosts(
    start_halo: HaloFactory, ca_bundle: str, monkeypatch: pytest.MonkeyPatch, public_host: str
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, CLOSED_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    halo = start_halo("healthy", public_host=public_host)
    report = check(halo, ca_bundle)
    assert report.ok, _codes(report)
    assert halo.requests, "the simulator was not reached directly"


def test_proxy_in_the_environment_is_used_for_other_hosts(
    ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name is never looked up here: it goes to the (closed) proxy, which is reported.
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, CLOSED_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    report = run_check_sync(
        CheckRequest(
            host="https://halo-wizard-test.invalid",
            client_id="5b1a2c6e-8f21-4d5c-9e0b-1c2d3e4f5a6b",
            client_secret=secrets.token_urlsafe(24),
            scopes=DEFAULT_SCOPES,
            ca_bundle=ca_bundle,
            timeout=5.0,
        )
    )
    assert "DNS_FAILED" not in _codes(report)
    failed = [f for f in report.findings if f.code == "CONNECT_FAILED"]
    assert failed and "proxy" in failed[0].detail.lower()


# ----- size caps -----


def test_body_longer_than_the_cap_is_cut_and_marked_truncated(
    halo: SimulatedHalo, transport: Transport
) -> None:
    url = halo.url + "/api/instanceinfo"
    full = transport.get(url)
    assert full.status == 200 and not full.truncated and len(full.body) > 200
    cut = transport.get(url, max_bytes=100)
    assert cut.status == 200
    assert cut.truncated
    assert cut.body == full.body[:100]
    # A cut JSON body is never half-parsed.
    assert full.json() is not None and cut.json() is None


def test_body_shorter_than_the_cap_is_not_marked_truncated(
    halo: SimulatedHalo, transport: Transport
) -> None:
    url = halo.url + "/api/instanceinfo"
    size = len(transport.get(url).body)
    answer = transport.get(url, max_bytes=size + 1)
    assert not answer.truncated and len(answer.body) == size
    assert isinstance(answer.json(), dict)


def test_body_exactly_as_long_as_the_cap_is_complete(
    halo: SimulatedHalo, transport: Transport
) -> None:
    url = halo.url + "/api/instanceinfo"
    size = len(transport.get(url).body)
    answer = transport.get(url, max_bytes=size)
    assert len(answer.body) == size
    assert not answer.truncated
    assert isinstance(answer.json(), dict)


def test_huge_agent_record_still_names_the_agent(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo = start_halo("huge_agent")
    report = check(halo, ca_bundle)
    assert report.ok, _codes(report)
    assert report.identity is not None
    assert report.identity.kind == "agent"
    assert report.identity.name == "Integration API"
    assert report.identity.id == 42
    assert report.identity.api_only is True
    acts_as = next(f for f in report.findings if f.code == "ACTS_AS_AGENT")
    assert "Integration API" in acts_as.title


# ----- deadlines -----


@pytest.mark.parametrize("scenario", ["drip", "never_answers"])
def test_server_too_slow_to_answer_gives_timeout_without_hanging(
    start_halo: HaloFactory, ca_bundle: str, scenario: str
) -> None:
    halo = start_halo(scenario)
    timeout = 1.0
    started = time.monotonic()
    report = check(halo, ca_bundle, timeout=timeout)
    elapsed = time.monotonic() - started
    assert "TIMEOUT" in _codes(report)
    assert not report.ok
    assert elapsed < timeout + 3.0, elapsed


def test_transport_gives_up_on_a_dripping_body_at_its_deadline(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("drip")
    timeout = 1.0
    outcome: dict[str, object] = {}

    def fetch() -> None:
        client = Transport(TransportOptions(timeout=timeout, ca_bundle=ca_bundle))
        try:
            outcome["answer"] = client.get(halo.url + "/api/authinfo")
        except Exception as exc:  # the thread must not die with an unhandled exception
            outcome["answer"] = exc
        finally:
            outcome["seconds"] = time.monotonic() - started
            client.close()

    started = time.monotonic()
    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(timeout + 4.0)
    # The simulator is stopped after the test, which releases a still-blocked request.
    assert not worker.is_alive(), "Transport.get still blocked after timeout + 4 s"
    answer = outcome["answer"]
    assert isinstance(answer, NetworkError) and answer.code == "TIMEOUT"


def test_server_dripping_its_headers_gives_timeout_without_hanging() -> None:
    timeout = 0.5
    with HeaderDripServer() as server:
        started = time.monotonic()
        report = run_check_sync(
            CheckRequest(
                host=server.url,
                client_id="5b1a2c6e-8f21-4d5c-9e0b-1c2d3e4f5a6b",
                client_secret=secrets.token_urlsafe(24),
                scopes="read:tickets",
                timeout=timeout,
            )
        )
        elapsed = time.monotonic() - started
    assert "TIMEOUT" in _codes(report)
    assert elapsed < timeout + 3.0, elapsed


def test_transport_gives_up_on_dripping_headers_at_its_deadline() -> None:
    timeout = 0.5
    outcome: dict[str, object] = {}
    with HeaderDripServer() as server:

        def fetch() -> None:
            client = Transport(TransportOptions(timeout=timeout))
            try:
                outcome["answer"] = client.get(server.url + "/api/authinfo")
            except Exception as exc:  # the thread must not die with an unhandled exception
                outcome["answer"] = exc
            finally:
                client.close()

        worker = threading.Thread(target=fetch, daemon=True)
        worker.start()
        worker.join(timeout + 2.5)
        still_blocked = worker.is_alive()
    # Leaving the block stopped the server, which releases a still-blocked request.
    assert not still_blocked, "Transport.get still blocked after timeout + 2.5 s"
    answer = outcome["answer"]
    assert isinstance(answer, NetworkError) and answer.code == "TIMEOUT"


# ----- naming network failures -----


def test_unknown_host_is_classified_as_dns_failure() -> None:
    error = _failure("https://halo-wizard-test.invalid/api/authinfo")
    assert isinstance(error.__cause__, requests.exceptions.RequestException)
    classified = classify(error.__cause__, "halo-wizard-test.invalid", 5.0)
    assert classified.code == "DNS_FAILED"
    assert error.code == "DNS_FAILED"


def test_closed_port_is_classified_as_connection_refused() -> None:
    error = _failure("https://127.0.0.1:1/api/authinfo")
    assert isinstance(error.__cause__, requests.exceptions.RequestException)
    classified = classify(error.__cause__, "127.0.0.1:1", 5.0)
    assert classified.code == "CONNECT_FAILED"
    assert "refused" in classified.reason
    assert classified.server == "127.0.0.1:1"


def test_plain_http_server_spoken_to_over_https_is_explained(start_halo: HaloFactory) -> None:
    halo = start_halo("healthy", tls=None, public_host="127.0.0.1")
    assert halo.url.startswith("http://")
    https_url = "https://" + halo.url.removeprefix("http://")
    error = _failure(https_url + "/api/authinfo")
    assert isinstance(error.__cause__, requests.exceptions.RequestException)
    classified = classify(error.__cause__, https_url.removeprefix("https://"), 5.0)
    assert classified.code == "CONNECT_FAILED"
    assert "HTTPS" in classified.reason


def test_plain_http_server_checked_over_https_reports_connect_failed(
    start_halo: HaloFactory,
) -> None:
    halo = start_halo("healthy", tls=None, public_host="127.0.0.1")
    report = check(halo, None, host="https://" + halo.url.removeprefix("http://"))
    failed = [f for f in report.findings if f.code == "CONNECT_FAILED"]
    assert failed and "HTTPS" in failed[0].detail


# ----- reading bodies (pure) -----


def _response(
    body: bytes, *, content_type: str = "application/json", truncated: bool = False
) -> Response:
    return Response(
        url="https://acme.halopsa.com/api/x",
        status=200,
        headers={"content-type": content_type},
        body=body,
        truncated=truncated,
    )


@pytest.mark.parametrize(
    ("body", "content_type", "truncated"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", False),
        (b"<html><head><title>Halo</title></head></html>", "application/json", False),
        (b"", "application/json", False),
        (b"   \r\n ", "application/json", False),
        (
            b'{"auth_url": "https://acme.halopsa.com/auth", "tenant_id": "acme"}',
            "application/json",
            True,
        ),
        (b'{"auth_url": "https://acme.hal', "application/json", True),
        (b"\xff\xfe not utf-8", "application/json", False),
        (b"{not json", "application/json", False),
    ],
    ids=[
        "html",
        "html-labelled-json",
        "empty",
        "whitespace",
        "complete-but-truncated",
        "cut-mid-string",
        "not-utf8",
        "broken-json",
    ],
)
def test_json_is_none_for_bodies_that_are_not_usable_json(
    body: bytes, content_type: str, truncated: bool
) -> None:
    assert _response(body, content_type=content_type, truncated=truncated).json() is None


def test_json_reads_a_body_with_a_byte_order_mark() -> None:
    body = b"\xef\xbb\xbf" + json.dumps({"tenant_id": "acme"}).encode()
    assert _response(body).json() == {"tenant_id": "acme"}


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(_json_values)
def test_json_round_trips_complete_bodies_and_refuses_truncated_ones(value: object) -> None:
    body = json.dumps(value).encode()
    assert _response(body).json() == value
    assert _response(body, truncated=True).json() is None


# ----- tokens and secrets -----


def test_every_check_asks_for_a_new_token(halo: SimulatedHalo, ca_bundle: str) -> None:
    first = check(halo, ca_bundle)
    second = check(halo, ca_bundle)
    assert first.ok and second.ok
    posts = [r for r in halo.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/auth/token", "/auth/token"]
    bearers = {
        r.headers["authorization"]
        for r in halo.requests
        if r.headers.get("authorization", "").lower().startswith("bearer ")
    }
    assert len(bearers) == 2, "the second check reused the first check's token"


@pytest.mark.parametrize(
    "secret",
    [
        secrets.token_urlsafe(32),
        f"{uuid.uuid4()}-{uuid.uuid4()}",
        'with "quotes" and\nline breaks',
    ],
    ids=["random", "halo-shaped", "odd-characters"],
)
def test_check_request_repr_does_not_show_the_secret(secret: str) -> None:
    request = CheckRequest(
        host="https://acme.halopsa.com",
        client_id="5b1a2c6e-8f21-4d5c-9e0b-1c2d3e4f5a6b",
        client_secret=secret,
        scopes="read:tickets",
    )
    for shown in (
        repr(request),
        str(request),
        f"{request}",
        repr([request]),
        repr({"request": request}),
    ):
        assert secret not in shown
        assert repr(secret) not in shown
    assert "acme.halopsa.com" in repr(request)
