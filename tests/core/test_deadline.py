"""One deadline per request, and a cancelled check leaves no request behind it."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.faults.server import RawServer
from wizard.core import CheckRequest, run_check
from wizard.core.http import NetworkError, Transport, TransportOptions


class SilentServer:
    """Plain HTTP on loopback that reads each request and never answers; it notes when the
    client closes each connection."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.accepted = threading.Event()
        self.open_connections = 0
        self.closed_at: list[float] = []
        self._raw = RawServer(self._hold)
        self._raw.__enter__()
        self.url = self._raw.url

    def _hold(self, connection: socket.socket) -> bytes:
        with self._lock:
            self.open_connections += 1
        self.accepted.set()
        connection.settimeout(0.1)
        while not self._stop.is_set():
            try:
                if connection.recv(4096) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        with self._lock:
            self.open_connections -= 1
            self.closed_at.append(time.monotonic())
        return b""

    def close(self) -> None:
        self._stop.set()
        self._raw.__exit__(None, None, None)


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_a_cancelled_check_closes_its_connections_at_once(silent: SilentServer) -> None:
    request = CheckRequest(
        host=silent.url, client_id="id", client_secret="s" * 20, scopes="read:tickets", timeout=30
    )

    async def cancel_while_waiting() -> float:
        task = asyncio.ensure_future(run_check(request))
        await asyncio.get_running_loop().run_in_executor(None, silent.accepted.wait, 5.0)
        await asyncio.sleep(0.2)  # both discovery requests are on the wire by now
        cancelled_at = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return cancelled_at

    cancelled_at = asyncio.run(cancel_while_waiting())
    deadline = time.monotonic() + 2.0
    while silent.open_connections and time.monotonic() < deadline:
        time.sleep(0.02)
    assert silent.open_connections == 0, "a request outlived its cancelled check"
    assert max(silent.closed_at) - cancelled_at < 1.0


def test_closing_the_transport_ends_a_request_waiting_for_an_answer(
    silent: SilentServer,
) -> None:
    transport = Transport(TransportOptions(timeout=30))
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            transport.get(silent.url + "/api/authinfo")
        except BaseException as exc:  # recorded for the assertion below
            failure.append(exc)

    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    assert silent.accepted.wait(5.0)
    time.sleep(0.2)
    started = time.monotonic()
    transport.close()
    worker.join(timeout=5.0)
    assert not worker.is_alive() and time.monotonic() - started < 1.0
    assert failure and isinstance(failure[0], NetworkError)
