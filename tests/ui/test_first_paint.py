"""`halo-wizard --exit-after-first-paint`: the packaged app's smoke test and start-up benchmark."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.test_cli import REPO, _env
from wizard.ui import text


def run_window(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=REPO,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize("extra", [[], ["--demo"]], ids=["wizard", "demo"])
def test_the_window_prints_its_first_page_once_painted_and_exits_0(extra: list[str]) -> None:
    result = run_window("--exit-after-first-paint", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"first page painted: {text.WELCOME_TITLE}"]
    assert "Traceback" not in result.stderr


def test_the_option_is_not_in_the_help() -> None:
    result = run_window("--help")
    assert result.returncode == 0
    assert "--demo" in result.stdout
    assert "first-paint" not in result.stdout
