"""The log file: a real check over TLS leaves its outcome there, and never a secret or token."""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HaloFactory
from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, check_args, issued_tokens, run_cli
from wizard.core.log import MASK, RedactingFormatter, redact, register_secret

JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.")
BEARER = re.compile(r"(?i)bearer\s+(?!\*\*\*)\S")


def read_log(folder: Path) -> str:
    return "".join(
        path.read_text(encoding="utf-8") for path in sorted(folder.glob("halo-wizard.log*"))
    )


def assert_nothing_secret(log: str, *values: str) -> None:
    for value in values:
        assert value not in log
        assert value[:12] not in log
    assert "Authorization" not in log
    assert not JWT.search(log), "a JWT-shaped string is in the log"
    assert not BEARER.search(log), "a bearer token is in the log"


# ----- a real check, with every log message turned on -----


def test_a_check_logs_its_outcome_but_not_the_secret_nor_the_tokens(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("healthy")
    result = run_cli(
        *check_args(halo, ca_bundle),
        secret=halo.client_secret,
        HALO_WIZARD_LOG_DIR=str(tmp_path),
        HALO_WIZARD_DEBUG="1",
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    log = read_log(tmp_path)
    assert f"check of {halo.url}: ok" in log
    assert "TENANT_DETECTED" in log and "ACTS_AS_AGENT" in log
    assert "command check --ca-bundle --client-id --host --scopes --timeout" in log
    assert "Starting new HTTPS connection" in log, "HALO_WIZARD_DEBUG should add urllib3's lines"
    tokens = issued_tokens(halo)
    assert tokens, "the check should have used a token (else this test proves nothing)"
    assert_nothing_secret(log, halo.client_secret, *tokens)


def test_a_refused_secret_from_stdin_is_not_logged_either(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("wrong_secret")
    secret = secrets.token_urlsafe(32)
    result = run_cli(
        *check_args(halo, ca_bundle, "--client-secret-stdin"),
        stdin=secret + "\n",
        HALO_WIZARD_LOG_DIR=str(tmp_path),
        HALO_WIZARD_DEBUG="1",
    )
    assert result.returncode == EXIT_PROBLEMS
    log = read_log(tmp_path)
    assert f"check of {halo.url}: problems" in log and "INVALID_CLIENT" in log
    assert_nothing_secret(log, secret)


def test_the_program_runs_without_a_log_when_its_folder_cannot_be_made(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = run_cli("doctor", "--json", HALO_WIZARD_LOG_DIR=str(blocked / "logs"))
    assert result.returncode == EXIT_OK, result.stderr
    report = json.loads(result.stdout)
    assert report["log"]["writing"] is False
    assert "cannot be written" in report["log"]["reason"]
    assert report["log_file"] == str(blocked / "logs" / "halo-wizard.log")


# ----- the redactor -----


@pytest.fixture
def log_to_text() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose records are formatted exactly as the log file's are."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(f"wizard.test.{secrets.token_hex(4)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def _jwt() -> str:
    return "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(40) + "." + secrets.token_urlsafe(64)


def test_registered_secrets_are_removed_from_messages_and_arguments(
    log_to_text: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = log_to_text
    secret = secrets.token_urlsafe(24) + "+/="
    register_secret(secret)
    logger.info("the secret is %s", secret)
    logger.info("form body: grant_type=x&client_secret=%s", secret.replace("+", "%2B"))
    logger.info("as JSON %s and as repr %r", json.dumps({"s": secret}), secret)
    text = stream.getvalue()
    assert secret not in text
    assert secret.replace("+", "%2B") not in text
    assert text.count(MASK) >= 4


def test_a_traceback_whose_message_holds_the_secret_is_redacted(
    log_to_text: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = log_to_text
    secret = secrets.token_urlsafe(24)
    register_secret(secret)

    def fails() -> None:
        raise ValueError(f"Halo refused {secret}")

    try:
        fails()
    except ValueError:
        logger.exception("the check failed")
    text = stream.getvalue()
    assert "Traceback (most recent call last)" in text and "fails" in text
    assert "ValueError: Halo refused ***" in text
    assert secret not in text


@pytest.mark.parametrize(
    "message",
    [
        "headers {'Authorization': 'Bearer TOKEN', 'Accept': 'application/json'}",
        "Authorization: Bearer TOKEN",
        "sent Bearer TOKEN to Halo",
        "grant_type=client_credentials&client_secret=TOKEN&scope=all",
        '{"access_token": "TOKEN", "token_type": "Bearer"}',
        '{"refresh_token":"TOKEN"}',
        "id_token=TOKEN",
        "a token TOKEN in the middle",
        "proxy http://user:TOKEN@proxy.example:3128",
    ],
)
def test_token_shaped_text_is_masked_even_when_not_registered(
    log_to_text: tuple[logging.Logger, io.StringIO], message: str
) -> None:
    logger, stream = log_to_text
    # Unregistered, so only the patterns can catch it; JWT-shaped so the plain one is caught.
    token = _jwt() if "middle" in message else secrets.token_urlsafe(32)
    logger.warning(message.replace("TOKEN", token))
    text = stream.getvalue()
    assert token not in text
    assert token[:20] not in text
    assert MASK in text


def test_short_values_are_not_registered_so_the_log_stays_readable() -> None:
    register_secret("abc")
    register_secret("   ")
    register_secret(None)
    assert redact("abc is a word") == "abc is a word"


def test_ordinary_lines_are_left_alone() -> None:
    line = "check of https://acme.halopsa.com: ok in 0.4 s; findings: TENANT_DETECTED"
    assert redact(line) == line
    assert redact("https://proxy.example:3128/path") == "https://proxy.example:3128/path"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_new_log_folder_is_private_to_the_user(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "logs"
    result = run_cli("simulate", "--list", HALO_WIZARD_LOG_DIR=str(folder))
    assert result.returncode == EXIT_OK, result.stderr
    assert (folder / "halo-wizard.log").is_file()
    assert folder.stat().st_mode & 0o077 == 0
