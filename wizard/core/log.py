"""The program's log file: a few rotating files in the per-user log folder, never a secret.

The folder is platformdirs' user log folder for "halo-wizard" (Windows
%LOCALAPPDATA%\\halo-wizard\\Logs, macOS ~/Library/Logs/halo-wizard, Linux
$XDG_STATE_HOME/halo-wizard/log), or the folder named by HALO_WIZARD_LOG_DIR when that is
set (tests, and a supporter who wants the log somewhere else). HALO_WIZARD_DEBUG=1 adds
the HTTP library's own messages (connections, request lines, status codes).

Everything written passes through `redact`: the values given to `register_secret` (client
secrets, tokens) are removed, and anything shaped like a token, an Authorization header or
a client_secret field is masked, in messages and tracebacks alike. When the folder cannot
be written the program runs without a log, and `log_status` says why.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import platformdirs

from wizard import __version__

APP_NAME = "halo-wizard"
LOG_DIR_ENV = "HALO_WIZARD_LOG_DIR"
DEBUG_ENV = "HALO_WIZARD_DEBUG"
FILE_NAME = "halo-wizard.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
MASK = "***"
# Shorter values would mask ordinary words all over the log; no real secret is this short.
MIN_SECRET_LENGTH = 4

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s]: %(message)s"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # The whole value after the header name, whatever the scheme (Bearer, Basic, ...).
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,}]*"), rf"\g<1>{MASK}"),
    (re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]+"), rf"\g<1>{MASK}"),
    (
        re.compile(
            r"(?i)((?:client_secret|access_token|id_token|refresh_token)[\"']?\s*[:=]\s*[\"']?)"
            r"[^\"'&\s,}]+"
        ),
        rf"\g<1>{MASK}",
    ),
    # A JWT: three base64url parts, the first a JSON header ("eyJ" is '{"' encoded).
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), MASK),
    # The password in a URL (a proxy's, typically): user:pass@host -> user:***@host.
    (re.compile(r"(//[^/\s:@]*:)[^/\s@]+@"), rf"\g<1>{MASK}@"),
)

_secrets_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret or token so that `redact` (and so the log) never shows it."""
    if not value or len(value.strip()) < MIN_SECRET_LENGTH:
        return
    value = value.strip()
    # The forms it takes in a form body, a URL, JSON text or a repr().
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    forms.add(repr(value)[1:-1])
    with _secrets_lock:
        _secrets.update(form for form in forms if len(form) >= MIN_SECRET_LENGTH)


def redact(text: str) -> str:
    """`text` without any registered secret, token-shaped string or credential field."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    # Longest first, so a secret that contains another is removed whole.
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, then redacts the whole text, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@dataclass(frozen=True)
class LogStatus:
    """Where the log file is, whether this process writes to it, and why not."""

    file: Path
    writing: bool
    reason: str | None = None
    debug: bool = False


_status: LogStatus | None = None
_handler: logging.Handler | None = None


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder the log goes to: HALO_WIZARD_LOG_DIR, else the per-user log folder."""
    env = os.environ if environ is None else environ
    chosen = env.get(LOG_DIR_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def log_status() -> LogStatus:
    """What `setup_logging` did in this process; the file it would use if it was not called."""
    if _status is not None:
        return _status
    return LogStatus(log_dir() / FILE_NAME, False, "The log was not opened by this process.")


def debug_requested() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def setup_logging() -> LogStatus:
    """Send the program's log to the rotating file; safe to call again (the file is reopened)."""
    global _status, _handler
    debug = debug_requested()
    path = log_dir() / FILE_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        # 0o700: the log names hosts and Client IDs, which are no one else's business.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        reason = f"The log folder cannot be written ({exc.strerror or exc}): {path.parent}"
        _status = LogStatus(path, False, reason, debug)
        return _status
    handler.setFormatter(RedactingFormatter(_FORMAT))
    handler.setLevel(logging.DEBUG)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger("wizard").setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        logging.getLogger("urllib3").setLevel(logging.DEBUG)
    _handler = handler
    _status = LogStatus(path, True, None, debug)
    return _status


def stop_logging() -> None:
    """Close the log file and stop writing to it (tests; the program just exits)."""
    global _status, _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
    _handler = None
    _status = None


def log_start(command: str) -> None:
    """The first line of a run: what is running, where, and which command (no argument values)."""
    import platform

    logging.getLogger("wizard").info(
        "halo-wizard %s starting: command %s, %s Python %s on %s (%s)",
        __version__,
        command,
        "frozen" if getattr(sys, "frozen", False) else "not frozen",
        platform.python_version(),
        # Not platform.platform(): it asks libc and runs `uname -p`, 10 ms at every start.
        f"{platform.system()} {platform.release()}",
        platform.machine(),
    )
