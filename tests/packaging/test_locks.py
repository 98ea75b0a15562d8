"""The locks in requirements/: each set installs, from its hashes and wheels only, on every
system the app is built for, they agree with each other and with pyproject.toml, and they name
no address. pip resolves them for each system without installing anything (packaging/locks.py).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from tests.packaging.conftest import ROOT, load_packaging_module

locks = load_packaging_module("locks")

LOCKS = ("runtime", "freeze")


def _lock_text(name: str) -> str:
    return str(locks.lock_path(name).read_text())


@pytest.mark.parametrize("python", locks.PYTHONS)
@pytest.mark.parametrize("target", sorted(locks.TARGETS))
@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_resolves_for_each_system_from_its_hashes(
    lock: str, target: str, python: str, tmp_path: Path
) -> None:
    report = locks.resolve_for(locks.lock_path(lock), target, python, tmp_path)
    installed = {locks.normalise(item["metadata"]["name"]): item for item in report["install"]}
    # Wheels only, each one checked against the lock's hash by pip (--require-hashes).
    for name, item in installed.items():
        assert item["download_info"]["url"].endswith(".whl"), name
    # Nothing any of them needs on that system is missing from the lock.
    assert locks.missing_dependencies(report, target, python) == []
    # The program's own needs are there, with each system's keychain backend.
    for needed in ("pyside6-essentials", "cryptography", "keyring", "qasync", "requests"):
        assert needed in installed, needed
    system = target.split("-")[0]
    assert ("pywin32-ctypes" in installed) == (system == "windows")
    assert ("secretstorage" in installed) == (system == "linux")
    if lock == "freeze":
        assert "pyinstaller" in installed
        assert ("pefile" in installed) == (system == "windows")
        assert ("macholib" in installed) == (system == "macos")
    if target == "macos-x86_64":
        # cryptography 49 and later ship no wheel for Intel Macs.
        major = int(installed["cryptography"]["metadata"]["version"].split(".")[0])
        assert major < 49


def test_a_file_whose_hash_is_not_in_the_lock_is_refused(tmp_path: Path) -> None:
    text = _lock_text("runtime")
    tampered = re.sub(r"--hash=sha256:[0-9a-f]", "--hash=sha256:0", text)
    assert tampered != text
    (tmp_path / "lock").mkdir()
    path = tmp_path / "lock" / "runtime.txt"
    path.write_text(tampered)
    with pytest.raises(locks.ResolveError, match="DO NOT MATCH THE HASHES"):
        locks.resolve_for(path, "linux-x86_64", "3.11", tmp_path)


def test_every_pin_has_hashes_and_no_lock_names_an_address() -> None:
    for name in locks.SETS:
        text = _lock_text(name)
        assert "://" not in text, name
        assert "--index-url" not in text and "--extra-index-url" not in text, name
        assert "/home/" not in text and "/tmp/" not in text and "/root" not in text, name
        entries = locks.entries(text)
        assert entries, name
        for package, _version, _marker, hashes in entries:
            assert hashes, f"{name}: {package} has no hash"


def test_the_three_locks_pin_the_same_versions() -> None:
    full = {(n, v) for n, v, _, _ in locks.entries(_lock_text("test"))}
    for name in ("runtime", "freeze"):
        for package, version, _, _ in locks.entries(_lock_text(name)):
            assert (package, version) in full, f"{name}: {package} {version}"


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


def _satisfied(requirement: Requirement, pinned: list[tuple[str, str, str | None]]) -> bool:
    """Some pin of the lock is allowed by `requirement` (for the systems both apply to)."""
    name = locks.normalise(requirement.name)
    versions = [version for package, version, _ in pinned if package == name]
    return bool(versions) and any(requirement.specifier.contains(v) for v in versions)


@pytest.mark.parametrize("lock", [*LOCKS, "test"])
def test_each_lock_holds_what_pyproject_asks_for(lock: str) -> None:
    """A range changed in pyproject.toml without `python3 run.py lock` fails here."""
    project = _pyproject()
    wanted = list(project["dependencies"])
    for extra in locks.SETS[lock]:
        wanted += project["optional-dependencies"][extra]
    pinned = [(n, v, m) for n, v, m, _ in locks.entries(_lock_text(lock))]
    stale = [text for text in wanted if not _satisfied(Requirement(text), pinned)]
    assert stale == [], f"run `python3 run.py lock`: requirements/{lock}.txt lacks {stale}"


def test_the_lock_reads_the_pins_that_apply_to_each_system() -> None:
    """The per-system file pip is given keeps the marker's choice: PySide6 6.12.0 crashes
    Python 3.11, so 3.11 gets another release."""
    text = _lock_text("runtime")
    for_311 = locks.requirements_for(text, "windows-x64", "3.11")
    assert "pywin32-ctypes==" in for_311
    assert "secretstorage==" not in for_311
    assert "pyside6-essentials==6.12.0 " not in for_311
    assert ";" not in for_311
    for_linux = locks.requirements_for(text, "linux-x86_64", "3.14")
    assert "secretstorage==" in for_linux and "pywin32-ctypes==" not in for_linux
