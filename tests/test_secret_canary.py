"""The secret canary for the command line: `check` and `demo` run as real subprocesses with a
recognisable secret, then neither it nor a token Halo issued is in any file they could have
written (home, config, cache, state, data, temporary and log folders) or in their output,
as it is or encoded (base64, URL encoding)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.canary import (
    RECORD_ENV,
    SECRET_ENV,
    Canary,
    canary_secret,
    encoded_forms,
    read_record,
    record_issued,
)
from tests.conftest import DEFAULT_SCOPES, HaloFactory
from wizard.sim import SimulatedHalo

REPO = Path(__file__).resolve().parent.parent
DEMO = "from tests.canary import run_cli_recording; run_cli_recording()"


def private_folders(home: Path) -> dict[str, str]:
    """The environment that sends everything a program keeps per user under `home`."""
    folders = {
        "HOME": home,
        "USERPROFILE": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_DATA_HOME": home / ".local" / "share",
        "APPDATA": home / "AppData" / "Roaming",
        "LOCALAPPDATA": home / "AppData" / "Local",
        "TMPDIR": home / "tmp",
        "TEMP": home / "tmp",
        "TMP": home / "tmp",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


def run(
    args: list[str], home: Path, *, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HALO_CLIENT_SECRET", "HALO_WIZARD_LOG_DIR", "NO_COLOR")
    }
    environment.update(private_folders(home))
    # The HTTP library's own messages too: the most the log can ever hold.
    environment.update(HALO_WIZARD_DEBUG="1", PYTHONPATH=str(REPO), **env)
    work = home / "work"
    work.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, *args],
        cwd=work,  # anything written to the working folder lands under home too
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def check_command(halo: SimulatedHalo, ca_bundle: str, *extra: str) -> list[str]:
    return [
        *("-m", "wizard", "check", "--host", halo.url, "--client-id", halo.client_id),
        *("--scopes", DEFAULT_SCOPES, "--ca-bundle", ca_bundle, "--timeout", "5", *extra),
    ]


def test_check_and_demo_leave_the_secret_and_the_tokens_nowhere(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    logs = home / "logs"
    secret = canary_secret()
    canary = Canary()
    canary.add("the client secret", secret)
    # The simulated Halo of `check` runs in this process; the demo's in its own (below).
    issued: list[tuple[str, str]] = []
    record_issued(lambda kind, value: issued.append((kind, value)), monkeypatch.setattr)
    outputs: dict[str, str] = {}

    healthy = start_halo("healthy")
    healthy.client_secret = secret
    done = run(
        check_command(healthy, ca_bundle, "--json"),
        home,
        HALO_CLIENT_SECRET=secret,
        HALO_WIZARD_LOG_DIR=str(logs),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["identity"]["name"] == "Integration API"
    outputs["check --json: stdout"], outputs["check --json: stderr"] = done.stdout, done.stderr

    done = run(
        check_command(healthy, ca_bundle, "--client-secret-stdin"),
        home,
        stdin=secret + "\n",
        HALO_WIZARD_LOG_DIR=str(logs),
    )
    assert done.returncode == 0, done.stderr
    outputs["check (stdin): stdout"], outputs["check (stdin): stderr"] = done.stdout, done.stderr

    # Halo holds another secret: the canary is sent, refused, and the error explained.
    refusing = start_halo("wrong_secret")
    refusing.client_secret = secret
    done = run(
        check_command(refusing, ca_bundle),
        home,
        HALO_CLIENT_SECRET=secret,
        HALO_WIZARD_LOG_DIR=str(logs),
    )
    assert done.returncode == 1 and "INVALID_CLIENT" in done.stdout, done.stdout + done.stderr
    outputs["check (refused): stdout"], outputs["check (refused): stderr"] = (
        done.stdout,
        done.stderr,
    )
    assert len([kind for kind, _ in issued if kind == "access token"]) == 2

    # The demo starts its own simulator: the recorder in the child gives it the canary as
    # its secret and notes what it issues. Its log goes where it would for an admin, under
    # XDG_STATE_HOME, since HALO_WIZARD_LOG_DIR is not set.
    record = tmp_path / "issued-by-the-demo.jsonl"  # outside home: not searched
    for args in (["demo"], ["demo", "--json"]):
        done = run(["-c", DEMO, *args], home, **{RECORD_ENV: str(record), SECRET_ENV: secret})
        assert done.returncode == 0, done.stderr
        name = " ".join(args)
        outputs[f"{name}: stdout"], outputs[f"{name}: stderr"] = done.stdout, done.stderr
    from_demo = read_record(record)
    assert [kind for kind, _ in from_demo] == ["access token", "id token"] * 2

    for number, (kind, value) in enumerate(issued + from_demo, start=1):
        canary.add(f"{kind} {number}", value)
    leaks, searched = canary.search_files([home])
    for where, text in outputs.items():
        leaks += canary.search_text(where, text)
    assert leaks == []
    # It did look where the secret could have gone: both logs, written at debug level.
    logged = [path for path in searched if path.name == "halo-wizard.log"]
    assert {path.parent for path in logged} == {
        logs,
        home / ".local" / "state" / "halo-wizard" / "log",
    }
    assert all("token" in path.read_text("utf-8") for path in logged)


def test_the_canary_finds_the_secret_however_it_is_encoded(tmp_path: Path) -> None:
    import base64
    from urllib.parse import quote, quote_plus, urlencode

    secret = canary_secret()
    canary = Canary()
    canary.add("the client secret", secret)
    basic = base64.b64encode(f"{quote('6f1c0c0e')}:{quote(secret, safe='')}".encode()).decode()
    written = {
        "a form body": urlencode({"client_id": "x", "client_secret": secret}),
        "a Basic header": f"Authorization: Basic {basic}",
        "JSON": json.dumps({"secret": secret}),
        "base64url, no padding": base64.urlsafe_b64encode(b"ab" + secret.encode())
        .decode()
        .rstrip("="),
        "a query, lower-case escapes": quote_plus(secret).replace("%2B", "%2b"),
        "as it is": f"...{secret}...",
    }
    for where, text in written.items():
        assert canary.search_text(where, text), where
    assert canary.search_text("nothing", "CANARY and nothing else") == []
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "settings.ini").write_text(f"x={secret}", encoding="utf-16")
    (tmp_path / "odd.bin").write_bytes(b"\x01" + f"s={secret}".encode("utf-16-le"))
    (tmp_path / "clean.txt").write_text("nothing here", encoding="utf-8")
    leaks, searched = canary.search_files([tmp_path])
    assert {Path(leak.where).name for leak in leaks} == {"odd.bin", "settings.ini"}
    assert len(searched) == 3
    assert all(len(form) >= 16 for form in encoded_forms(secret).values())
