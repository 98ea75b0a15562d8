"""How the transport names answers that are not valid HTTP, answers cut off part way, and
bodies that are bombs: against a real server on loopback that sends exactly these bytes."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator

import pytest

from tests.faults.server import (
    GARBAGE_STATUS_LINE,
    HUGE_HEADER_LINE,
    MANY_HEADER_LINES,
    deep_json,
    gzip_bomb,
)
from wizard.core.http import NetworkError, Response, Transport, TransportOptions
from wizard.core.idtoken import claims
from wizard.core.jsonprefix import top_level_fields
from wizard.sim import RecordedRequest, SimulatedHalo
from wizard.sim.server import Reply

PATH = "/api/authinfo"
Answer = Callable[[], Reply]


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], str]]:
    """Start a plain-HTTP simulated Halo whose /api/authinfo answers as told; its URL."""
    started: list[SimulatedHalo] = []

    def start(answer: Answer) -> str:
        def override(request: RecordedRequest, healthy: Reply) -> Reply:
            return answer() if request.path == PATH else healthy

        halo = SimulatedHalo(override=override)
        halo.start()
        started.append(halo)
        return halo.url + PATH

    yield start
    for halo in started:
        halo.stop()


def _failure(url: str, max_bytes: int = 64 * 1024) -> NetworkError:
    client = Transport(TransportOptions(timeout=3.0))
    try:
        with pytest.raises(NetworkError) as caught:
            client.get(url, max_bytes=max_bytes)
    finally:
        client.close()
    return caught.value


def _raw(data: bytes, *, reset: bool = False) -> Answer:
    return lambda: Reply(0, raw=data, reset=reset)


# ----- answers that are not HTTP -----


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (GARBAGE_STATUS_LINE, "its first line is not an HTTP status line"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", '"SSH-2.0-OpenSSH_9.6"'),
        (HUGE_HEADER_LINE, "a line of its headers was longer than 64 KB"),
        (MANY_HEADER_LINES, "more than 100 header lines"),
        (b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", "a protocol other than HTTP/1"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "chunks whose lengths could not be read",
        ),
    ],
    ids=["garbage", "ssh-banner", "huge-header-line", "many-headers", "http2-line", "chunks"],
)
def test_an_answer_that_is_not_valid_http_is_named_broken_http(
    serve: Callable[[Answer], str], data: bytes, reason: str
) -> None:
    error = _failure(serve(_raw(data)))
    assert error.code == "INVALID_HTTP"
    assert reason in error.reason
    assert "without answering" not in error.reason


def test_a_server_that_closes_without_a_word_is_still_not_broken_http(
    serve: Callable[[Answer], str],
) -> None:
    error = _failure(serve(_raw(b"")))
    assert error.code == "CONNECT_FAILED"
    assert "without answering" in error.reason


def test_a_garbled_compressed_answer_is_broken_http(serve: Callable[[Answer], str]) -> None:
    body = b'{"auth_url": "not compressed at all"}'
    error = _failure(serve(lambda: Reply(200, body, {"Content-Encoding": "gzip"})))
    assert error.code == "INVALID_HTTP"
    assert "could not be decompressed" in error.reason


# ----- answers cut off part way -----

_HALF = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"a'


def test_a_reset_in_the_middle_of_the_body_is_a_cut_answer(
    serve: Callable[[Answer], str],
) -> None:
    error = _failure(serve(_raw(_HALF, reset=True)))
    assert error.code == "CONNECTION_CUT"
    assert "reset in the middle of the answer" in error.reason


def test_a_body_shorter_than_announced_is_a_cut_answer(serve: Callable[[Answer], str]) -> None:
    error = _failure(serve(_raw(_HALF)))
    assert error.code == "CONNECTION_CUT"
    assert "only part of the answer" in error.reason


# ----- bodies that are bombs -----


def test_the_size_cap_applies_to_the_decompressed_body(serve: Callable[[Answer], str]) -> None:
    bomb = gzip_bomb()  # a few MB that would expand to 2 GiB
    url = serve(lambda: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    client = Transport(TransportOptions(timeout=5.0))
    started = time.monotonic()
    try:
        answer = client.get(url, max_bytes=100_000)
    finally:
        client.close()
    assert answer.truncated
    assert len(answer.body) == 100_000
    assert answer.json() is None
    assert time.monotonic() - started < 3.0


# ----- JSON nested thousands of levels deep -----


def test_json_nested_thousands_of_levels_deep_reads_as_no_json() -> None:
    answer = Response(
        url="https://acme.halopsa.com/api/x", status=200, headers={}, body=deep_json()
    )
    assert answer.json() is None


def test_id_token_claims_nested_thousands_of_levels_deep_read_as_none() -> None:
    payload = base64.urlsafe_b64encode(deep_json()).rstrip(b"=").decode()
    assert claims(f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln") == {}


def test_agent_fields_before_a_deeply_nested_one_are_kept() -> None:
    head = json.dumps({"id": 42, "name": "Integration API"})[:-1].encode()
    record = head + b', "claims": ' + deep_json() + b', "email": "x@example.com"}'
    assert top_level_fields(record) == {"id": 42, "name": "Integration API"}
