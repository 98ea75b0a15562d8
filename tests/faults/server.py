"""Hostile Halo servers for the fault matrix: a healthy Halo except for one step that misbehaves.

A step is what the check asks Halo for at one point: "discovery" (/api/authinfo and
/api/instanceinfo), "token" (/auth/token), "probe" (/api/Tickets, the probe of read:tickets)
or "agent" (/api/Agent/me). Answers the check can read at the HTTP level come from the
simulated Halo, whose override hook replaces the answer of the faulty step (raw bytes
included, so a broken status line or a reset mid-answer is possible). Faults of the
connection itself (certificates, plain HTTP on the HTTPS port) need a server of their own:
a raw TLS or TCP listener that never gets as far as HTTP.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import functools
import ipaddress
import json
import socket
import ssl
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from wizard.sim import RecordedRequest, SimulatedHalo
from wizard.sim import replies as sim_replies
from wizard.sim.server import Reply

STEPS = ("discovery", "token", "probe", "agent")
# Lower case, as the simulator compares them; the check asks only read:tickets, so one probe.
STEP_PATHS: dict[str, frozenset[str]] = {
    "discovery": frozenset({"/api/authinfo", "/api/instanceinfo"}),
    "token": frozenset({"/auth/token"}),
    "probe": frozenset({"/api/tickets"}),
    "agent": frozenset({"/api/agent/me"}),
}
EVERY_REQUEST = "every request"
SCOPES = "read:tickets"
HOST = "localhost"  # the name the test CA's certificates are issued for

DEEP_LEVELS = 10_000
GZIP_MEMBER_BYTES = 64 * 1024 * 1024
GZIP_MEMBERS = 32  # 2 GiB once decompressed
AGENT_RECORD_BYTES = 40 * 1024 * 1024
HUGE_ID_TOKEN_BYTES = 1024 * 1024

ONE_DAY_S = 86_400
GATEWAY_PAGE = """<!DOCTYPE html>
<html><head><title>{status} {phrase}</title></head>
<body><center><h1>{status} {phrase}</h1></center><hr><center>nginx</center></body></html>
"""
DOTNET_NULL_REFERENCE: dict[str, Any] = {
    **sim_replies.DOTNET_EXCEPTION,
    "ClassName": "System.NullReferenceException",
    "HResult": -2147467261,
}


# ----- raw servers: for faults below HTTP, and for the host a redirect points to -----


class RawServer:
    """A TCP listener on 127.0.0.1 handing each connection to `serve` in its own thread.

    With `tls`, the TLS handshake comes first; when the client refuses the certificate it
    fails, and the connection ends there. Every connection is counted, and what `serve`
    read is kept in `received`, so a test can prove nothing was sent here.
    """

    def __init__(
        self,
        serve: Callable[[socket.socket], bytes],
        tls: ssl.SSLContext | None = None,
        *,
        scheme: str | None = None,  # the one its URL names; by default, what it speaks
    ) -> None:
        self._serve = serve
        self._tls = tls
        self._scheme = scheme or ("https" if tls else "http")
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.connections = 0
        self.received: list[bytes] = []

    @property
    def url(self) -> str:
        return f"{self._scheme}://{HOST}:{self._listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self._spawn(self._accept)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=2.0)
        self._listener.close()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
            self._spawn(self._handle, connection)

    def _handle(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError, ValueError), connection:
            connection.settimeout(2.0)
            sock = connection
            if self._tls is not None:
                sock = self._tls.wrap_socket(connection, server_side=True)
            data = self._serve(sock)
            with self._lock:
                self.received.append(data)


def read_request_head(sock: socket.socket) -> bytes:
    """What arrives up to the blank line after the headers (or until the client pauses)."""
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def answer_404(sock: socket.socket) -> bytes:
    """Read a request and answer 404: the host a redirect points to, recording what came."""
    data = read_request_head(sock)
    with contextlib.suppress(OSError):
        sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    return data


def answer_like_a_plain_web_server(sock: socket.socket) -> bytes:
    """What a plain-HTTP server says to a TLS ClientHello: at once, it is no request."""
    data = b""
    with contextlib.suppress(OSError):
        data = sock.recv(65536)
    with contextlib.suppress(OSError):
        sock.sendall(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\n"
            b"Connection: close\r\n\r\nBad Request"
        )
    return data


# ----- certificates -----


class Certificates:
    """Server TLS contexts: one the check trusts, and one for each way a certificate fails."""

    def __init__(self, ca: trustme.CA) -> None:
        self._ca = ca
        self._folder = Path(tempfile.mkdtemp(prefix="fault-certs-"))

    def good(self) -> ssl.SSLContext:
        return self._context(self._ca.issue_cert(HOST, "127.0.0.1"))

    def expired(self) -> ssl.SSLContext:
        now = datetime.datetime.now(datetime.UTC)
        cert = self._ca.issue_cert(
            HOST,
            "127.0.0.1",
            not_before=now - datetime.timedelta(days=400),
            not_after=now - datetime.timedelta(days=35),
        )
        return self._context(cert)

    def not_yet_valid(self) -> ssl.SSLContext:
        now = datetime.datetime.now(datetime.UTC)
        cert = self._ca.issue_cert(
            HOST,
            "127.0.0.1",
            not_before=now + datetime.timedelta(days=30),
            not_after=now + datetime.timedelta(days=400),
        )
        return self._context(cert)

    def wrong_name(self) -> ssl.SSLContext:
        return self._context(self._ca.issue_cert("halo.elsewhere.example"))

    def self_signed(self) -> ssl.SSLContext:
        """A certificate for the right name, signed by its own key: no CA vouches for it."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .sign(key, hashes.SHA256())
        )
        return self._load(
            cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )

    def missing_intermediate(self) -> ssl.SSLContext:
        """A certificate from an intermediate CA, sent without that intermediate."""
        leaf = self._ca.create_child_ca().issue_cert(HOST, "127.0.0.1")
        return self._load(leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes())

    def _context(self, cert: trustme.LeafCert) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        return context

    def _load(self, cert_pem: bytes, key_pem: bytes) -> ssl.SSLContext:
        folder = Path(tempfile.mkdtemp(dir=self._folder))
        (folder / "cert.pem").write_bytes(cert_pem)
        (folder / "key.pem").write_bytes(key_pem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(folder / "cert.pem"), str(folder / "key.pem"))
        return context


# ----- faulty answers -----


@dataclass(frozen=True)
class Answering:
    """What a faulty answer is made from: the request, the healthy answer, the other host."""

    request: RecordedRequest
    healthy: Reply
    elsewhere: str  # base URL of a host that is not this Halo


def _json(payload: object, status: int = 200) -> Reply:
    return sim_replies.json_reply(status, payload)


def _body(reply: Reply) -> bytes:
    assert isinstance(reply.body, bytes), "the step's healthy answer is a plain body"
    return reply.body


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def deep_json() -> bytes:
    return b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS


def deep_json_answer(a: Answering) -> Reply:
    return Reply(200, deep_json(), {"Content-Type": "application/json"})


def deep_json_field_answer(a: Answering) -> Reply:
    """The healthy answer with one more field, nested thousands of levels deep, at its end."""
    body = _body(a.healthy).rstrip()
    assert body.endswith(b"}")
    return Reply(
        200, body[:-1] + b',"nested":' + deep_json() + b"}", {"Content-Type": "application/json"}
    )


def truncated_json_answer(a: Answering) -> Reply:
    body = _body(a.healthy)
    return Reply(200, body[: len(body) // 2], {"Content-Type": "application/json"})


def shape_answer(payload: object) -> Callable[[Answering], Reply]:
    def answer(a: Answering) -> Reply:
        return _json(payload)

    return answer


def html_answer(a: Answering) -> Reply:
    return sim_replies.html(200, sim_replies.SIGN_IN_PAGE)


def content_type_answer(content_type: str | None) -> Callable[[Answering], Reply]:
    """The healthy answer, labelled with another content type or with none."""

    def answer(a: Answering) -> Reply:
        headers = {k: v for k, v in a.healthy.headers.items() if k.lower() != "content-type"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        return Reply(a.healthy.status, _body(a.healthy), headers)

    return answer


def cut_answer(*, reset: bool) -> Callable[[Answering], Reply]:
    """Headers promising the whole healthy answer, half of it, then a reset or a close."""

    def answer(a: Answering) -> Reply:
        body = _body(a.healthy)
        head = _head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        return Reply(0, raw=head + body[: len(body) // 2], reset=reset)

    return answer


def drip_answer(a: Answering) -> Reply:
    """The healthy answer, its body sent one byte a second."""
    return Reply(a.healthy.status, _body(a.healthy), dict(a.healthy.headers), drip_s=1.0)


@functools.cache
def gzip_bomb() -> bytes:
    """A few MB that gzip expands to 2 GiB of zeros (gzip members, one after the other)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    member = b"".join(compressor.compress(zeros) for _ in range(GZIP_MEMBER_BYTES // len(zeros)))
    return (member + compressor.flush()) * GZIP_MEMBERS


def gzip_bomb_answer(a: Answering) -> Reply:
    return Reply(200, gzip_bomb(), {"Content-Type": "application/json", "Content-Encoding": "gzip"})


def gzip_garbled_answer(a: Answering) -> Reply:
    """The healthy answer, uncompressed, labelled as gzip."""
    headers = {**a.healthy.headers, "Content-Encoding": "gzip"}
    return Reply(a.healthy.status, _body(a.healthy), headers)


def status_answer(status: int, *, with_body: bool) -> Callable[[Answering], Reply]:
    def answer(a: Answering) -> Reply:
        if not with_body:
            return sim_replies.empty(status)
        if status == 500:
            return _json(DOTNET_NULL_REFERENCE, status)
        if status == 503:
            return sim_replies.text(status, "The service is unavailable.")
        phrase = {502: "Bad Gateway", 504: "Gateway Time-out"}[status]
        return sim_replies.html(status, GATEWAY_PAGE.format(status=status, phrase=phrase))

    return answer


def rate_limited_answer(retry_after_s: int | None) -> Callable[[Answering], Reply]:
    def answer(a: Answering) -> Reply:
        headers = {} if retry_after_s is None else {"Retry-After": str(retry_after_s)}
        return sim_replies.text(429, sim_replies.RATE_LIMIT_TEXT, headers)

    return answer


def redirect_loop_answer(a: Answering) -> Reply:
    query = "&".join(f"{k}={v}" for k, v in a.request.query.items())
    return sim_replies.empty(302, {"Location": a.request.path + (f"?{query}" if query else "")})


def redirect_elsewhere_answer(a: Answering) -> Reply:
    return sim_replies.empty(302, {"Location": a.elsewhere + a.request.path})


def raw_answer(data: bytes) -> Callable[[Answering], Reply]:
    def answer(a: Answering) -> Reply:
        return Reply(0, raw=data)

    return answer


GARBAGE_STATUS_LINE = b"<html><body>Blocked by your organisation's web filter</body></html>\r\n"
HUGE_HEADER_LINE = b"HTTP/1.1 200 OK\r\nX-Filler: " + b"a" * (1024 * 1024) + b"\r\n\r\n"
MANY_HEADER_LINES = (
    b"HTTP/1.1 200 OK\r\n"
    + b"".join(b"X-Header-%d: x\r\n" % i for i in range(5000))
    + b"Content-Length: 0\r\n\r\n"
)


def _jwt(payload: bytes) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    return ".".join([b64(b'{"alg":"RS256","typ":"JWT"}'), b64(payload), b64(b"signature")])


def id_token_answer(id_token: str) -> Callable[[Answering], Reply]:
    """The healthy token answer with another id_token."""

    def answer(a: Answering) -> Reply:
        payload = json.loads(_body(a.healthy))
        payload["id_token"] = id_token
        return Reply(200, json.dumps(payload).encode(), dict(a.healthy.headers))

    return answer


def huge_id_token() -> str:
    claims = {"sub": "42", "name": "Integration API", "roles": ["x" * 64] * 16_000}
    token = _jwt(json.dumps(claims).encode())
    assert len(token) > HUGE_ID_TOKEN_BYTES
    return token


_CLAIM = b'{"id":"claim-0000000","type":"feature_access","value":"tickets:read"}'


def agent_record_answer(a: Answering) -> Reply:
    """The healthy agent record, grown to 40 MB by a long list of claims, sent as it is made."""
    body = _body(a.healthy).rstrip()
    head = body[:-1] + b',"more_claims":['
    tail = b"]}"
    block = b",".join([_CLAIM] * 14_000) + b","  # about 1 MB
    blocks = (AGENT_RECORD_BYTES - len(head) - len(tail)) // len(block)
    length = len(head) + blocks * len(block) + len(_CLAIM) + len(tail)

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(blocks):
            yield block
        yield _CLAIM + tail

    return Reply(200, chunks(), {"Content-Type": "application/json; charset=utf-8"}, length)


# ----- the hostile Halo -----


@dataclass(frozen=True)
class Fault:
    """One way a server misbehaves, and the steps at which it can happen."""

    key: str
    title: str  # as the table in docs/reliability.md names it
    steps: tuple[str, ...]
    answer: Callable[[Answering], Reply] | None = None  # an answer at the HTTP level
    # A fault of the connection itself: the server of the step, given the certificates.
    connection: Callable[[Certificates], RawServer] | None = None


class HostileHalo:
    """A healthy simulated Halo over TLS at https://localhost:PORT, except for one step.

    `elsewhere` is another host (a raw server) that a redirect may point to: a test checks
    it received nothing.
    """

    def __init__(self, fault: Fault, step: str, certificates: Certificates) -> None:
        if step not in (*STEPS, EVERY_REQUEST) or step not in fault.steps:
            raise ValueError(f"{fault.key} cannot happen at {step}")
        self.fault = fault
        self.step = step
        self._certificates = certificates
        self._stack = contextlib.ExitStack()
        self.elsewhere = RawServer(answer_404, certificates.good())
        self.connection_server: RawServer | None = None
        self.halo: SimulatedHalo | None = None

    def __enter__(self) -> HostileHalo:
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start(self) -> None:
        self._stack.enter_context(self.elsewhere)
        if self.fault.connection is not None:
            server = self.fault.connection(self._certificates)
            self.connection_server = self._stack.enter_context(server)
            if self.step == "discovery":
                return  # the check never gets further than this server
        halo = SimulatedHalo(
            "healthy",
            tls=self._certificates.good(),
            public_host=HOST,
            override=self._override,
        )
        halo.start()
        self._stack.callback(halo.stop)
        self.halo = halo

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

    @property
    def url(self) -> str:
        if self.halo is None:
            assert self.connection_server is not None
            return self.connection_server.url
        return self.halo.url

    @property
    def client_id(self) -> str:
        return self.halo.client_id if self.halo else "5b1a2c6e-8f21-4d5c-9e0b-1c2d3e4f5a6b"

    @property
    def client_secret(self) -> str:
        if self.halo:
            return self.halo.client_secret
        return "0d6f3b0e-1111-4222-8333-444455556666-9e8d7c6b-5a49-4382-a716-151413121110"

    def issued_tokens(self) -> set[str]:
        """The access tokens the check sent back to Halo."""
        tokens = set()
        for request in self.halo.requests if self.halo else []:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and token:
                tokens.add(token.strip())
        return tokens

    def _override(self, request: RecordedRequest, healthy: Reply) -> Reply:
        path = request.path.lower().rstrip("/")
        if self.connection_server is not None:
            # The token step's server is the faulty one: discovery says the auth server is there.
            if path in STEP_PATHS["discovery"]:
                return self._auth_url_moved(healthy, self.connection_server.url + "/auth")
            return healthy
        faulty = self.step == EVERY_REQUEST or path in STEP_PATHS[self.step]
        if not faulty or self.fault.answer is None:
            return healthy
        return self.fault.answer(Answering(request, healthy, self.elsewhere.url))

    @staticmethod
    def _auth_url_moved(healthy: Reply, auth_url: str) -> Reply:
        payload = json.loads(_body(healthy))
        payload["auth_url"] = auth_url
        return Reply(healthy.status, json.dumps(payload).encode(), dict(healthy.headers))


def tls_server(
    make: Callable[[Certificates], ssl.SSLContext],
) -> Callable[[Certificates], RawServer]:
    def start(certificates: Certificates) -> RawServer:
        return RawServer(answer_404, make(certificates))

    return start


def plain_http_server(certificates: Certificates) -> RawServer:
    """A plain-HTTP server, named by an https:// address (the HTTPS port)."""
    return RawServer(answer_like_a_plain_web_server, scheme="https")


ALL = STEPS
CONNECTION_STEPS = ("discovery", "token")

FAULTS: tuple[Fault, ...] = (
    Fault("deep-json", f"JSON nested {DEEP_LEVELS:,} levels deep", ALL, deep_json_answer),
    Fault(
        "deep-json-field",
        f"a healthy answer plus a field nested {DEEP_LEVELS:,} levels deep",
        ALL,
        deep_json_field_answer,
    ),
    Fault("truncated-json", "JSON cut off halfway (complete HTTP)", ALL, truncated_json_answer),
    Fault("json-string", 'a bare JSON string ("Invalid Data Type")', ALL,
          shape_answer("Invalid Data Type")),
    Fault("json-list", 'a JSON list (["unexpected"])', ALL, shape_answer(["unexpected"])),
    Fault("json-null", "JSON null", ALL, shape_answer(None)),
    Fault("json-number", "a JSON number (42)", ALL, shape_answer(42)),
    Fault("json-dotnet-exception", "a .NET exception object, status 200", ALL,
          shape_answer(DOTNET_NULL_REFERENCE)),
    Fault("html-200", "an HTML page with status 200", ALL, html_answer),
    Fault("content-type-wrong", "the right JSON labelled text/plain", ALL,
          content_type_answer("text/plain")),
    Fault("content-type-missing", "the right JSON without a Content-Type", ALL,
          content_type_answer(None)),
    Fault("reset-mid-answer", "a TCP reset halfway through the body", ALL,
          cut_answer(reset=True)),
    Fault("closed-mid-answer", "the connection closed halfway through the body", ALL,
          cut_answer(reset=False)),
    Fault("drip", "the body sent one byte a second", ALL, drip_answer),
    Fault("gzip-bomb", "gzip of about 2 MB that expands to 2 GiB", ALL, gzip_bomb_answer),
    Fault("gzip-garbled", "labelled gzip, but not compressed", ALL, gzip_garbled_answer),
    *(
        Fault(
            f"http-{status}-{'body' if body else 'empty'}",
            f"HTTP {status} {'with a body' if body else 'without a body'}",
            ALL,
            status_answer(status, with_body=body),
        )
        for status in (500, 502, 503, 504)
        for body in (True, False)
    ),
    Fault("429-no-retry-after", "HTTP 429 without Retry-After", ALL, rate_limited_answer(None)),
    Fault("429-retry-after-a-day", "HTTP 429 with Retry-After: 86400 (a day)", ALL,
          rate_limited_answer(ONE_DAY_S)),
    Fault("429-always", "HTTP 429 on every request", (EVERY_REQUEST,),
          rate_limited_answer(None)),
    Fault("redirect-loop", "a redirect to itself", ALL, redirect_loop_answer),
    Fault("redirect-elsewhere", "a redirect to another host", ALL, redirect_elsewhere_answer),
    Fault("garbage-status-line", "a status line that is not HTTP", ALL,
          raw_answer(GARBAGE_STATUS_LINE)),
    Fault("huge-header-line", "a header line of 1 MB", ALL, raw_answer(HUGE_HEADER_LINE)),
    Fault("many-header-lines", "5,000 header lines", ALL, raw_answer(MANY_HEADER_LINES)),
    Fault("plain-http", "a plain-HTTP server on the HTTPS port", CONNECTION_STEPS,
          connection=plain_http_server),
    Fault("cert-expired", "an expired certificate", CONNECTION_STEPS,
          connection=tls_server(Certificates.expired)),
    Fault("cert-not-yet-valid", "a certificate not yet valid", CONNECTION_STEPS,
          connection=tls_server(Certificates.not_yet_valid)),
    Fault("cert-wrong-name", "a certificate for another name", CONNECTION_STEPS,
          connection=tls_server(Certificates.wrong_name)),
    Fault("cert-self-signed", "a self-signed certificate", CONNECTION_STEPS,
          connection=tls_server(Certificates.self_signed)),
    Fault("cert-missing-intermediate", "a certificate sent without its intermediate",
          CONNECTION_STEPS, connection=tls_server(Certificates.missing_intermediate)),
    Fault("id-token-huge", "an id_token of more than 1 MB", ("token",),
          id_token_answer(huge_id_token())),
    Fault("id-token-garbled", "an id_token that is not a JWT", ("token",),
          id_token_answer("not a JWT at all!")),
    Fault("id-token-not-json", "an id_token whose claims are not JSON", ("token",),
          id_token_answer(_jwt(b"\xff\xfe claims?"))),
    Fault("id-token-deep-json", f"an id_token whose claims nest {DEEP_LEVELS:,} levels",
          ("token",), id_token_answer(_jwt(deep_json()))),
    Fault("agent-record-40mb", "an agent record of 40 MB", ("agent",), agent_record_answer),
)  # fmt: skip
FAULTS_BY_KEY = {fault.key: fault for fault in FAULTS}
