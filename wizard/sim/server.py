"""HTTP mechanics of the simulator: threaded listeners, TLS per connection, recorded requests."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HANDSHAKE_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 120.0  # like IIS's default keep-alive timeout
MAX_BODY = 1024 * 1024
POLL_S = 0.05


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the simulator received it."""

    method: str
    path: str  # as sent, without the query
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    form: dict[str, str]  # a form-encoded body, else {}
    listener: str  # "agent" or "auth"
    time: float  # time.monotonic() on arrival


@dataclass
class Reply:
    """What to answer; the listener turns it into bytes on the wire."""

    status: int
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # required when body is an iterable
    delay_s: float = 0.0  # wait before answering at all
    drip_s: float = 0.0  # wait between body bytes
    hang: bool = False  # never answer
    date_skew_s: float = 0.0  # how far in the past the Date header is
    # For tests of broken servers: bytes sent exactly as given, in place of the status line,
    # headers and body (drip_s applies to them too); the connection is closed afterwards.
    raw: bytes | None = None
    reset: bool = False  # end the connection with a TCP reset once the answer is sent


App = Callable[[RecordedRequest], Reply]


class Listener(ThreadingHTTPServer):
    """A threaded HTTP(S) server whose connections can all be cut at once by abort()."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        name: str,
        app: App,
        tls: ssl.SSLContext | None,
        stopping: threading.Event,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.name = name
        self.app = app
        self.tls = tls
        self.stopping = stopping
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        # Headers and body may leave in separate writes: without this, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every answer.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            # The handshake itself happens in the connection's own thread (finish_request).
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Registered before stopping is checked, so either abort() or this check sees it.
        with self._lock:
            self._connections.add(request)
        try:
            if self.stopping.is_set():
                return
            if isinstance(request, ssl.SSLSocket):
                request.settimeout(HANDSHAKE_TIMEOUT_S)
                request.do_handshake()
            Handler(request, client_address, self)
        except (OSError, ValueError):
            return  # a failed handshake or a vanished client: nothing to report
        finally:
            with self._lock:
                self._connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # the simulator prints nothing by itself

    def abort(self) -> None:
        """Cut every open connection, waking handler threads blocked on them."""
        with self._lock:
            connections = list(self._connections)
        for sock in connections:
            # The plain socket method, so the TLS object stays intact for its own thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    """Reads one request, asks the app for a Reply, writes it; HTTP/1.1 keep-alive."""

    protocol_version = "HTTP/1.1"
    server_version = "SimulatedHalo/1.0"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    server: Listener

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _dispatch(self) -> None:
        request = self._read_request()
        if request is None:  # an unreadable body: the stream cannot be trusted any more
            reply = Reply(400, headers={"Connection": "close"})
        else:
            try:
                reply = self.server.app(request)
            except Exception as exc:  # a simulator bug: say so rather than hang up
                message = f"simulator error: {exc!r}".encode()
                reply = Reply(500, message, {"Content-Type": "text/plain"})
        try:
            self._send(reply)
        except OSError:
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    def _read_request(self) -> RecordedRequest | None:
        arrived = time.monotonic()
        target = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        body = self._read_body(headers)
        if body is None:
            return None
        form: dict[str, str] = {}
        if headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return RecordedRequest(
            method=self.command,
            path=target.path or "/",
            query=dict(parse_qsl(target.query, keep_blank_values=True)),
            headers=headers,
            form=form,
            listener=self.server.name,
            time=arrived,
        )

    def _read_body(self, headers: dict[str, str]) -> bytes | None:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _read_chunked(self) -> bytes | None:
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(body)
            if len(body) + size > MAX_BODY:
                return None
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _send(self, reply: Reply) -> None:
        stopping = self.server.stopping
        if reply.delay_s > 0 and stopping.wait(reply.delay_s):
            self.close_connection = True
            return
        if reply.hang:
            self._hang()
            self.close_connection = True
            return
        if reply.raw is not None:
            self.close_connection = True
            if self._write(reply.raw, reply.drip_s) and reply.reset:
                self._reset()
            return
        self._write_reply(reply)
        if reply.reset:
            self._reset()

    def _write(self, data: bytes, drip_s: float) -> bool:
        """Send `data`, a byte every `drip_s` seconds if set; False if the simulator stopped."""
        if drip_s <= 0:
            self.wfile.write(data)
            return True
        for byte in data:
            if self.server.stopping.wait(drip_s):
                return False
            self.wfile.write(bytes([byte]))
        return True

    def _reset(self) -> None:
        """Close the connection with a TCP reset (RST) instead of an orderly close (FIN)."""
        self.close_connection = True
        # Give the client a moment to read what was sent: a reset discards unread data.
        if self.server.stopping.wait(0.2):
            return
        sock = self.connection
        with contextlib.suppress(OSError):
            # Linger on, with a timeout of 0: closing then discards the connection with a
            # reset. (The handler's files still refer to the socket; it closes with the last.)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()

    def _write_reply(self, reply: Reply) -> None:
        stopping = self.server.stopping
        body = reply.body
        length = len(body) if isinstance(body, bytes) else reply.length
        if length is None:
            raise ValueError("a streamed Reply needs a length")
        head = self._head(reply, length)
        if self.command == "HEAD":
            self.wfile.write(head)
            return
        if isinstance(body, bytes) and reply.drip_s <= 0:
            self.wfile.write(head + body)  # one write: one segment for small answers
            return
        self.wfile.write(head)
        chunks = [body] if isinstance(body, bytes) else body
        if reply.drip_s > 0:
            chunks = (bytes([b]) for chunk in chunks for b in chunk)
        for chunk in chunks:
            interrupted = stopping.wait(reply.drip_s) if reply.drip_s > 0 else stopping.is_set()
            if interrupted:
                self.close_connection = True
                return
            self.wfile.write(chunk)

    def _head(self, reply: Reply, length: int) -> bytes:
        phrase = self.responses.get(reply.status, ("",))[0]
        headers = {
            "Server": self.server_version,
            "Date": formatdate(time.time() - reply.date_skew_s, usegmt=True),
            **reply.headers,
            "Content-Length": str(length),
        }
        if headers.get("Connection", "").lower() == "close":
            self.close_connection = True
        elif self.close_connection:
            headers["Connection"] = "close"
        lines = [f"{self.protocol_version} {reply.status} {phrase}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _hang(self) -> None:
        """Answer nothing until the client goes away or the simulator stops."""
        sock = self.connection
        sock.settimeout(POLL_S * 2)
        while not self.server.stopping.is_set():
            try:
                if not sock.recv(4096):
                    return
            except TimeoutError:
                continue
            except OSError:
                return


class Served:
    """Listeners, each served in a daemon thread: started together, stopped at once (every
    connection cut, hanging answers interrupted). SimulatedHalo and ReplayedHalo are served
    so; each says which listeners it has and what answers on them (`_app`)."""

    def __init__(self, bind: str, tls: ssl.SSLContext | None) -> None:
        self._bind = bind
        self._tls = tls
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listeners: dict[str, Listener] = {}
        self._threads: list[threading.Thread] = []
        self._stopped = False

    def _app(self, name: str) -> App:
        raise NotImplementedError

    def _serve(self, places: Iterable[tuple[str, int]]) -> None:
        """Listen on each (name, port) and serve it in a daemon thread; returns once all
        listen. Can be done once; a port that cannot be had stops what was started."""
        if self._listeners or self._stopped:
            raise RuntimeError(f"a {type(self).__name__} can be started only once")
        for name, port in places:
            try:
                listener = Listener(
                    (self._bind, port), name, self._app(name), self._tls, self._stopping
                )
            except OSError:
                self.stop()
                raise
            self._listeners[name] = listener
            thread = threading.Thread(
                target=listener.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"{type(self).__name__}-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop listening and cut every connection, interrupting hanging answers; idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._stopping.set()
        listeners = list(self._listeners.values())
        for listener in listeners:
            listener.abort()
        # shutdown() waits out a poll interval; wait for every listener at once.
        stoppers = [threading.Thread(target=listener.shutdown) for listener in listeners]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for listener in listeners:
            listener.server_close()
        for thread in self._threads:
            thread.join(timeout=1.0)
