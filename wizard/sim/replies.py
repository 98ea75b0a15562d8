"""Ready-made replies of the simulator: JSON, empty, text and the HTML pages it serves."""

from __future__ import annotations

import json
from typing import Any

from .server import Reply

NOT_FOUND_PAGE = """<!DOCTYPE html>
<html><head><title>404 - File or directory not found.</title></head>
<body><div id="header"><h1>Server Error</h1></div>
<div id="content"><h2>404 - File or directory not found.</h2>
<h3>The resource you are looking for might have been removed, had its name changed,
or is temporarily unavailable.</h3></div></body></html>
"""

COMPANY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Northwind Consulting | Home</title></head>
<body><header><nav><a href="/">Home</a> <a href="/services">Services</a>
<a href="/contact">Contact us</a></nav></header>
<main><h1>IT that just works</h1><p>Managed services for small businesses since 2009.</p></main>
<footer>&copy; Northwind Consulting Ltd</footer></body></html>
"""

SIGN_IN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in to continue</title></head>
<body><h1>Sign in</h1><p>Your session has expired. Please sign in to continue.</p>
<form method="post" action="/proxy/login"><input name="username"><input name="password"
type="password"><button type="submit">Sign in</button></form></body></html>
"""

APP_SHELL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Halo</title>
<base href="/"><link rel="stylesheet" href="styles.css"></head>
<body><app-root></app-root><noscript>Please enable JavaScript to use Halo.</noscript>
<script src="main.js"></script></body></html>
"""

DOTNET_EXCEPTION: dict[str, Any] = {
    "ClassName": "System.Exception",
    "Message": "Object reference not set to an instance of an object.",
    "Data": None,
    "InnerException": None,
    "HelpURL": None,
    "StackTraceString": "   at HaloAPI.Controllers.TicketsController.Get(TicketSearch search)",
    "RemoteStackTraceString": None,
    "RemoteStackIndex": 0,
    "ExceptionMethod": None,
    "HResult": -2146233088,
    "Source": "HaloAPI",
    "WatsonBuckets": None,
}

RATE_LIMIT_TEXT = "Rate Limit Reached - 300 Requests per rolling 5 minute window"


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(
        status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )


def empty(status: int, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, b"", dict(headers or {}))


def html(status: int, page: str) -> Reply:
    return Reply(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status, message.encode(), {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
    )


def oauth_error(status: int, error: str, description: str) -> Reply:
    return json_reply(
        status,
        {"error": error, "error_description": description},
        {"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def unauthorized() -> Reply:
    return empty(401, {"WWW-Authenticate": "Bearer"})


def rate_limited(retry_after_s: int | None = None, message: str = RATE_LIMIT_TEXT) -> Reply:
    """Halo's 429: its text, and Retry-After only when given (Halo was never seen sending it)."""
    headers = {} if retry_after_s is None else {"Retry-After": str(retry_after_s)}
    return text(429, message, headers)
