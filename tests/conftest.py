"""Shared fixtures: a real CA, and simulated Halo instances served over real TLS on loopback."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from wizard.core import CheckReport, CheckRequest, run_check_sync
from wizard.sim import SimulatedHalo


@pytest.fixture(scope="session", autouse=True)
def _log_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every halo-wizard started by a test logs into a temporary folder, not the user's."""
    previous = os.environ.get("HALO_WIZARD_LOG_DIR")
    os.environ["HALO_WIZARD_LOG_DIR"] = str(tmp_path_factory.mktemp("logs"))
    yield
    if previous is None:
        del os.environ["HALO_WIZARD_LOG_DIR"]
    else:
        os.environ["HALO_WIZARD_LOG_DIR"] = previous


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Halo wizard test CA")


@pytest.fixture(scope="session")
def ca_bundle(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def server_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture(scope="session")
def tls_context(ca: trustme.CA) -> ssl.SSLContext:
    return server_context(ca, "localhost", "127.0.0.1")


HaloFactory = Callable[..., SimulatedHalo]


@pytest.fixture
def start_halo(tls_context: ssl.SSLContext) -> Iterator[HaloFactory]:
    """Start a simulated Halo over HTTPS at https://localhost:PORT; stopped after the test."""
    started: list[SimulatedHalo] = []

    def start(scenario: str = "healthy", **kwargs: object) -> SimulatedHalo:
        kwargs.setdefault("tls", tls_context)
        kwargs.setdefault("public_host", "localhost")
        halo = SimulatedHalo(scenario, **kwargs)  # type: ignore[arg-type]
        halo.start()
        started.append(halo)
        return halo

    yield start
    for halo in started:
        halo.stop()


@pytest.fixture
def halo(start_halo: HaloFactory) -> SimulatedHalo:
    return start_halo("healthy")


DEFAULT_SCOPES = "read:tickets read:customers read:assets"


def check(halo: SimulatedHalo, ca_bundle: str | None, **overrides: object) -> CheckReport:
    """Check the connection to `halo` as an admin who entered its details would."""
    fields: dict[str, object] = {
        "host": halo.url,
        "client_id": halo.client_id,
        "client_secret": halo.client_secret,
        "scopes": DEFAULT_SCOPES,
        "ca_bundle": ca_bundle,
        "timeout": 5.0,
    }
    fields.update(overrides)
    return run_check_sync(CheckRequest(**fields))  # type: ignore[arg-type]


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
