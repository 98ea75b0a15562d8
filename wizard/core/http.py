"""HTTPS to Halo: the OS trust store, system proxies, a deadline and a size cap on every request."""

from __future__ import annotations

import contextlib
import email.utils
import errno
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import truststore
import urllib3
import urllib3.connection
import urllib3.exceptions
import urllib3.util.connection

from wizard import __version__
from wizard.core.address import is_loopback_host
from wizard.core.jsonprefix import mend_surrogates
from wizard.core.model import DEFAULT_TIMEOUT, LocalRoutes

USER_AGENT = f"halo-wizard/{__version__}"
DEFAULT_MAX_BYTES = 1024 * 1024
_CHUNK = 16 * 1024

# OpenSSL verify codes (X509_V_ERR_*) that say what is wrong with a certificate.
_HOSTNAME_MISMATCH = 62
_IP_ADDRESS_MISMATCH = 64
_NOT_YET_VALID = 9
_EXPIRED = 10


class NetworkError(Exception):
    """A request that got no usable HTTP answer, classified as a finding code."""

    def __init__(
        self, code: str, server: str, reason: str, *, unknown_issuer: bool = False
    ) -> None:
        super().__init__(f"{code}: {server}: {reason}")
        self.code = code
        self.server = server
        self.reason = reason
        # The certificate chain leads to no root this verifier knows (not expiry or name).
        self.unknown_issuer = unknown_issuer


@dataclass(frozen=True)
class Response:
    """An HTTP answer, read in full up to a size cap."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool = False
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body as JSON, or None when it is empty, cut short, HTML or not JSON at all."""
        if self.truncated or not self.body.strip():
            return None
        try:
            return json.loads(mend_surrogates(self.body.decode("utf-8-sig")))
        # RecursionError: JSON nested deeper than the interpreter's recursion limit (a
        # thousand levels fit in a few KB), which is no answer Halo gives.
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    @property
    def looks_like_html(self) -> bool:
        head = self.body[:512].lstrip().lower()
        return self.content_type == "text/html" or head.startswith((b"<!doctype", b"<html"))

    @property
    def server_date(self) -> datetime | None:
        value = self.headers.get("date")
        if not value:
            return None
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        # OverflowError: a zone offset of absurd size ("-99999999999999999").
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def text_excerpt(self, limit: int = 300) -> str:
        text = self.body[:limit].decode("utf-8", "replace").strip()
        return " ".join(text.split())


# ----- Observing: what a support trace (wizard/core/trace.py) is made from -----


@dataclass(frozen=True)
class Sent:
    """A request as it was sent, for an observer: the caller's own mappings, not copies, so
    the secret in a form and the token in a header too. An observer keeps none of it as it
    is."""

    method: str
    url: str
    params: Mapping[str, str]
    data: Mapping[str, str]
    headers: Mapping[str, str]


# Called once per request, in the request's thread, with its outcome: the answer, or the
# NetworkError the caller then gets. It must not raise.
Observer = Callable[[Sent, "Response | NetworkError"], None]


@dataclass(frozen=True)
class TransportOptions:
    timeout: float = DEFAULT_TIMEOUT
    # An extra CA bundle (PEM) trusted on top of the operating system's store.
    ca_bundle: str | None = None
    user_agent: str = USER_AGENT
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    # The demo's simulated Halo under a hosted name (model.LocalRoutes); None otherwise.
    routes: LocalRoutes | None = None
    # Told of every request and its outcome (see "Observing" above); None: nobody is.
    observer: Observer | None = None


# The socket each request thread is waiting on, so that a watchdog can cut it at the
# request's deadline: a read timeout alone restarts with every byte, so a server that
# sends its headers or body a byte at a time would otherwise hold a request for ever.
_waiting_lock = threading.Lock()
_waiting: dict[int, tuple[object, socket.socket | None]] = {}


class _Watched:
    """A connection that hands its socket to the current request's watchdog as soon as the
    socket exists, so the deadline also covers the TLS handshake and sending."""

    sock: socket.socket | None
    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any
    # Set on the per-transport subclasses of a transport with routes (the demo's).
    routes: LocalRoutes | None = None

    def _new_conn(self) -> socket.socket:
        port = self.routes.port_for(self.host) if self.routes is not None else None
        sock: socket.socket = (
            self._connect_locally(port) if port is not None else super()._new_conn()  # type: ignore[misc]
        )
        _register(sock)
        return sock

    def _connect_locally(self, port: int) -> socket.socket:
        """Connect a routed name to its server on this computer: only its HTTPS port
        answers there; any other port refuses, as it would for a mistyped port."""
        try:
            if self.port != 443 or not isinstance(self, urllib3.connection.HTTPSConnection):
                raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
            return urllib3.util.connection.create_connection(
                ("127.0.0.1", port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except OSError as exc:
            raise urllib3.exceptions.NewConnectionError(
                self,  # type: ignore[arg-type]
                f"Failed to establish a new connection: {exc}",
            ) from exc

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        # A kept-alive connection was made for an earlier request.
        if self.sock is not None:
            _register(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


def _register(sock: socket.socket) -> None:
    ident = threading.get_ident()
    with _waiting_lock:
        entry = _waiting.get(ident)
        if entry is not None:
            _waiting[ident] = (entry[0], sock)


class _WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def _pools(routes: LocalRoutes | None) -> dict[str, type[urllib3.HTTPConnectionPool]]:
    """The pool classes of one transport: with routes, its own, whose connections use them."""
    if routes is None:
        return dict(_WATCHED_POOLS)
    http_conn = type("_RoutedHTTPConnection", (_WatchedHTTPConnection,), {"routes": routes})
    https_conn = type("_RoutedHTTPSConnection", (_WatchedHTTPSConnection,), {"routes": routes})
    return {
        "http": type("_RoutedHTTPPool", (_WatchedHTTPPool,), {"ConnectionCls": http_conn}),
        "https": type("_RoutedHTTPSPool", (_WatchedHTTPSPool,), {"ConnectionCls": https_conn}),
    }


class _Watchdog:
    """The one deadline of a request: cuts the current thread's connection when the request
    is still running after `seconds`, or at once when its transport is closed (a cancelled
    check), so that no request outlives its check."""

    def __init__(self, seconds: float) -> None:
        self._ident = threading.get_ident()
        self._token = object()
        self.fired = False
        with _waiting_lock:
            _waiting[self._ident] = (self._token, None)
        self._timer = threading.Timer(seconds, self.fire)
        self._timer.daemon = True
        self._timer.start()

    def fire(self) -> None:
        with _waiting_lock:
            entry = _waiting.get(self._ident)
            if entry is None or entry[0] is not self._token:
                return
            self.fired = True
            sock = entry[1]
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._timer.cancel()
        with _waiting_lock:
            entry = _waiting.get(self._ident)
            if entry is not None and entry[0] is self._token:
                del _waiting[self._ident]


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """Connection pools whose connections a _Watchdog can cut."""

    def __init__(self, routes: LocalRoutes | None = None) -> None:
        self._pools = _pools(routes)
        super().__init__(pool_connections=4, pool_maxsize=32, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager


class _ContextAdapter(_WatchedAdapter):
    """Sends every HTTPS request through one SSLContext, whatever requests would pick."""

    def __init__(self, context: ssl.SSLContext, routes: LocalRoutes | None = None) -> None:
        self._context = context
        super().__init__(routes)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # requests would load its own CA file into the context here; the context already
        # trusts exactly what it should.
        if url.lower().startswith("https"):
            conn.cert_reqs = "CERT_REQUIRED"


# Where the operating system's own verifier knows more than OpenSSL's view of the store:
# the macOS Keychain, and Windows' roots that are fetched on demand.
NATIVE_VERIFIER = sys.platform in ("darwin", "win32")
_CA_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
    "/etc/ssl/ca-bundle.pem",
)


def make_ssl_context(
    ca_bundle: str | None = None, *, native: bool = False, ca_data: str = ""
) -> ssl.SSLContext:
    """A context trusting the system's certificates, plus `ca_bundle` (a file) and `ca_data`
    (PEM text) when given.

    native=True verifies through the OS (truststore). It serialises TLS handshakes behind
    one lock, so the check starts with OpenSSL's view of the same store (on Windows that is
    the system store; on Linux it is what truststore would use) and turns to the native
    verifier only for a host whose certificate OpenSSL cannot place.
    """
    context: ssl.SSLContext
    if native:
        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.create_default_context()
        load_fallback_ca_file(context)
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    if ca_data:
        context.load_verify_locations(cadata=ca_data)
    return context


def load_fallback_ca_file(context: ssl.SSLContext) -> str | None:
    """Load the first usual CA file when OpenSSL's own paths gave `context` no CA; its path.

    A Python built elsewhere (a frozen app, a python.org build) may look for its CA file
    where this system keeps none.
    """
    if context.cert_store_stats().get("x509_ca"):
        return None
    for path in _CA_FILES:
        if os.path.isfile(path):
            context.load_verify_locations(cafile=path)
            return path
    return None


def proxies_for(url: str) -> dict[str, str]:
    """The proxy for `url` from the environment and the OS settings; none for loopback."""
    host = urlsplit(url).hostname or ""
    if is_loopback_host(host):
        return {}
    try:
        if urllib.request.proxy_bypass(host):
            return {}
        found = urllib.request.getproxies()
    except OSError:
        return {}
    return {k: v for k, v in found.items() if k in ("http", "https") and v}


class Transport:
    """A small blocking HTTP client; safe to call from several threads at once."""

    def __init__(self, options: TransportOptions | None = None) -> None:
        self.options = options or TransportOptions()
        self._session = self._new_session(native=False)
        self._native_session: requests.Session | None = None
        self._native_hosts: set[str] = set()
        self._lock = threading.Lock()
        self._running: set[_Watchdog] = set()
        self._closed = False

    def _new_session(self, *, native: bool) -> requests.Session:
        session = requests.Session()
        # Without trust_env, requests ignores REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE and .netrc,
        # which would otherwise silently replace the CA bundle chosen here or add
        # credentials; proxies are looked up explicitly instead.
        session.trust_env = False
        session.headers.clear()
        session.headers.update(
            {"User-Agent": self.options.user_agent, "Accept": "application/json"}
        )
        session.headers.update(self.options.extra_headers)
        routes = self.options.routes
        context = make_ssl_context(
            self.options.ca_bundle, native=native, ca_data=routes.ca_pem if routes else ""
        )
        session.mount("https://", _ContextAdapter(context, routes))
        session.mount("http://", _WatchedAdapter(routes))
        return session

    def _proxies(self, url: str) -> dict[str, str]:
        routes = self.options.routes
        if routes is not None and routes.port_for(urlsplit(url).hostname or "") is not None:
            return {}  # answered on this computer
        return proxies_for(url)

    def _session_for(self, server: str) -> requests.Session:
        with self._lock:
            if server not in self._native_hosts:
                return self._session
            if self._native_session is None:
                self._native_session = self._new_session(native=True)
            return self._native_session

    def close(self) -> None:
        """End every request still running (their threads raise at once), then the pools."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for watchdog in running:
            watchdog.fire()
        self._session.close()
        if self._native_session is not None:
            self._native_session.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Response:
        """GET `url`; a body longer than `max_bytes` is cut there (Response.truncated)."""
        sent = Sent("GET", url, params or {}, {}, headers or {})
        return self._observed(
            sent,
            lambda: self._send("GET", url, params=params, headers=headers, max_bytes=max_bytes),
        )

    def post_form(
        self,
        url: str,
        data: Mapping[str, str],
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Response:
        sent = Sent("POST", url, {}, data, headers or {})
        return self._observed(
            sent, lambda: self._send("POST", url, data=data, headers=headers, max_bytes=max_bytes)
        )

    def _observed(self, sent: Sent, send: Callable[[], Response]) -> Response:
        """`send()`, with its outcome told to the observer when there is one."""
        observer = self.options.observer
        if observer is None:
            return send()
        try:
            response = send()
        except NetworkError as error:
            observer(sent, error)
            raise
        observer(sent, response)
        return response

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int,
    ) -> Response:
        server = urlsplit(url).netloc
        try:
            return self._send_once(
                method, url, server, params=params, data=data, headers=headers, max_bytes=max_bytes
            )
        except NetworkError as error:
            if not (NATIVE_VERIFIER and error.code == "TLS_UNTRUSTED" and error.unknown_issuer):
                raise
            with self._lock:
                if server in self._native_hosts:
                    raise
                self._native_hosts.add(server)
        return self._send_once(
            method, url, server, params=params, data=data, headers=headers, max_bytes=max_bytes
        )

    def _send_once(
        self,
        method: str,
        url: str,
        server: str,
        *,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        max_bytes: int,
    ) -> Response:
        timeout = self.options.timeout
        started = time.monotonic()
        late = NetworkError(
            "TIMEOUT", server, f"the answer did not finish within {timeout:g} seconds"
        )
        with self._lock:
            if self._closed:
                raise NetworkError("TIMEOUT", server, "not sent: the check was cancelled")
            watchdog = _Watchdog(timeout)
            self._running.add(watchdog)
        try:
            try:
                raw = self._session_for(server).request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=dict(headers or {}),
                    timeout=(timeout, timeout),
                    allow_redirects=False,
                    stream=True,
                    proxies=self._proxies(url),
                    verify=True,
                )
            except _HTTP_FAILURES as exc:
                raise (late if watchdog.fired else classify(exc, server, timeout)) from exc
            try:
                body, truncated = _read_capped(raw, max_bytes)
            except _HTTP_FAILURES as exc:
                cut = classify(exc, server, timeout, answering=True)
                raise (late if watchdog.fired else cut) from exc
            finally:
                raw.close()
            if watchdog.fired:
                # The cut can look like the end of the body; what was read is not all of it.
                raise late
        finally:
            watchdog.stop()
            with self._lock:
                self._running.discard(watchdog)
        return Response(
            url=url,
            status=raw.status_code,
            headers={k.lower(): v for k, v in raw.headers.items()},
            body=body,
            truncated=truncated,
            elapsed=time.monotonic() - started,
        )


# What the HTTP libraries raise for a server that answers badly or not at all. requests
# wraps most of it; urllib3 and http.client errors can still escape it (a header it cannot
# parse, a body cut short), and must become a finding rather than a traceback.
_HTTP_FAILURES = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
)


def _read_capped(raw: requests.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Read at most `max_bytes` of the body; (body, whether it was cut).

    read1 returns whatever one socket read brings, so a server that drips its answer a
    byte at a time is cut by the request's watchdog at its deadline, not after a whole
    chunk has trickled in.
    """
    stream = raw.raw
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read1(min(_CHUNK, max_bytes + 1 - size), decode_content=True)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """Every exception behind `exc`: causes, contexts, urllib3 reasons and wrapped args."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(arg for arg in current.args if isinstance(arg, BaseException))
        stack.extend(item for item in linked if isinstance(item, BaseException))


def classify(
    exc: BaseException, server: str, timeout: float, *, answering: bool = False
) -> NetworkError:
    """Tell apart DNS, connection, timeout, TLS and broken-HTTP failures in plain English.

    `answering`: the failure came while the body was read, after a valid status line and
    headers had arrived, so the server did answer and the connection ended part way.
    """
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _classify_certificate(cause, server)
    broken = _broken_http(chain)
    if broken is not None:
        return NetworkError("INVALID_HTTP", server, broken)
    text = " ".join(str(c) for c in chain).lower()
    if (
        any(isinstance(c, socket.gaierror) for c in chain)
        or "name or service not known" in text
        or "failed to resolve" in text
        or "nodename nor servname" in text
        or "getaddrinfo failed" in text
    ):
        return NetworkError("DNS_FAILED", server, "the name could not be looked up")
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError(
            "CONNECT_FAILED",
            server,
            "the proxy set on this computer refused or failed the connection",
        )
    if isinstance(exc, requests.exceptions.Timeout) or any(
        isinstance(c, (TimeoutError, socket.timeout)) for c in chain
    ):
        return NetworkError("TIMEOUT", server, f"no answer within {timeout:g} seconds")
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in chain
    ):
        if "wrong version number" in text or "record layer failure" in text:
            reason = "the server did not speak HTTPS on this port"
        else:
            reason = "the secure connection could not be set up"
        return NetworkError("CONNECT_FAILED", server, reason)
    if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
        return NetworkError(
            "CONNECT_FAILED",
            server,
            "the server refused the connection (nothing listens on that port)",
        )
    if any(isinstance(c, http.client.RemoteDisconnected) for c in chain):
        # A ConnectionResetError too, but nothing came at all: not even a broken answer.
        return NetworkError(
            "CONNECT_FAILED", server, "the server closed the connection without answering"
        )
    reset = any(isinstance(c, ConnectionResetError) for c in chain) or "reset" in text
    if answering:
        if reset:
            return NetworkError(
                "CONNECTION_CUT", server, "the connection was reset in the middle of the answer"
            )
        return NetworkError(
            "CONNECTION_CUT", server, "the connection ended after only part of the answer"
        )
    if reset:
        return NetworkError(
            "CONNECT_FAILED", server, "the connection was cut by the server or by a firewall"
        )
    if (
        "remotedisconnected" in text
        or "closed connection" in text
        or "aborted" in text
        or "incompleteread" in text
        or "connection broken" in text
    ):
        return NetworkError(
            "CONNECT_FAILED", server, "the server closed the connection without answering"
        )
    if any(isinstance(c, OSError) and "unreachable" in str(c).lower() for c in chain):
        return NetworkError("CONNECT_FAILED", server, "the network is unreachable")
    return NetworkError("CONNECT_FAILED", server, str(exc) or type(exc).__name__)


def _broken_http(chain: list[BaseException]) -> str | None:
    """Why an answer was not valid HTTP, when that is what failed; else None.

    The limits are http.client's (_MAXLINE and _MAXHEADERS): a line of at most 64 KB and at
    most 100 header lines, which no Halo answer comes near.
    """
    for cause in chain:
        if isinstance(cause, http.client.RemoteDisconnected):
            return None  # no answer at all, which is another finding
        if isinstance(cause, http.client.LineTooLong):
            what = "its status line" if "status line" in str(cause) else "a line of its headers"
            return f"{what} was longer than 64 KB"
        if isinstance(cause, http.client.UnknownProtocol):
            return f"its status line names a protocol other than HTTP/1 ({_excerpt(cause.args)})"
        if isinstance(cause, http.client.BadStatusLine):
            return f"its first line is not an HTTP status line: {_excerpt(cause.args)}"
        # urllib3 reports a bad chunk size itself; read1 leaves chunks to http.client, whose
        # IncompleteRead then hides the ValueError of int(size, 16) as its context.
        if isinstance(cause, urllib3.exceptions.InvalidChunkLength) or (
            isinstance(cause, ValueError) and "base 16" in str(cause)
        ):
            return "it sent its answer in chunks whose lengths could not be read"
        if isinstance(cause, urllib3.exceptions.DecodeError):
            return "it said its answer was compressed, but the answer could not be decompressed"
        if isinstance(cause, urllib3.exceptions.InvalidHeader | requests.exceptions.InvalidHeader):
            return f"a header could not be read ({_excerpt(cause.args)})"
        if type(cause) is http.client.HTTPException and "headers" in str(cause):
            return "it sent more than 100 header lines"
    return None


def _excerpt(args: tuple[object, ...], limit: int = 60) -> str:
    """The start of what the server sent, as printable text for a finding."""
    raw = str(args[0]) if args else ""
    shown = "".join(ch if ch.isprintable() else " " for ch in raw).strip()
    shown = " ".join(shown.split())
    if not shown:
        return "unreadable bytes"
    return f'"{shown[:limit]}..."' if len(shown) > limit else f'"{shown}"'


def _classify_certificate(error: ssl.SSLCertVerificationError, server: str) -> NetworkError:
    message = (error.verify_message or str(error) or "").strip()
    lower = message.lower()
    if (
        error.verify_code in (_HOSTNAME_MISMATCH, _IP_ADDRESS_MISMATCH)
        or "mismatch" in lower
        or "doesn't match" in lower
        or "does not match" in lower
    ):
        return NetworkError("TLS_HOSTNAME_MISMATCH", server, message or "hostname mismatch")
    if error.verify_code == _NOT_YET_VALID or "not yet valid" in lower:
        reason = "the certificate is not yet valid: check this computer's date and time"
    elif error.verify_code == _EXPIRED or "expired" in lower:
        reason = "the certificate has expired, or this computer's date is wrong"
    else:
        return NetworkError(
            "TLS_UNTRUSTED", server, message or "certificate verify failed", unknown_issuer=True
        )
    return NetworkError("TLS_UNTRUSTED", server, reason)


def clock_skew(response: Response, now: datetime | None = None) -> float | None:
    """Seconds by which the server's Date header is ahead of this computer (negative: behind)."""
    server_time = response.server_date
    if server_time is None:
        return None
    local = now or datetime.now(UTC)
    # The Date header is stamped when the answer is made; allow for the time it took.
    return (server_time - local).total_seconds() + response.elapsed / 2
