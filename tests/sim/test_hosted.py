"""The simulated Halo under a hosted name (the demo's acme.halopsa.com), reached through a
real transport told its routes, over real TLS with a certificate made for those names."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from cryptography import x509

from wizard.core import CheckRequest, run_check_sync
from wizard.core.http import NetworkError, Transport, TransportOptions
from wizard.core.model import LocalRoutes
from wizard.sim.halo import HostedHalo, PublicNames
from wizard.sim.tls import SimCA


@pytest.fixture(scope="module")
def halo() -> Iterator[HostedHalo]:
    with HostedHalo("healthy") as running:
        yield running


def routes_of(halo: HostedHalo) -> LocalRoutes:
    return LocalRoutes(halo.routes, halo.ca_pem)


def check(halo: HostedHalo, host: str, **request: str) -> list[str]:
    report = run_check_sync(
        CheckRequest(
            host=host,
            client_id=request.get("client_id", halo.client_id),
            client_secret=request.get("client_secret", halo.client_secret),
            scopes="read:tickets",
            timeout=5.0,
            routes=routes_of(halo),
        )
    )
    return report.codes()


def test_routes_match_a_name_and_any_name_under_a_routed_domain() -> None:
    routes = LocalRoutes({"acme.halopsa.com": 1001, "*.halopsa.com": 1002})
    assert routes.port_for("acme.halopsa.com") == 1001
    assert routes.port_for("ACME.halopsa.com.") == 1001
    assert routes.port_for("acmee.halopsa.com") == 1002
    assert routes.port_for("a.b.halopsa.com") == 1002
    assert routes.port_for("halopsa.com") is None
    assert routes.port_for("acme.halopsa.com.evil.example") is None
    assert routes.port_for("acme.haloitsm.com") is None


def test_the_simulator_presents_its_hosted_name_and_a_certificate_for_it(halo: HostedHalo) -> None:
    assert halo.url == "https://acme.halopsa.com"
    assert halo.auth_url == "https://acme.halopsa.com/auth"
    names = x509.load_pem_x509_certificate(halo.ca_pem.encode()).subject.rfc4514_string()
    assert "Simulated Halo demo CA" in names


def test_a_check_of_the_hosted_name_works_over_verified_tls(halo: HostedHalo) -> None:
    before = len(halo.requests)
    codes = check(halo, "acme.halopsa.com")
    assert "TENANT_DETECTED" in codes and not {"NOT_HALO", "TLS_UNTRUSTED"} & set(codes)
    hosts = {request.headers.get("host") for request in halo.requests[before:]}
    assert hosts == {"acme.halopsa.com"}


def test_another_subdomain_answers_as_halos_cloud_does_for_a_mistyped_name(
    halo: HostedHalo,
) -> None:
    assert check(halo, "https://acmee.halopsa.com/") == ["NOT_HALO"]
    assert check(halo, "acme.haloitsm.com") == ["NOT_HALO"]


def test_a_name_two_levels_down_is_not_covered_by_the_certificate(halo: HostedHalo) -> None:
    assert "TLS_HOSTNAME_MISMATCH" in check(halo, "acme.acme.halopsa.com")


def test_another_port_of_a_hosted_name_refuses_the_connection(halo: HostedHalo) -> None:
    transport = Transport(TransportOptions(timeout=3, routes=routes_of(halo)))
    try:
        with pytest.raises(NetworkError) as error:
            transport.get("https://acme.halopsa.com:8443/api/authinfo")
    finally:
        transport.close()
    assert error.value.code == "CONNECT_FAILED"
    assert "refused" in error.value.reason


def test_without_the_demos_authority_its_certificate_is_not_trusted(halo: HostedHalo) -> None:
    untrusting = LocalRoutes(halo.routes, SimCA().cert_pem)  # another run's authority
    transport = Transport(TransportOptions(timeout=3, routes=untrusting))
    try:
        with pytest.raises(NetworkError) as error:
            transport.get("https://acme.halopsa.com/api/authinfo")
    finally:
        transport.close()
    assert error.value.code == "TLS_UNTRUSTED"


def test_a_routed_name_never_goes_through_the_computers_proxy(
    halo: HostedHalo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy that does not exist: a request sent through it would fail.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    assert "TENANT_DETECTED" in check(halo, "acme.halopsa.com")


def test_a_trial_signs_in_on_its_shared_regional_host() -> None:
    with HostedHalo("trial") as trial:
        report = run_check_sync(
            CheckRequest(
                host="acme.halopsa.com",
                client_id=trial.client_id,
                client_secret=trial.client_secret,
                scopes="read:tickets",
                timeout=5.0,
                routes=LocalRoutes(trial.routes, trial.ca_pem),
            )
        )
    assert report.ok, report.codes()
    assert report.auth_url == "https://uk-trial.halopsa.com"
    token = [r for r in trial.requests if r.listener == "auth"]
    assert token and token[0].headers["host"] == "uk-trial.halopsa.com"


def test_a_wrong_secret_on_the_hosted_name_reads_as_on_a_real_instance(halo: HostedHalo) -> None:
    assert "INVALID_CLIENT" in check(halo, "acme.halopsa.com", client_secret=secrets.token_hex(20))


def test_names_without_tls_are_refused() -> None:
    from wizard.sim import SimulatedHalo

    with pytest.raises(ValueError, match="HTTPS"):
        SimulatedHalo("healthy", names=PublicNames())
