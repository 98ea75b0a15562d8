"""`halo-wizard licences` from a source checkout, run as a real subprocess."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from wizard.core import notices


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=None,
    )


def test_licences_prints_every_part_with_its_licence() -> None:
    done = run("licences")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in out
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in out
    assert "Replacing Qt and PySide6" in out
    for name in ("PySide6_Essentials", "shiboken6", "cryptography", "keyring"):
        assert f"{name} {importlib.metadata.version(name)}" in out, name
    assert "pytest" not in {line.split()[0] for line in out.splitlines() if line.startswith("  ")}
    assert out == notices.live_text()


def test_the_american_spelling_works_too() -> None:
    british, american = run("licences"), run("licenses")
    assert american.returncode == 0
    assert american.stdout == british.stdout
