"""Support traces: what Halo answered during one check, with every value that could be a
secret, a token or a record's content replaced by its type (the format: docs/trace.md).

A Recorder is the transport's observer (http.TransportOptions.observer): it is told each
request and its answer as they happen, and keeps at once only their redacted form: the
method, the path, the query (values only where they cannot be a secret), the status, the
headers that matter, and the shape of the body. Kept verbatim are only what is learnt
from and is never a secret: Halo's own error texts, the scope string of a token answer,
record counts, the tenant, the product and version, and true/false at the top of an answer
(they say what kind of agent or instance it is). Everything kept as text is scrubbed of
every secret and token the check sent or received (in any encoding, in any case), of
anything shaped like a token, and of the names of the hosts, even when Halo echoes one.

`simulate --replay` (wizard/sim/replay.py) serves a trace again, so that a support case
becomes a regression test (tests/replays/).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import re
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from wizard import __version__
from wizard.core import credentials
from wizard.core.address import HostInvalid, normalise_host
from wizard.core.connection_file import write_atomically
from wizard.core.engine import run_check
from wizard.core.http import NetworkError, Response, Sent, Transport, TransportOptions, clock_skew
from wizard.core.jsonprefix import top_level_fields
from wizard.core.log import redact
from wizard.core.model import CheckReport, CheckRequest

FORMAT = "halo-wizard-trace"
VERSION = 1
GUARANTEE = (
    "This trace holds no secret, token, assertion, password or record content: values are "
    "replaced by their type, and only Halo's error texts, scope strings, record counts, the "
    "tenant, the product and its version are kept (docs/trace.md)."
)

# What a value is replaced by.
STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, LIST = (
    "string", "integer", "number", "boolean", "object", "list",
)  # fmt: skip
TYPE_NAMES = frozenset({STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, LIST})
WITHHELD = "[withheld]"
# An id_token is {JWT: the shape of its claims}: what Halo says about who a token acts as.
JWT = "$jwt"
INSTANCE = "instance"
# Stands for the Client ID where Halo names it (an id_token's sub or aud).
CLIENT_ID = "{client_id}"

# Query parameters and form fields whose values are kept: none of them can be a secret.
KEPT_FIELDS = frozenset(
    {"tenant", "pageinate", "page_size", "page_no", "count", "grant_type", "scope"}
    | {"client_assertion_type"}
)
# Answer headers kept (lower case), and the prefixes of the rate-limit ones.
KEPT_HEADERS = frozenset(
    {"content-type", "retry-after", "www-authenticate", "location", "allow", "server"}
    | {"cache-control"}
)
KEPT_HEADER_PREFIXES = ("x-ratelimit", "ratelimit", "x-rate-limit")
# Keys of Halo's error bodies (reference §6 and §7; OpenIddict's; ASP.NET's), lower case.
ERROR_KEYS = frozenset(
    {"error", "error_description", "error_uri", "message", "classname", "title", "detail"}
    | {"errormessage", "resultcode", "exceptionmessage", "exceptiontype"}
)
# What discovery answers name the instance by: product, version, tenant (not secret).
DISCOVERY_KEPT = frozenset({"tenant_id", "app_name", "app_version"})
DISCOVERY_PATHS = ("/api/authinfo", "/api/instanceinfo")

MAX_TEXT = 300
MAX_TITLE = 120
MAX_DEPTH = 12
MAX_KEYS = 200
MAX_SHAPES = 8
# The elements of a list whose shapes are looked at: a listing's records are alike.
MAX_ITEMS = 200
MAX_EXCHANGES = 500
# Shorter values would withhold ordinary words; no real secret is this short.
MIN_SECRET = 4
# A run of the characters tokens are made of: withheld when it mixes letters and digits
# and is 24 long (a GUID, a secret, a token), or whatever it holds when it is 40 long. A
# sentence has spaces; "Microsoft-IIS/10.0" and a date are shorter.
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_~+/=%.-]{24,}")


_HostPattern = tuple[re.Pattern[str], dict[str, str]]
_Patterns = tuple[re.Pattern[str] | None, re.Pattern[str] | None, _HostPattern | None]


class _Title(HTMLParser):
    """The <title> of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title" and self.title is None

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data


class Recorder:
    """Keeps the redacted exchanges of one check; safe to call from several threads.

    `host`: the address the check was given (as typed), whose server the trace calls
    "instance". Give it to the transport as TransportOptions(observer=recorder.observe).
    """

    def __init__(self, host: str) -> None:
        self._lock = threading.Lock()
        self._exchanges: list[dict[str, Any]] = []
        self._secrets: set[str] = set()
        self._client_id: str | None = None
        self._hosts: dict[str, str] = {}
        self._notes: list[str] = []
        self._cut = 0
        self._compiled: tuple[tuple[int, int], _Patterns] | None = None
        try:
            address = normalise_host(host)
        except HostInvalid:
            self._instance: str | None = None
            self._hosted_domain: str | None = None
        else:
            self._instance = address.url
            # halopsa.com...: not the instance's name, but what some findings depend on.
            self._hosted_domain = address.hosted_domain
        if self._instance is not None:
            self._hosts[_origin_key(self._instance)] = INSTANCE

    # ----- what the transport tells -----

    def observe(self, sent: Sent, answer: Response | NetworkError) -> None:
        """Record one request and its outcome (http.Observer); never raises."""
        try:
            self._learn(sent, answer)
            exchange = {"request": self._request(sent), "answer": self._answer(sent, answer)}
        except Exception as exc:  # a trace with a gap rather than a check that fails
            with self._lock:
                self._notes.append(f"one exchange could not be recorded ({type(exc).__name__})")
            return
        with self._lock:
            if len(self._exchanges) >= MAX_EXCHANGES:
                self._cut += 1
                return
            self._exchanges.append(exchange)

    def withhold(self, *values: str | None) -> None:
        """Values never to appear in the trace, beside those the check sends and receives."""
        with self._lock:
            self._secrets.update(v.strip() for v in values if v and len(v.strip()) >= MIN_SECRET)

    def _learn(self, sent: Sent, answer: Response | NetworkError) -> None:
        """Remember every secret this exchange carries, before anything of it is shaped."""
        found: list[str] = []
        for name, value in sent.data.items():
            if name == "client_id" and credentials.looks_like_guid(value.strip()):
                with self._lock:
                    self._client_id = self._client_id or value.strip()
            elif name not in KEPT_FIELDS:
                found.append(value)
        for name, value in _query(sent).items():
            if name.lower() not in KEPT_FIELDS:
                found.append(value)
        for name, value in sent.headers.items():
            if name.lower() in ("authorization", "cookie", "proxy-authorization"):
                found.append(value)
                found.append(value.partition(" ")[2])
        if isinstance(answer, Response):
            body = answer.json()
            if body is None and answer.truncated:
                body = top_level_fields(answer.body)
            if isinstance(body, dict):
                found.extend(
                    value
                    for key, value in body.items()
                    if isinstance(value, str) and "token" in key.lower() and key != "token_type"
                )
        self.withhold(*found)

    # ----- the request -----

    def _request(self, sent: Sent) -> dict[str, Any]:
        parts = urlsplit(sent.url)
        record: dict[str, Any] = {
            "server": self._host_name(parts),
            "method": sent.method,
            "path": self._text(parts.path or "/", 500),
        }
        query = _query(sent)
        if query:
            record["query"] = self._fields(query)
        if sent.data:
            record["form"] = self._fields(sent.data)
        scheme = next(
            (v.split(" ")[0] for k, v in sent.headers.items() if k.lower() == "authorization"), None
        )
        if scheme:
            record["authorization"] = scheme if scheme.isalpha() else STRING
        return record

    def _fields(self, fields: Mapping[str, str]) -> dict[str, str]:
        """Names kept; values only of KEPT_FIELDS, the Client ID as {client_id}, else a type."""
        kept: dict[str, str] = {}
        for name, value in fields.items():
            key = self._key(name)
            if name.lower() in KEPT_FIELDS:
                kept[key] = self._text(value, MAX_TEXT)
            elif name == "client_id" and value.strip() == self._client_id:
                kept[key] = CLIENT_ID
            else:
                kept[key] = _scalar_type(value)
        return kept

    # ----- the answer -----

    def _answer(self, sent: Sent, answer: Response | NetworkError) -> dict[str, Any]:
        if isinstance(answer, NetworkError):
            return {"error": answer.code, "reason": self._text(answer.reason, MAX_TEXT)}
        record: dict[str, Any] = {"status": answer.status}
        headers = {
            name: self._header(name, value)
            for name, value in sorted(answer.headers.items())
            if name in KEPT_HEADERS or name.startswith(KEPT_HEADER_PREFIXES)
        }
        if headers:
            record["headers"] = headers
        record["body"] = self._body(sent, answer)
        if answer.truncated:
            record["truncated"] = True
        skew = clock_skew(answer)
        if skew is not None and abs(skew) >= 60:
            record["date_offset_s"] = round(skew)
        record["seconds"] = round(answer.elapsed, 3)
        return record

    def _header(self, name: str, value: str) -> str:
        if name == "location":
            return self._url(value)
        if name == "retry-after" and value.strip().isdigit():
            return value.strip()
        return self._text(value, MAX_TEXT)

    def _body(self, sent: Sent, answer: Response) -> dict[str, Any]:
        body = answer.body
        size = len(body)
        if not body.strip():
            return {"kind": "empty"} if not size else {"kind": "empty", "size": size}
        if answer.looks_like_html:
            parser = _Title()
            try:
                parser.feed(body[:65536].decode("utf-8", "replace"))
            except Exception:  # HTMLParser on bytes no page holds: then no title
                parser.title = None
            title = " ".join((parser.title or "").split())
            return {
                "kind": "html",
                "size": size,
                "title": self._text(title, MAX_TITLE) if title else None,
            }
        parsed = answer.json()
        if parsed is None and answer.truncated:
            parsed = top_level_fields(body) or None
        error = answer.status >= 400 or _error_only(parsed)
        if parsed is not None:
            what = _Kind(
                error=error,
                token=sent.method == "POST" and _has(parsed, "access_token"),
                discovery=urlsplit(sent.url).path.lower().rstrip("/").endswith(DISCOVERY_PATHS),
            )
            return {"kind": "json", "size": size, "shape": self._shape(parsed, (), what)}
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return {"kind": "bytes", "size": size}
        kept = self._text(" ".join(text.split()), MAX_TEXT) if error else STRING
        return {"kind": "text", "size": size, "text": kept}

    def _shape(self, value: Any, path: tuple[str, ...], what: _Kind) -> Any:
        """`value` with every value replaced by its type, except what `what` says is kept."""
        top = len(path) == 1
        if value is None:
            return None
        if isinstance(value, bool):
            # At the top of an answer true/false say what kind of agent or instance it is;
            # inside a list they belong to a record.
            return value if top and not what.claims else BOOLEAN
        if isinstance(value, int):
            if top and path[0] == "record_count":
                return value
            if top and what.token and path[0] == "expires_in":
                return value
            return INTEGER
        if isinstance(value, float):
            return NUMBER
        if isinstance(value, str):
            return self._string(value, path, what)
        if len(path) >= MAX_DEPTH:
            return LIST if isinstance(value, list) else OBJECT
        if isinstance(value, list):
            shapes: list[Any] = []
            seen: set[str] = set()
            for item in value[:MAX_ITEMS]:
                shape = self._shape(item, (*path, "[]"), what)
                mark = json.dumps(shape, sort_keys=True)
                if mark not in seen:
                    seen.add(mark)
                    shapes.append(shape)
                    if len(shapes) >= MAX_SHAPES:
                        break
            return shapes
        if isinstance(value, dict):
            shaped: dict[str, Any] = {}
            for key, item in list(value.items())[:MAX_KEYS]:
                name = self._key(str(key))
                if not path and what.token and key == "id_token":
                    shaped[name] = self._jwt(item)
                else:
                    shaped[name] = self._shape(item, (*path, str(key)), what)
            return shaped
        return STRING

    def _string(self, value: str, path: tuple[str, ...], what: _Kind) -> str:
        if not value:
            return ""  # holds nothing, and tells an on-premise Halo's empty tenant apart
        top = len(path) == 1
        key = path[0].lower() if path else ""
        if what.error:
            list_of_texts = len(path) == 2 and path[1] == "[]"
            problem_details = len(path) == 3 and key == "errors" and path[2] == "[]"
            if not path or (top and key in ERROR_KEYS) or list_of_texts or problem_details:
                return self._text(value, MAX_TEXT)
        if what.token and top and key in ("scope", "token_type"):
            return self._text(value, MAX_TEXT)
        if what.discovery and top and key in DISCOVERY_KEPT:
            return self._text(value, MAX_TEXT)
        url = value.lower().startswith(("http://", "https://"))
        if url and ((what.discovery and top) or (what.claims and key == "iss")):
            return self._url(value)
        if what.claims and self._client_id is not None and value == self._client_id:
            return CLIENT_ID
        return STRING

    def _jwt(self, value: Any) -> Any:
        """An id_token: {JWT: the shape of its claims}; never its values or signature."""
        if not isinstance(value, str):
            return self._shape(value, ("id_token",), _Kind())
        parts = value.split(".")
        claims: Any = None
        if len(parts) == 3:
            try:
                raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
                claims = json.loads(raw)
            except (ValueError, UnicodeDecodeError, RecursionError):
                claims = None
        if not isinstance(claims, dict):
            return STRING
        shaped = {
            self._key(str(k)): self._shape(v, (str(k),), _Kind(claims=True))
            for k, v in list(claims.items())[:MAX_KEYS]
        }
        return {JWT: shaped}

    # ----- names, URLs and texts -----

    def _host_name(self, parts: Any) -> str:
        """The name the trace gives a server: "instance", or "host1", "host2"... by first
        appearance (another host's name is never kept)."""
        key = _origin_key(f"{parts.scheme}://{parts.netloc}")
        with self._lock:
            name = self._hosts.get(key)
            if name is None:
                name = self._hosts[key] = f"host{len(self._hosts) + (self._instance is None)}"
        return name

    def _url(self, value: str) -> str:
        """A URL as {server}/path: the host by its name in the trace, the query's values
        by the rules of a request's."""
        try:
            parts = urlsplit(value.strip())
        except ValueError:
            return STRING
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            text = self._text(parts.path, 500)  # on the server that answered
        elif parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return STRING
        else:
            text = "{" + self._host_name(parts) + "}" + self._text(parts.path, 500)
        if parts.query:
            query = self._fields(dict(parse_qsl(parts.query, keep_blank_values=True)))
            text += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return text

    def _key(self, name: str) -> str:
        """A field name as kept: a name, unless it looks like a secret or a token."""
        return self._text(name, 100)

    def _text(self, text: str, limit: int) -> str:
        """`text` without any secret, token-shaped run or host name, at most `limit` long."""
        cleaned = self._scrub(text[: limit * 4])
        cleaned = redact(cleaned)
        cleaned = _TOKEN_RUN.sub(_withhold_run, cleaned)
        return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."

    def _scrub(self, text: str, *, hosts: bool = True) -> str:
        """`text` with every known secret (in any of its forms) withheld and, with `hosts`,
        every host named as the trace names it."""
        secrets, encoded, names = self._patterns()
        if secrets is not None:
            text = secrets.sub(WITHHELD, text)
        if encoded is not None:
            text = encoded.sub(WITHHELD, text)
        if hosts and names:
            pattern, by_form = names
            text = pattern.sub(lambda m: "{" + by_form[m.group(0).lower()] + "}", text)
        return text

    def _patterns(
        self,
    ) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, _HostPattern | None]:
        """The secrets' text forms (any case), their base64 forms, and the hosts' names, as
        compiled patterns: made again only when a secret or a host was added."""
        with self._lock:
            state = (len(self._secrets), len(self._hosts))
            if self._compiled is not None and self._compiled[0] == state:
                return self._compiled[1]
            secrets = list(self._secrets)
            hosts = dict(self._hosts)
        texts = sorted({f for v in secrets for f in _encoded_forms(v)}, key=len, reverse=True)
        cores = sorted({f for v in secrets for f in _base64_forms(v)}, key=len, reverse=True)
        by_form: dict[str, str] = {}
        for origin, name in hosts.items():
            netloc = origin.split("://", 1)[1]
            host = netloc if netloc.endswith("]") else netloc.rsplit(":", 1)[0]
            for shown in (origin, netloc, host):
                # A one-label name ("halo" on an intranet) would rename every "Halo".
                if len(shown) >= MIN_SECRET and ("." in shown or ":" in shown):
                    by_form.setdefault(shown.lower(), name)
        forms = sorted(by_form, key=len, reverse=True)
        compiled = (
            re.compile("|".join(map(re.escape, texts)), re.IGNORECASE) if texts else None,
            re.compile("|".join(map(re.escape, cores))) if cores else None,
            (re.compile("|".join(map(re.escape, forms)), re.IGNORECASE), by_form)
            if forms
            else None,
        )
        with self._lock:
            self._compiled = (state, compiled)
        return compiled

    # ----- the trace -----

    def trace(
        self, report: CheckReport, *, request: CheckRequest, command: str = "check"
    ) -> dict[str, Any]:
        """The whole trace of the check that made `report` from `request`, as JSON data."""
        with self._lock:
            exchanges = list(self._exchanges)
            notes = list(self._notes)
            cut = self._cut
        if cut:
            notes.append(f"{cut} more exchanges were not recorded (at most {MAX_EXCHANGES})")
        client_id = report.client_id or ""
        given_auth = (request.auth_url or "").strip()
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "guarantee": GUARANTEE,
            "program": f"halo-wizard {__version__}",
            "recorded_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "command": command,
            "check": {
                "host": "{" + INSTANCE + "}",
                "hosted_domain": self._hosted_domain,
                "client_id": client_id if credentials.looks_like_guid(client_id) else None,
                "credential": "private key" if request.private_key is not None else "secret",
                "scopes": [self._text(s, 100) for s in report.requested_scopes],
                "tenant": self._text(request.tenant, 100) if request.tenant else None,
                "auth_url": self._url(given_auth) if given_auth else None,
                "tool": request.tool,
                "timeout": request.timeout,
            },
            "result": {
                "ok": report.ok,
                "codes": report.codes(),
                "scopes": {r.scope: str(r.status) for r in report.scopes},
                "identity": report.identity.kind if report.identity is not None else None,
            },
            "exchanges": exchanges,
        }
        if notes:
            data["notes"] = notes
        # Once more over everything, with every secret now known: an answer recorded
        # before a secret was learnt cannot hold it, but nothing rests on that.
        final: dict[str, Any] = _cleaned(data, self._final)
        return final

    def _final(self, text: str) -> str:
        if text in TYPE_NAMES or not text:
            return text
        return self._scrub(text, hosts=False)


@dataclass(frozen=True)
class _Kind:
    """What an answer is, for what of it is kept: an error answer's texts, a token answer's
    scope, discovery's product and tenant, an id_token's claims."""

    error: bool = False
    token: bool = False
    discovery: bool = False
    claims: bool = False


def _origin_key(url: str) -> str:
    """scheme://host[:port] in lower case, without the scheme's default port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == {"http": 80, "https": 443}.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _query(sent: Sent) -> dict[str, str]:
    query = dict(parse_qsl(urlsplit(sent.url).query, keep_blank_values=True))
    query.update(sent.params)
    return query


def _scalar_type(value: str) -> str:
    """The type a withheld query or form value is replaced by."""
    if not value:
        return ""
    return INTEGER if value.isascii() and value.isdigit() else STRING


def _has(body: object, key: str) -> bool:
    return isinstance(body, dict) and key in body


def _error_only(body: object) -> bool:
    """A body of nothing but error fields ({"message": "You do not have access..."})."""
    return isinstance(body, dict) and bool(body) and all(k.lower() in ERROR_KEYS for k in body)


def _withhold_run(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = any(c.isdigit() for c in run) and any(c.isalpha() for c in run)
    return WITHHELD if mixed or len(run) >= 40 else run


def _encoded_forms(value: str) -> set[str]:
    """The forms a value takes in a form body, a URL, JSON text or a repr()."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value), json.dumps(value)[1:-1]}
    forms.add(repr(value)[1:-1])
    return {form for form in forms if len(form) >= MIN_SECRET}


def _base64_forms(value: str) -> set[str]:
    """What `value` looks like inside base64 text, in both alphabets, at each of the three
    offsets it can start at (a Basic header encodes "client_id:secret")."""
    data = value.encode("utf-8")
    forms: set[str] = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(data).decode("ascii").rstrip("="))
        for offset in (1, 2):
            text = encode(b"\0" * offset + data).decode("ascii")
            forms.add(text[4 : 4 * ((offset + len(data)) // 3)])
    return {form for form in forms if len(form) >= 8}


def _cleaned(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item, clean) for item in value]
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v, clean) for k, v in value.items()}
    return value


# ----- running a recorded check, and writing the trace -----


def run_check_recorded(request: CheckRequest, recorder: Recorder) -> CheckReport:
    """run_check_sync(request), with every exchange told to `recorder`.

    The transport is the one the engine would make (same timeout, CA bundle and routes),
    with the recorder as its observer. A CA bundle that cannot be loaded is left to the
    engine to report: nothing is sent then, so there is nothing to record.
    """
    recorder.withhold(request.client_secret)
    try:
        transport = Transport(
            TransportOptions(
                timeout=request.timeout,
                ca_bundle=request.ca_bundle,
                routes=request.routes,
                observer=recorder.observe,
            )
        )
    except (ssl.SSLError, OSError):
        return asyncio.run(run_check(request))
    try:
        return asyncio.run(run_check(request, transport=transport))
    finally:
        transport.close()


def record_check(
    request: CheckRequest, path: str, *, command: str, secret: str | None = None
) -> CheckReport:
    """Run the check of `request`, and write its trace to `path` (atomically) as soon as it
    ends; ExportError says why the trace could not be written. `secret`: the secret the
    front end read, withheld even where the check never sent it."""
    recorder = Recorder(request.host)
    recorder.withhold(secret)
    report = run_check_recorded(request, recorder)
    write_trace(path, recorder.trace(report, request=request, command=command))
    return report


def dumps(trace: Mapping[str, Any]) -> bytes:
    """The trace as the file holds it: UTF-8 JSON, two-space indented, one final newline."""
    return (json.dumps(trace, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_trace(path: str, trace: Mapping[str, Any]) -> None:
    """Write the trace to `path` at once (ExportError says why it could not be)."""
    write_atomically(path, dumps(trace))
