"""The simulator's override hook: a test replaces one path's answer, down to the raw bytes."""

from __future__ import annotations

import socket
import struct
import time

import pytest
import requests

from wizard.sim import RecordedRequest, SimulatedHalo
from wizard.sim.server import Reply


def _raw_exchange(halo: SimulatedHalo, path: str) -> tuple[bytes, bool]:
    """Send a GET for `path` on a plain socket; everything that came back, and whether the
    connection ended with a reset."""
    port = int(halo.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=3.0) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return received, True
            if not chunk:
                return received, False
            received += chunk


def test_override_sees_the_request_and_the_scenarios_answer_and_replaces_it() -> None:
    seen: list[tuple[str, int]] = []

    def override(request: RecordedRequest, healthy: Reply) -> Reply:
        seen.append((request.path, healthy.status))
        if request.path == "/api/authinfo":
            return Reply(503, b"down", {"Content-Type": "text/plain"})
        return healthy

    with SimulatedHalo(override=override) as halo:
        replaced = requests.get(halo.url + "/api/authinfo", timeout=5)
        untouched = requests.get(halo.url + "/api/instanceinfo", timeout=5)
    assert (replaced.status_code, replaced.text) == (503, "down")
    assert untouched.status_code == 200 and untouched.json()["app_name"] == "Halo PSA"
    assert seen == [("/api/authinfo", 200), ("/api/instanceinfo", 200)]
    assert [r.path for r in halo.requests] == ["/api/authinfo", "/api/instanceinfo"]


def test_raw_bytes_are_sent_exactly_as_given_then_the_connection_closes() -> None:
    data = b"not HTTP at all\r\n"
    with SimulatedHalo(override=lambda request, healthy: Reply(0, raw=data)) as halo:
        received, reset = _raw_exchange(halo, "/api/authinfo")
    assert received == data
    assert not reset


def test_reset_ends_the_connection_with_a_tcp_reset_after_the_answer() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf"
    with SimulatedHalo(override=lambda request, healthy: Reply(0, raw=data, reset=True)) as halo:
        received, reset = _raw_exchange(halo, "/api/authinfo")
    assert received == data
    assert reset


def test_raw_bytes_drip_when_asked() -> None:
    data = b"HTTP/1.1 200 OK\r\n"
    with SimulatedHalo(override=lambda request, healthy: Reply(0, raw=data, drip_s=0.05)) as halo:
        started = time.monotonic()
        received, _ = _raw_exchange(halo, "/api/authinfo")
        elapsed = time.monotonic() - started
    assert received == data
    assert elapsed >= 0.05 * len(data) * 0.8


@pytest.mark.parametrize("raw", [None, b"HTTP/1.1 200 OK\r\n"])
def test_stopping_the_simulator_interrupts_a_dripping_answer(raw: bytes | None) -> None:
    reply = Reply(200, b"x" * 1000, drip_s=1.0, raw=raw)
    halo = SimulatedHalo(override=lambda request, healthy: reply)
    halo.start()
    port = int(halo.url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=5.0)
    sock.sendall(b"GET /api/authinfo HTTP/1.1\r\nHost: localhost\r\n\r\n")
    time.sleep(0.2)
    started = time.monotonic()
    halo.stop()
    assert time.monotonic() - started < 2.0
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
