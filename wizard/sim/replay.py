"""A Halo replayed from a support trace (`check --record`, docs/trace.md): each request is
answered as Halo answered it when the trace was recorded.

A request is matched by its server, method, path and the names of its query parameters
(then, failing that, by server, method and path); the recorded answers of one request are
given in the order recorded, the last one again once they run out. An answer has the
recorded status and headers, and a body made from the recorded shape: a string becomes
placeholder text, a number 0 (a kept value, such as record_count, itself), a list one
element of each recorded shape, an id_token a JWT with the recorded claims. The token
answer has the recorded scope string. Any client secret or key is accepted: the token
request is answered as Halo answered the recorded one.

Like the rest of wizard/sim, this imports nothing of the program itself: the trace's format
is read here from its documentation (docs/trace.md), not from wizard/core/trace.py.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from pathlib import Path
from ssl import SSLContext
from types import TracebackType
from typing import Any, Self

from .server import RecordedRequest, Reply, Served

FORMAT = "halo-wizard-trace"
VERSIONS = (1,)
MAX_FILE_BYTES = 32 * 1024 * 1024

INSTANCE = "instance"
JWT = "$jwt"
CLIENT_ID = "{client_id}"
# How a trace names a server: "{instance}", "{host1}"...
_SERVER = re.compile(r"\{(instance|host[0-9]+)\}")
# What a recorded network failure is replayed as; the others (a name that does not resolve,
# a certificate refused) cannot be made by a server on this computer: it closes the
# connection instead, which the check reports as a failed connection.
REPLAYABLE_ERRORS = frozenset({"TIMEOUT", "CONNECT_FAILED", "CONNECTION_CUT", "INVALID_HTTP"})
# Headers given as recorded, in the case Halo's answers use.
_HEADER_NAMES = {
    "content-type": "Content-Type",
    "retry-after": "Retry-After",
    "www-authenticate": "WWW-Authenticate",
    "location": "Location",
    "allow": "Allow",
    "cache-control": "Cache-Control",
}


class ReplayError(Exception):
    """A file that is not a trace this program can replay; the message says why."""


def load(path: str | Path) -> dict[str, Any]:
    """Read and check a trace file; ReplayError says what is wrong with it."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReplayError(f"{path}: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReplayError(f"{path} is far too large for a trace.")
    try:
        trace = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReplayError(f"{path} is not a trace: it is not JSON.") from None
    return check(trace, str(path))


def check(trace: object, name: str = "the trace") -> dict[str, Any]:
    """`trace` if it is a trace this program can replay, else ReplayError."""
    if not isinstance(trace, dict) or trace.get("format") != FORMAT:
        raise ReplayError(f"{name} is not a trace written by `halo-wizard check --record`.")
    if trace.get("version") not in VERSIONS:
        raise ReplayError(
            f"{name} is a trace of version {trace.get('version')!r}; this program replays "
            f"version {', '.join(map(str, VERSIONS))}. Use a newer halo-wizard."
        )
    exchanges = trace.get("exchanges")
    if not isinstance(exchanges, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("request"), dict)
        and isinstance(e.get("answer"), dict)
        for e in exchanges
    ):
        raise ReplayError(f"{name} is damaged: its exchanges cannot be read.")
    if not isinstance(trace.get("check"), dict):
        raise ReplayError(f"{name} is damaged: it does not say what was checked.")
    return trace


def _key(server: str, method: str, path: str, query: object) -> tuple[str, str, str, str]:
    names = sorted(k.lower() for k in query) if isinstance(query, Mapping) else []
    return server, method.upper(), path.lower().rstrip("/") or "/", "&".join(names)


class ReplayedHalo(Served):
    """Serves a trace: one listener for the instance, and one for each other server the
    recorded check sent requests to (a trial's sign-in host, a separate auth server)."""

    def __init__(
        self,
        trace: Mapping[str, Any],
        *,
        bind: str = "127.0.0.1",
        port: int = 0,
        public_host: str = "127.0.0.1",
        tls: SSLContext | None = None,
        latency_ms: int = 0,
    ) -> None:
        self.trace = check(dict(trace))
        super().__init__(bind, tls)
        self._port = port
        self._public_host = public_host
        self.latency_ms = latency_ms
        # Every request received, and those no recorded one matched ("METHOD path").
        self.requests: list[RecordedRequest] = []
        self.unmatched: list[str] = []
        self._answers: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        self._given: dict[tuple[str, ...], int] = {}
        servers = [INSTANCE]
        for exchange in self.trace["exchanges"]:
            request, answer = exchange["request"], exchange["answer"]
            server = str(request.get("server") or INSTANCE)
            servers.append(server)
            full = _key(
                server,
                str(request.get("method") or "GET"),
                str(request.get("path") or "/"),
                request.get("query"),
            )
            for key in (full, full[:3]):
                self._answers.setdefault(key, []).append(answer)
        self._servers = list(dict.fromkeys(servers))

    # ----- lifecycle -----

    def start(self) -> None:
        """Listen for each server the recorded check reached; returns once they listen."""
        self._serve((server, self._port if server == INSTANCE else 0) for server in self._servers)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ----- what users see -----

    @property
    def url(self) -> str:
        """The instance's address: what the check is given as --host."""
        return self._server_url(INSTANCE)

    @property
    def client_id(self) -> str:
        """The recorded Client ID (a fixed one when the trace holds none)."""
        given = self.trace["check"].get("client_id")
        return given if isinstance(given, str) and given else "00000000-0000-0000-0000-000000000000"

    @property
    def uses_assertion(self) -> bool:
        """Whether the recorded check signed with a private key instead of a secret."""
        return bool(self.trace["check"].get("credential") == "private key")

    @property
    def result(self) -> Mapping[str, Any]:
        """What the recorded check found: ok, codes, scopes, identity."""
        found = self.trace.get("result")
        return found if isinstance(found, Mapping) else {}

    def check_arguments(self) -> list[str]:
        """The `halo-wizard check` arguments that test the replay as the trace was recorded
        (the CA bundle, the secret or the key left to the caller)."""
        given = self.trace["check"]
        arguments = ["--host", self.url, "--client-id", self.client_id]
        scopes = given.get("scopes")
        if isinstance(scopes, list) and scopes:
            arguments += ["--scopes", " ".join(str(s) for s in scopes)]
        for option, name in (("--tenant", "tenant"), ("--for", "tool")):
            value = given.get(name)
            if isinstance(value, str) and value:
                arguments += [option, value]
        auth_url = given.get("auth_url")
        if isinstance(auth_url, str) and auth_url:
            arguments += ["--auth-url", self._fill(auth_url)]
        timeout = given.get("timeout")
        if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
            arguments += ["--timeout", f"{timeout:g}"]
        return arguments

    def describe(self, name: str = "the trace") -> str:
        trace = self.trace
        result = self.result
        codes = [str(c) for c in result.get("codes") or []]
        verdict = "works" if result.get("ok") else "problems"
        when = trace.get("recorded_at") or "at an unknown time"
        program = trace.get("program") or "halo-wizard"
        lines = [
            f"Replayed Halo from {name} (recorded {when} by {program}, `{trace.get('command')}`):",
            f"  {len(trace['exchanges'])} recorded requests; the recorded check found: {verdict}"
            + (f" ({', '.join(codes)})" if codes else ""),
            f"  URL:           {self.url if self._listeners else '(not started)'}",
            f"  Client ID:     {self.client_id}",
        ]
        if self.uses_assertion:
            lines.append(
                "  Method:        JWT Assertion (Services): any private key is accepted (the "
                "replay answers as Halo answered the recorded check)"
            )
        else:
            lines.append(
                "  Client secret: any: the replay answers every token request as Halo answered "
                "the recorded check's"
            )
        if self.latency_ms:
            lines.append(f"  Latency:       {self.latency_ms} ms per request")
        lost = sorted(
            {
                str(e["answer"].get("error"))
                for e in trace["exchanges"]
                if e["answer"].get("error") and e["answer"].get("error") not in REPLAYABLE_ERRORS
            }
        )
        domain = trace["check"].get("hosted_domain")
        if isinstance(domain, str) and domain:
            lines.append(
                f"  Recorded on:   a hosted Halo (*.{domain}); served here under this "
                "computer's name, so a finding about the address itself may differ"
            )
        if lost:
            lines.append(
                f"  Not replayable: {', '.join(lost)} (a server on this computer cannot make "
                "them); those requests find the connection closed instead."
            )
        return "\n".join(lines)

    # ----- answering -----

    def _server_url(self, server: str) -> str:
        listener = self._listeners.get(server)
        if listener is None:
            if server == INSTANCE:
                raise RuntimeError("the replay is not started")
            # A server the recorded check never sent to (an address Halo named): a name of
            # its own that is nobody's.
            return f"https://{server}.replay.invalid"
        host = self._public_host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{host}:{listener.port}"

    def _fill(self, text: str) -> str:
        """A recorded text with the servers' and the Client ID's places filled in."""
        text = text.replace(CLIENT_ID, self.client_id)
        return _SERVER.sub(lambda m: self._server_url(m.group(1)), text)

    def _app(self, server: str) -> Any:
        def app(request: RecordedRequest) -> Reply:
            with self._lock:
                self.requests.append(request)
            answer = self._recorded(server, request)
            if answer is None:
                with self._lock:
                    self.unmatched.append(f"{request.method} {request.path}")
                reply = Reply(
                    404,
                    b"This request is not in the replayed trace.",
                    {"Content-Type": "text/plain; charset=utf-8"},
                )
            else:
                reply = self._reply(answer)
            reply.delay_s = max(0, self.latency_ms) / 1000
            return reply

        return app

    def _recorded(self, server: str, request: RecordedRequest) -> Mapping[str, Any] | None:
        full = _key(server, request.method, request.path, request.query)
        with self._lock:
            for key in (full, full[:3]):
                answers = self._answers.get(key)
                if answers:
                    given = self._given.get(key, 0)
                    self._given[key] = given + 1
                    return answers[min(given, len(answers) - 1)]
        return None

    def _reply(self, answer: Mapping[str, Any]) -> Reply:
        error = answer.get("error")
        if error is not None:
            return _failure(str(error))
        status = answer.get("status")
        status = status if isinstance(status, int) and 100 <= status <= 999 else 500
        headers: dict[str, str] = {}
        recorded = answer.get("headers")
        if isinstance(recorded, Mapping):
            for name, value in recorded.items():
                name = str(name).lower()
                if name == "server" or not isinstance(value, str):
                    continue
                shown = _HEADER_NAMES.get(name) or "-".join(p.title() for p in name.split("-"))
                headers[shown] = self._fill(value)
        body = self._body(answer.get("body"))
        if answer.get("truncated"):
            size = answer["body"].get("size") if isinstance(answer.get("body"), Mapping) else 0
            size = size if isinstance(size, int) and size > 0 else 0
            # Longer than what the check read, so that it is cut where it was recorded cut.
            body += b" " * (max(0, size - len(body)) + 64 * 1024)
        reply = Reply(status, body, headers)
        offset = answer.get("date_offset_s")
        if isinstance(offset, int | float) and not isinstance(offset, bool):
            reply.date_skew_s = -float(offset)
        return reply

    def _body(self, body: object) -> bytes:
        if not isinstance(body, Mapping):
            return b""
        kind = body.get("kind")
        if kind == "json":
            return json.dumps(self._synth(body.get("shape"), "value")).encode()
        if kind == "html":
            title = body.get("title")
            title = self._fill(title) if isinstance(title, str) else "Replayed page"
            escaped = title.replace("&", "&amp;").replace("<", "&lt;")
            return (
                "<!DOCTYPE html>\n<html><head><title>"
                + escaped
                + "</title></head><body><p>A replayed page.</p></body></html>\n"
            ).encode()
        if kind == "text":
            text = body.get("text")
            shown = "replayed text" if text in (None, "string") else self._fill(str(text))
            return shown.encode()
        if kind == "bytes":
            size = body.get("size")
            return b"\xff\xfe\x00" * max(1, (size if isinstance(size, int) else 3) // 3)
        return b""

    def _synth(self, shape: Any, key: str) -> Any:
        """A value of the recorded shape: placeholder text, 0, one element per list shape."""
        if isinstance(shape, bool) or shape is None or isinstance(shape, int | float):
            return shape
        if isinstance(shape, str):
            if shape == "string":
                return f"replayed {key}"
            if shape == "integer":
                return 0
            if shape == "number":
                return 0.0
            if shape == "boolean":
                return False
            if shape == "object":
                return {}
            if shape == "list":
                return []
            return self._fill(shape)
        if isinstance(shape, list):
            return [self._synth(item, key) for item in shape]
        if isinstance(shape, Mapping):
            if set(shape) == {JWT}:
                return self._jwt(shape[JWT])
            return {str(k): self._synth(v, str(k)) for k, v in shape.items()}
        return None

    def _jwt(self, claims: Any) -> str:
        """A JWT whose claims have the recorded shape; its signature is no signature."""
        payload = self._synth(claims, "claim")
        parts = [
            _b64url(json.dumps(part, separators=(",", ":")).encode())
            for part in ({"alg": "none", "typ": "JWT"}, payload)
        ]
        return ".".join([*parts, _b64url(b"replayed")])


def _failure(code: str) -> Reply:
    """A recorded network failure, made again as well as a server can."""
    if code == "TIMEOUT":
        return Reply(0, hang=True)
    if code == "CONNECTION_CUT":
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"
        return Reply(0, raw=head + b'{"replayed":')
    if code == "INVALID_HTTP":
        return Reply(0, raw=b"THIS IS NOT HTTP\r\n\r\n")
    return Reply(0, raw=b"")  # the connection closed without an answer


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
