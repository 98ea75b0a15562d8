"""Run `python -m wizard check --json` as a real process and measure it: time and peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SECRET_ENV = "HALO_CLIENT_SECRET"
# A process that outlives this is killed: the case then fails on its time, not by hanging.
KILL_AFTER_S = 60.0
POLL_S = 0.01


@dataclass(frozen=True)
class Outcome:
    """What one run of the command did."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float  # wall clock, process start to exit
    peak_mb: float | None  # the process's peak resident memory; None where it cannot be read
    killed: bool

    @property
    def report(self) -> dict[str, Any] | None:
        """stdout as one JSON object, or None when it is anything else."""
        try:
            value = json.loads(self.stdout)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    @property
    def codes(self) -> list[str]:
        report = self.report or {}
        return [finding.get("code", "") for finding in report.get("findings", [])]

    def finding(self, code: str) -> dict[str, Any] | None:
        report = self.report or {}
        return next((f for f in report.get("findings", []) if f.get("code") == code), None)


def check_command(
    host: str, client_id: str, ca_bundle: str, timeout: float, scopes: str
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "wizard",
        "check",
        "--host",
        host,
        "--client-id",
        client_id,
        "--scopes",
        scopes,
        "--ca-bundle",
        ca_bundle,
        "--timeout",
        f"{timeout:g}",
        "--json",
    ]


def run_measured(command: list[str], secret: str) -> Outcome:
    """Run `command` with the secret in the environment; its exit code, output, time, memory.

    The peak memory is the child's VmHWM (the high-water mark of its resident memory since
    it started the program), read from /proc while it runs: its rusage would not do, since
    Linux carries the parent's peak over to a child at exec, and the parent here is pytest.
    Only the last few milliseconds before the exit go unseen.
    """
    env = {k: v for k, v in os.environ.items() if k not in (SECRET_ENV, "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env[SECRET_ENV] = secret
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        peak_kb = 0
        killed = False
        while True:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            if process.poll() is not None:
                break
            if not killed and time.monotonic() - started > KILL_AFTER_S:
                process.kill()
                killed = True
            time.sleep(POLL_S)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    peak = peak_kb / 1024 if peak_kb else None
    return Outcome(process.returncode, stdout, stderr, seconds, peak, killed)


def _high_water_kb(pid: int) -> int:
    """The process's VmHWM in kB, or 0 once it has gone (or where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
