"""`halo-wizard simulate` as a user runs it: a port in use is one sentence, SIGTERM cleans up
as Ctrl+C does, and --identity keeps the same Client ID and secret between runs, so saving,
changing the situation and diagnosing can be rehearsed."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_cli import REPO, _env, run_cli
from wizard.cli import main


@contextmanager
def simulator(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`halo-wizard simulate ARGS` running, with what it printed up to "Press Ctrl+C"."""
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "simulate", *args],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = []
        for line in server.stdout:
            printed.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        yield server, "".join(printed)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_in_use_is_one_sentence_not_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("simulate", "--port", str(port), timeout=30)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr


def test_sigterm_removes_the_key_and_ca_files_as_ctrl_c_does() -> None:
    with simulator("--scenario", "jwt_assertion", "--tls") as (server, printed):
        key = Path(re.search(r"private key of this application: (\S+)", printed).group(1))  # type: ignore[union-attr]
        ca = Path(re.search(r"--ca-bundle (\S+)", printed).group(1))  # type: ignore[union-attr]
        assert key.exists() and ca.exists()
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert out.strip().endswith("Stopped.") and "Traceback" not in err
    assert not key.exists() and not ca.exists() and not ca.parent.exists()


def test_an_identity_keeps_the_application_between_runs_to_rehearse_a_diagnosis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = tmp_path / "sim-identity.json"
    port = free_port()
    profiles = tmp_path / "data"
    monkeypatch.setenv("HALO_WIZARD_DATA_DIR", str(profiles))
    with simulator("--port", str(port), "--identity", str(identity)) as (_, first):
        kept = json.loads(identity.read_text("utf-8"))
        assert f"Client ID:     {kept['client_id']}" in first
        if os.name == "posix":
            assert stat.S_IMODE(identity.stat().st_mode) == 0o600
        saved = tmp_path / "saved.json"
        monkeypatch.setenv("HALO_CLIENT_SECRET", kept["client_secret"])
        code = main(
            ["check", "--host", f"http://127.0.0.1:{port}", "--client-id", kept["client_id"],
             "--scopes", "read:tickets", "--save", str(saved), "--secret-store", "file"],
            stdin=io.StringIO(""), stdout=io.StringIO(),
        )  # fmt: skip
        assert code == 0
    monkeypatch.delenv("HALO_CLIENT_SECRET")
    # The situation changes; the application stays: the saved connection is diagnosed.
    with simulator(
        "--port", str(port), "--identity", str(identity), "--scenario", "wrong_secret"
    ) as (_, second):
        assert f"Client ID:     {kept['client_id']}" in second
        out = io.StringIO()
        code = main(
            ["diagnose", "--connection", str(saved), "--json"],
            stdin=io.StringIO(""),
            stdout=out,
        )
        data = json.loads(out.getvalue())
        assert code == 1 and "INVALID_CLIENT" in [f["code"] for f in data["findings"]]
        assert data["secret_from"] == "connection file"


def test_a_damaged_identity_file_is_said_plainly(tmp_path: Path) -> None:
    broken = tmp_path / "identity.json"
    broken.write_text("{not json", "utf-8")
    done = run_cli("simulate", "--identity", str(broken), timeout=30)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot be read (it is not JSON)" in done.stderr
