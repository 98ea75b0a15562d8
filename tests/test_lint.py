"""The code stays as the style guide asks: ruff's lint and format, and mypy --strict on wizard/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing_to_fix() -> None:
    lint = run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout
    formatted = run("ruff", "format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_strict_passes() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout
