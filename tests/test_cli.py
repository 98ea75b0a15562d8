"""The halo-wizard command line, run as a real subprocess against the simulated Halo over TLS."""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_SCOPES, HaloFactory
from tests.core.test_http import HeaderDripServer
from wizard.sim import SimulatedHalo

REPO = Path(__file__).resolve().parent.parent
SECRET_ENV = "HALO_CLIENT_SECRET"
ANSI = re.compile(r"\x1b\[")
QT_MODULES = ("PySide6", "shiboken6", "qasync")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _env(secret: str | None = None, **extra: str) -> dict[str, str]:
    """This environment without any secret or colour preference, able to import `wizard`."""
    env = {k: v for k, v in os.environ.items() if k not in (SECRET_ENV, "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    if secret is not None:
        env[SECRET_ENV] = secret
    env.update(extra)
    return env


def run_cli(
    *args: str,
    secret: str | None = None,
    stdin: str | None = None,
    timeout: float = 60.0,
    **extra_env: str,
) -> subprocess.CompletedProcess[str]:
    """`python -m wizard ARGS` with the secret in the environment or on stdin (never a TTY)."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=REPO,
        env=_env(secret, **extra_env),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def run_cli_bytes(
    *args: str | bytes,
    stdin: bytes = b"",
    secret: str | bytes | None = None,
    timeout: float = 60.0,
) -> subprocess.CompletedProcess[str]:
    """run_cli with bytes as they arrive from a pipe (and in arguments and the environment),
    whatever their encoding; the output is read as UTF-8."""
    env: dict[str | bytes, str | bytes] = dict(_env())
    if secret is not None:
        env[SECRET_ENV] = secret
    result = subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=REPO,
        env=env,  # type: ignore[arg-type]  # POSIX takes bytes values
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def check_args(
    halo: SimulatedHalo, ca_bundle: str, *extra: str, scopes: str = DEFAULT_SCOPES
) -> list[str]:
    return [
        "check",
        "--host",
        halo.url,
        "--client-id",
        halo.client_id,
        "--scopes",
        scopes,
        "--ca-bundle",
        ca_bundle,
        "--timeout",
        "5",
        *extra,
    ]


def _printed(exc: subprocess.TimeoutExpired) -> str:
    """What a process that was killed for taking too long had printed."""
    out = exc.stdout or b""
    return out.decode("utf-8", "replace") if isinstance(out, bytes) else out


def issued_tokens(halo: SimulatedHalo) -> set[str]:
    """The access tokens the simulator issued, as the check sent them back to it."""
    tokens = set()
    for request in halo.requests:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            tokens.add(token.strip())
    return tokens


# ----- exit codes and the readable report -----


def test_healthy_instance_exits_0_with_a_readable_report(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli(*check_args(halo, ca_bundle), secret=halo.client_secret)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    out = result.stdout
    assert halo.url in out
    assert "Halo PSA 2.236.133" in out
    assert "acme" in out
    assert "Integration API" in out
    assert "137 tickets visible" in out
    assert "the connection works" in out
    assert "Traceback" not in result.stderr


def test_wrong_secret_exits_1_and_names_the_problem(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("wrong_secret")
    result = run_cli(*check_args(halo, ca_bundle), secret=halo.client_secret)
    assert result.returncode == EXIT_PROBLEMS, result.stdout + result.stderr
    assert "INVALID_CLIENT" in result.stdout
    assert "Result: the connection works" not in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--bogus-option"], "unknown option --bogus-option"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "-3"], "--timeout"),
        (["--scopes", " , "], "--scopes"),
        (["--ca-bundle", "no-such-ca-bundle.pem"], "no-such-ca-bundle.pem"),
    ],
    ids=["unknown-option", "zero-timeout", "negative-timeout", "empty-scopes", "missing-ca-bundle"],
)
def test_usage_errors_exit_2_without_contacting_halo(
    halo: SimulatedHalo, ca_bundle: str, extra: list[str], says: str
) -> None:
    result = run_cli(*check_args(halo, ca_bundle), *extra, secret=halo.client_secret)
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert halo.requests == []


def test_no_secret_and_no_terminal_exits_2_and_says_how_to_give_it(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli(*check_args(halo, ca_bundle))
    assert result.returncode == EXIT_USAGE
    assert SECRET_ENV in result.stderr and "--client-secret-stdin" in result.stderr
    assert result.stdout == ""
    assert halo.requests == []


@pytest.mark.parametrize(
    "option",
    [["--client-secret", "VALUE"], ["--client-secret=VALUE"], ["--secret", "VALUE"]],
    ids=["client-secret", "client-secret=", "secret"],
)
def test_there_is_no_option_taking_the_secret_as_an_argument(
    halo: SimulatedHalo, ca_bundle: str, option: list[str]
) -> None:
    secret = secrets.token_urlsafe(24)
    args = [part.replace("VALUE", secret) for part in option]
    result = run_cli(*check_args(halo, ca_bundle), *args)
    assert result.returncode == EXIT_USAGE
    assert halo.requests == []


def test_help_offers_no_way_to_pass_the_secret_as_an_argument() -> None:
    result = run_cli("check", "--help")
    assert result.returncode == EXIT_OK
    help_text = result.stdout
    assert "--client-secret-stdin" in help_text and SECRET_ENV in help_text
    assert not re.search(r"--client-secret(?!-stdin)", help_text)
    # --secret-store says where a saved secret is kept; it takes no secret.
    assert not re.search(r"--secret(?!-store)", help_text)


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_timeout_that_is_not_a_finite_number_is_a_usage_error(
    halo: SimulatedHalo, ca_bundle: str, value: str
) -> None:
    result = run_cli(*check_args(halo, ca_bundle), "--timeout", value, secret=halo.client_secret)
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_USAGE
    assert "--timeout" in result.stderr


def test_ca_bundle_that_is_not_a_certificate_is_explained_without_a_traceback(
    halo: SimulatedHalo, tmp_path: Path
) -> None:
    not_pem = tmp_path / "proxy-root.cer"
    not_pem.write_text("this is not a certificate\n")
    result = run_cli(*check_args(halo, str(not_pem)), secret=halo.client_secret)
    assert "Traceback" not in result.stderr
    assert result.returncode != EXIT_OK
    assert str(not_pem) in result.stdout + result.stderr


# ----- JSON -----


def _check_json(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    report = json.loads(result.stdout)  # the whole of stdout is one JSON object
    assert isinstance(report, dict)
    for key in (
        "ok",
        "host",
        "product",
        "version",
        "tenant",
        "auth_url",
        "token_url",
        "identity",
        "scopes",
        "findings",
    ):
        assert key in report, key
    for scope in report["scopes"]:  # type: ignore[attr-defined]
        assert {"scope", "status"} <= set(scope)
    for finding in report["findings"]:  # type: ignore[attr-defined]
        assert {"code", "severity", "title", "detail", "fix"} <= set(finding)
        assert isinstance(finding["fix"], list)
    return report


def test_json_output_is_one_object_with_the_whole_report(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli(*check_args(halo, ca_bundle, "--json"), secret=halo.client_secret)
    assert result.returncode == EXIT_OK, result.stderr
    report = _check_json(result)
    assert report["ok"] is True
    assert report["host"] == halo.url
    assert report["product"] == "Halo PSA" and report["version"] == "2.236.133"
    assert report["tenant"] == "acme"
    assert report["auth_url"] == f"{halo.url}/auth"
    assert report["token_url"] == f"{halo.url}/auth/token?tenant=acme"
    identity = report["identity"]
    assert isinstance(identity, dict)
    assert {k: identity[k] for k in ("kind", "name", "id", "api_only")} == {
        "kind": "agent",
        "name": "Integration API",
        "id": 42,
        "api_only": True,
    }
    scopes = {s["scope"]: s for s in report["scopes"]}  # type: ignore[attr-defined]
    assert list(scopes) == ["read:tickets", "read:customers", "read:assets"]
    assert scopes["read:tickets"]["status"] == "ok" and scopes["read:tickets"]["records"] == 137
    codes = [f["code"] for f in report["findings"]]  # type: ignore[attr-defined]
    assert "TENANT_DETECTED" in codes and "ACTS_AS_AGENT" in codes
    assert not ANSI.search(result.stdout)


def test_json_output_for_a_failure_is_still_one_object(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("agent_no_permission")
    result = run_cli(*check_args(halo, ca_bundle, "--json"), secret=halo.client_secret)
    assert result.returncode == EXIT_PROBLEMS
    report = _check_json(result)
    assert report["ok"] is False
    denied = [
        f
        for f in report["findings"]  # type: ignore[attr-defined]
        if f["code"] == "PERMISSION_DENIED"
    ]
    assert denied and all(f["severity"] == "error" and f["fix"] for f in denied)
    statuses = {s["scope"]: s["status"] for s in report["scopes"]}  # type: ignore[attr-defined]
    assert statuses["read:tickets"] == "denied"


def test_json_tenant_is_null_on_premise(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo = start_halo("on_premise")
    result = run_cli(*check_args(halo, ca_bundle, "--json"), secret=halo.client_secret)
    assert result.returncode == EXIT_OK, result.stderr
    report = _check_json(result)
    assert report["tenant"] is None
    assert report["product"] == "Halo ITSM"
    assert report["token_url"] == f"{halo.url}/auth/token"


# ----- the secret on standard input, scopes with commas -----


def test_secret_from_stdin_and_comma_separated_scopes(halo: SimulatedHalo, ca_bundle: str) -> None:
    result = run_cli(
        *check_args(
            halo, ca_bundle, "--client-secret-stdin", "--json", scopes="read:tickets,read:customers"
        ),
        stdin=halo.client_secret,
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    report = _check_json(result)
    assert [s["scope"] for s in report["scopes"]] == [  # type: ignore[attr-defined]
        "read:tickets",
        "read:customers",
    ]
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.form["client_secret"] == halo.client_secret
    assert token_request.form["scope"] == "read:tickets read:customers"


def test_secret_on_stdin_wins_over_the_environment(halo: SimulatedHalo, ca_bundle: str) -> None:
    result = run_cli(
        *check_args(halo, ca_bundle, "--client-secret-stdin"),
        stdin=halo.client_secret,
        secret=secrets.token_urlsafe(24),
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr


def test_secret_piped_with_a_trailing_newline_gives_no_warning(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli(
        *check_args(halo, ca_bundle, "--client-secret-stdin", "--json"),
        stdin=halo.client_secret + "\n",
    )
    assert result.returncode == EXIT_OK
    report = _check_json(result)
    codes = [f["code"] for f in report["findings"]]  # type: ignore[attr-defined]
    assert "SECRET_TRIMMED" not in codes


# ----- a secret piped or set in an encoding other than UTF-8 -----


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: b"\xef\xbb\xbf" + s.encode() + b"\n",
        lambda s: b"\xff\xfe" + (s + "\r\n").encode("utf-16-le"),
        lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
        lambda s: (s + "\r\n").encode("utf-16-le"),
    ],
    ids=["utf8-with-mark", "powershell-utf16-le", "utf16-be-with-mark", "utf16-le-without-mark"],
)
def test_secret_piped_in_another_unicode_encoding_is_read_as_the_secret(
    halo: SimulatedHalo, ca_bundle: str, encode: Callable[[str], bytes]
) -> None:
    result = run_cli_bytes(
        *check_args(halo, ca_bundle, "--client-secret-stdin", "--json"),
        stdin=encode(halo.client_secret),
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.form["client_secret"] == halo.client_secret
    codes = [f["code"] for f in _check_json(result)["findings"]]  # type: ignore[attr-defined]
    assert "SECRET_TRIMMED" not in codes, "the encoding's marks are not the admin's doing"


_SECRET = "1a2b3c4d-0000-4000-8000-123456789abc-9f8e7d6c-1111-4111-9111-abcdefabcdef"


@pytest.mark.parametrize(
    ("piped", "says"),
    [
        (b"\xff\xfe" + _SECRET.encode("utf-16-le") + b"\x00", "0xFF 0xFE, the mark of UTF-16"),
        (b"\xfe\xff" + _SECRET.encode("utf-16-be") + b"\xdc\x00", "character 74 after it"),
        (_SECRET[:30].encode() + b"\xff" + _SECRET[30:].encode(), "byte 31 is the first"),
        (_SECRET.encode("cp1252")[:-1] + "\u00e9".encode("cp1252"), "Windows code page"),
        (b"\xef\xbb\xbf" + _SECRET.encode() + b"\xc3", "0xEF 0xBB 0xBF, the mark of UTF-8"),
    ],
    ids=["utf16-odd-length", "utf16-broken-pair", "stray-byte", "windows-1252", "utf8-mark"],
)
def test_secret_piped_as_bytes_that_are_not_text_is_a_usage_error_that_never_shows_them(
    halo: SimulatedHalo, ca_bundle: str, piped: bytes, says: str
) -> None:
    result = run_cli_bytes(
        *check_args(halo, ca_bundle, "--client-secret-stdin", "--json"), stdin=piped
    )
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"standard input held {len(piped)} bytes that cannot be read as" in result.stderr
    assert says in result.stderr
    for shown in (_SECRET[:8], _SECRET[-8:], "1a2b", "abcdef"):
        assert shown not in result.stderr
    assert halo.requests == []


def test_far_more_than_a_secret_on_standard_input_is_a_usage_error(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli_bytes(
        *check_args(halo, ca_bundle, "--client-secret-stdin"), stdin=b"x" * (1024 * 1024)
    )
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "far more than a client secret" in result.stderr
    assert "Traceback" not in result.stderr and halo.requests == []


@pytest.mark.skipif(sys.platform == "win32", reason="the environment holds bytes on POSIX only")
def test_secret_in_the_environment_that_is_not_utf8_is_a_usage_error(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    secret = _SECRET[:40].encode() + b"\xe9" + _SECRET[41:].encode()
    result = run_cli_bytes(*check_args(halo, ca_bundle), secret=secret)
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert f"{SECRET_ENV} held {len(secret)} bytes that cannot be read as UTF-8" in result.stderr
    assert "byte 41 is the first" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert _SECRET[:8] not in result.stderr and halo.requests == []


def test_invisible_characters_in_the_environment_and_arguments_are_removed_and_said(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    args = check_args(halo, ca_bundle, "--json", scopes="read:tickets\u200b read:customers")
    args[args.index("--client-id") + 1] = f"\u2060{halo.client_id}"
    result = run_cli(*args, "--tenant", "acme\u00a0", secret=f"\ufeff{halo.client_secret}")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    findings = {f["code"]: f["detail"] for f in _check_json(result)["findings"]}  # type: ignore[attr-defined]
    assert "a byte-order mark at the start" in findings["SECRET_TRIMMED"]
    assert "a word joiner at the start" in findings["CLIENT_ID_CLEANED"]
    assert "a zero-width space after read:tickets" in findings["SCOPES_CLEANED"]
    assert "TENANT_MISMATCH" not in findings and "SCOPE_UNKNOWN" not in findings
    assert halo.client_secret not in result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="arguments are bytes on POSIX only")
def test_argument_bytes_that_are_not_utf8_are_removed_without_a_traceback(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli_bytes(
        *check_args(halo, ca_bundle, "--json"), "--tenant", b"acme\xff", secret=halo.client_secret
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    findings = {f["code"]: f["detail"] for f in _check_json(result)["findings"]}  # type: ignore[attr-defined]
    assert "a byte that is not text after acme" in findings["TENANT_CLEANED"]


# ----- the secret and the token never appear -----


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("which", ["right", "made-up"])
def test_secret_and_token_never_appear_in_the_output(
    halo: SimulatedHalo, ca_bundle: str, as_json: bool, which: str
) -> None:
    secret = halo.client_secret if which == "right" else secrets.token_urlsafe(32)
    args = check_args(halo, ca_bundle, *(["--json"] if as_json else []))
    result = run_cli(*args, secret=secret)
    assert result.returncode == (EXIT_OK if which == "right" else EXIT_PROBLEMS)
    # The secret did reach Halo, so the output had every chance to repeat it.
    (token_request,) = [r for r in halo.requests if r.method == "POST"]
    assert token_request.form["client_secret"] == secret
    shown = result.stdout + result.stderr
    assert secret not in shown
    tokens = issued_tokens(halo)
    assert bool(tokens) == (which == "right")
    for token in tokens:
        assert token not in shown
        assert token[:16] not in shown


def test_secret_from_stdin_never_appears_when_wrong(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("wrong_secret")
    secret = secrets.token_urlsafe(32)
    result = run_cli(*check_args(halo, ca_bundle, "--client-secret-stdin"), stdin=secret)
    assert result.returncode == EXIT_PROBLEMS
    assert "INVALID_CLIENT" in result.stdout
    assert secret not in result.stdout + result.stderr


# ----- colour -----


def test_report_to_a_pipe_has_no_colour_codes(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo = start_halo("agent_no_permission")  # errors, warnings and notes: every colour
    result = run_cli(*check_args(halo, ca_bundle), secret=halo.client_secret, TERM="xterm")
    assert result.returncode == EXIT_PROBLEMS
    assert not ANSI.search(result.stdout + result.stderr)


def run_in_terminal(args: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[int, str]:
    """Run `python -m wizard ARGS` with its stdout and stderr on a pseudo-terminal."""
    import pty
    import select

    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "wizard", *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
        )
    finally:
        os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                process.kill()
                break
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            output += data
    finally:
        os.close(master)
    return process.wait(timeout=10), output.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_report_in_a_terminal_is_coloured_unless_no_color_is_set(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("agent_no_permission")
    args = check_args(halo, ca_bundle)
    code, coloured = run_in_terminal(args, _env(halo.client_secret, TERM="xterm"))
    assert code == EXIT_PROBLEMS, coloured
    assert ANSI.search(coloured), "a terminal should get colour (else this test proves nothing)"
    code, plain = run_in_terminal(args, _env(halo.client_secret, TERM="xterm", NO_COLOR="1"))
    assert code == EXIT_PROBLEMS, plain
    assert "PERMISSION_DENIED" in plain
    assert not ANSI.search(plain)


# ----- deadlines -----


def test_check_exits_soon_after_a_dripping_server_times_out(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("drip")
    args = [*check_args(halo, ca_bundle)[:-2], "--timeout", "1"]
    try:
        result = run_cli(*args, secret=halo.client_secret, timeout=10.0)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"still running after 10 s; it had printed: {exc.stdout!r}")
    assert result.returncode == EXIT_PROBLEMS
    assert "TIMEOUT" in result.stdout


def test_check_exits_soon_after_a_server_dripping_headers_times_out() -> None:
    with HeaderDripServer() as server:
        args = [
            "check",
            "--host",
            server.url,
            "--client-id",
            "5b1a2c6e-8f21-4d5c-9e0b-1c2d3e4f5a6b",
            "--scopes",
            "read:tickets",
            "--timeout",
            "0.5",
        ]
        try:
            result = run_cli(*args, secret=secrets.token_urlsafe(24), timeout=6.0)
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"still running after 6 s; it had printed: {_printed(exc)!r}")
    assert result.returncode == EXIT_PROBLEMS
    assert "TIMEOUT" in result.stdout


# ----- demo and simulate -----


def test_demo_shows_a_working_connection() -> None:
    result = run_cli("demo")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "the connection works" in result.stdout


def test_demo_of_a_failure_exits_1_and_names_it() -> None:
    result = run_cli("demo", "--scenario", "agent_no_permission")
    assert result.returncode == EXIT_PROBLEMS, result.stdout + result.stderr
    assert "PERMISSION_DENIED" in result.stdout


def test_the_demo_presents_a_hosted_address_and_explains_its_mistyped_name() -> None:
    result = run_cli("demo", "--scenario", "unknown_instance")
    assert result.returncode == EXIT_PROBLEMS, result.stdout + result.stderr
    assert "https://acme.halopsa.com" in result.stdout
    assert "probably mistyped" in " ".join(result.stdout.split())
    assert "127.0.0.1" not in result.stdout


def test_a_reader_that_stops_early_ends_the_report_without_a_traceback() -> None:
    """`halo-wizard demo | head -0`: the pipe is closed before the first line is written."""
    reader, writer = os.pipe()
    os.close(reader)
    with subprocess.Popen(
        [sys.executable, "-m", "wizard", "demo", "--scenario", "unknown_instance"],
        cwd=REPO,
        env=_env(None),
        stdin=subprocess.DEVNULL,
        stdout=writer,
        stderr=subprocess.PIPE,
    ) as process:
        os.close(writer)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == EXIT_PROBLEMS, errors
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors, errors


def test_demo_of_an_unknown_scenario_is_a_usage_error() -> None:
    result = run_cli("demo", "--scenario", "no_such_scenario")
    assert result.returncode == EXIT_USAGE
    assert "no_such_scenario" in result.stderr


def test_simulate_list_names_the_scenarios() -> None:
    result = run_cli("simulate", "--list")
    assert result.returncode == EXIT_OK
    names = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert "healthy" in names and "trial" in names
    assert "drip" in names and "wrong_secret" in names


# ----- no Qt in the command line and the engine -----


def test_importing_the_cli_and_the_engine_loads_no_qt() -> None:
    code = (
        "import sys, wizard.cli, wizard.core, wizard.core.engine; "
        f"assert not any(m.startswith({QT_MODULES!r}) for m in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_running_a_check_loads_no_qt(halo: SimulatedHalo, ca_bundle: str) -> None:
    code = (
        "import sys; from wizard.cli import main; rc = main(sys.argv[1:]); "
        f"qt = sorted(m for m in sys.modules if m.startswith({QT_MODULES!r})); "
        "print('QT', qt, file=sys.stderr); sys.exit(rc if not qt else 99)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *check_args(halo, ca_bundle)],
        cwd=REPO,
        env=_env(halo.client_secret),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "QT []" in result.stderr


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_engine_module_imports_qt() -> None:
    sources = sorted((REPO / "wizard" / "core").rglob("*.py"))
    assert len(sources) > 5
    offenders = {
        str(path.relative_to(REPO)): sorted(qt)
        for path in sources
        if (qt := {m for m in _imported_modules(path) if m.split(".")[0] in QT_MODULES})
    }
    assert offenders == {}


def test_linux_without_the_x11_cursor_library_gets_the_package_to_install() -> None:
    from wizard.cli import DisplayProblem, display_problem

    x11 = {"DISPLAY": ":0"}
    cursor = "libxcb-cursor.so.0"
    problem = display_problem(x11, "linux", lambda name: name != cursor, frozen=False)
    assert problem == DisplayProblem((cursor,)) and problem.packages == ["libxcb-cursor0"]
    works = display_problem(x11, "linux", lambda name: True, frozen=False, answers=lambda d: True)
    assert works is None
    assert display_problem({}, "linux", lambda name: False) == DisplayProblem(), "no display"
    assert display_problem({**x11, "QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem(x11, "darwin", lambda name: False) is None
    frozen = display_problem(x11, "linux", lambda name: False, frozen=True, answers=lambda d: True)
    assert frozen is None, "the app carries it"
