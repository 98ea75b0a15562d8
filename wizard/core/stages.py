"""The check's conversations with Halo: each stage asks, and returns what Halo answered.

No stage judges anything: it returns the answers (a Response, or the NetworkError that
stands for no usable answer) with how long they took, and wizard/core/judges.py turns them
into findings. The token stage takes a Credential, so that a second way of proving who asks
(a signed client assertion) is a new Credential, not a change to the stages.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode, urlsplit

from wizard.core import scopes
from wizard.core.http import NetworkError, Response, Transport
from wizard.core.model import Exchange
from wizard.core.threads import DaemonExecutor

T = TypeVar("T")

Answer = Response | NetworkError

DISCOVERY_MAX_BYTES = 256 * 1024
TOKEN_MAX_BYTES = 64 * 1024
PROBE_MAX_BYTES = 1024 * 1024
# The agent record can be megabytes; the fields needed come first.
IDENTITY_MAX_BYTES = 256 * 1024
# Longest Retry-After a probe honours before the rate limit is reported instead. A 429
# without Retry-After (the only kind seen from Halo) is never tried again: Halo's window is
# minutes long and shared by every integration on the instance, so a quick second try only
# adds to it (reference §6, §10).
MAX_RETRY_WAIT = 10.0


class Credential(Protocol):
    """What proves to Halo's authorisation server who is asking for a token."""

    @property
    def client_id(self) -> str: ...

    def token_fields(self) -> dict[str, str]:
        """The form fields of the token request that carry the proof."""
        ...


@dataclass(frozen=True, repr=False)
class ClientSecret:
    """The application's Client ID and its client secret (the client credentials grant)."""

    client_id: str
    secret: str

    def token_fields(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.secret}

    def __repr__(self) -> str:
        return f"ClientSecret(client_id={self.client_id!r}, secret=***)"


@dataclass(frozen=True)
class Discovery:
    """What /api/authinfo and /api/instanceinfo answered."""

    authinfo: Answer
    instanceinfo: Answer
    seconds: float


@dataclass(frozen=True)
class TokenAnswer:
    """What the token endpoint answered."""

    answer: Answer
    seconds: float


@dataclass(frozen=True)
class Answers:
    """What the agent record and each probe (by Probe.key) answered."""

    identity: Answer
    probes: Mapping[str, Answer]
    # The Retry-After waits honoured before a second try (never without Retry-After).
    waits: tuple[float, ...] = ()
    # Rate limits not retried because Halo asked for a longer wait than MAX_RETRY_WAIT.
    refused_waits: tuple[float, ...] = ()
    seconds: float = 0.0

    def all(self) -> list[Answer]:
        return [self.identity, *self.probes.values()]


@dataclass
class Caller:
    """Blocking requests through `transport`, each in a worker thread with a hard limit."""

    transport: Transport
    timeout: float
    executor: DaemonExecutor = field(default_factory=DaemonExecutor)
    # Each request's outcome, for the report (model.Exchange), in the order they were sent.
    exchanges: list[Exchange] = field(default_factory=list)

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, functools.partial(function, *args, **kwargs))
        # The transport's watchdog is the request's deadline, from its socket's creation to
        # the last byte. Name resolution comes before there is a socket to cut, so this
        # limit is what bounds a resolver that hangs.
        try:
            return await asyncio.wait_for(future, self.timeout + 2.0)
        except TimeoutError:
            server = urlsplit(str(args[0]) if args else "").netloc
            raise NetworkError(
                "TIMEOUT", server, f"no answer within {self.timeout:g} seconds"
            ) from None

    async def answer(self, function: Callable[..., Response], *args: Any, **kwargs: Any) -> Answer:
        method = "POST" if function == self.transport.post_form else "GET"
        url = str(args[0]) if args else ""
        params = kwargs.get("params")
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        started = time.monotonic()
        # Its place is taken when the request is sent, so the list reads in sending order.
        index = len(self.exchanges)
        self.exchanges.append(Exchange(method, url, None, 0.0))
        answer: Answer
        try:
            answer = await self.call(function, *args, **kwargs)
        except NetworkError as error:
            answer = error
        except asyncio.CancelledError:
            seconds = time.monotonic() - started
            self.exchanges[index] = Exchange(
                method, url, None, seconds, error="CANCELLED", reason="no longer needed"
            )
            raise
        self.exchanges[index] = _exchange(method, url, answer, time.monotonic() - started)
        return answer


def _exchange(method: str, url: str, answer: Answer, seconds: float) -> Exchange:
    if isinstance(answer, NetworkError):
        return Exchange(method, url, None, seconds, error=answer.code, reason=answer.reason)
    said = None
    if answer.status >= 400:
        body = answer.json()
        said = _error_text(body) if body is not None else answer.text_excerpt(200) or None
    return Exchange(method, url, answer.status, seconds, halo_said=said)


def _error_text(body: object) -> str | None:
    """Halo's error fields of a refusal (error, error_description, message), never more."""
    if isinstance(body, str):
        return body.strip()[:300] or None
    if not isinstance(body, dict):
        return None
    parts = [
        str(body[key]).strip()
        for key in ("error", "error_description", "message", "Message", "title")
        if isinstance(body.get(key), str | int) and str(body[key]).strip()
    ]
    return ": ".join(parts)[:300] or None


async def discover(caller: Caller, base: str) -> Discovery:
    """Ask the instance what it is: both discovery endpoints at once."""
    started = time.monotonic()
    get = caller.transport.get
    authinfo, instanceinfo = await asyncio.gather(
        caller.answer(get, base + "/api/authinfo", max_bytes=DISCOVERY_MAX_BYTES),
        caller.answer(get, base + "/api/instanceinfo", max_bytes=DISCOVERY_MAX_BYTES),
    )
    return Discovery(authinfo, instanceinfo, time.monotonic() - started)


async def get_token(
    caller: Caller, token_url: str, credential: Credential, requested: Sequence[str]
) -> TokenAnswer:
    """Ask for a new token with `credential` for the `requested` scopes."""
    started = time.monotonic()
    form = {
        "grant_type": "client_credentials",
        **credential.token_fields(),
        "scope": " ".join(requested),
    }
    try:
        answer = await caller.answer(
            caller.transport.post_form, token_url, form, max_bytes=TOKEN_MAX_BYTES
        )
    finally:
        form.clear()
    return TokenAnswer(answer, time.monotonic() - started)


async def probe(
    caller: Caller,
    base: str,
    token: str,
    probes: Sequence[scopes.Probe],
    retry_after: Callable[[Response], float | None],
) -> Answers:
    """One read-only request per probe and the agent record, all at once."""
    started = time.monotonic()
    waits: list[float] = []
    refused: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}

    async def api_get(path: str, params: dict[str, str] | None, max_bytes: int) -> Answer:
        def send() -> Awaitable[Answer]:
            return caller.answer(
                caller.transport.get,
                base + path,
                params=params,
                headers=headers,
                max_bytes=max_bytes,
            )

        answer = await send()
        if isinstance(answer, Response) and answer.status == 429:
            wait = retry_after(answer)
            if wait is None:
                return answer
            if wait > MAX_RETRY_WAIT:
                # Never sleep for what Halo asks when it is long: say so instead.
                refused.append(wait)
                return answer
            waits.append(wait)
            await asyncio.sleep(wait)
            answer = await send()
        return answer

    answers = await asyncio.gather(
        api_get(scopes.IDENTITY_PATH, None, IDENTITY_MAX_BYTES),
        *(api_get(p.path, dict(p.params), PROBE_MAX_BYTES) for p in probes),
    )
    headers.clear()
    return Answers(
        identity=answers[0],
        probes={p.key: a for p, a in zip(probes, answers[1:], strict=True)},
        waits=tuple(waits),
        refused_waits=tuple(refused),
        seconds=time.monotonic() - started,
    )
