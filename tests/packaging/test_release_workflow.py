"""The release workflow builds and smoke-tests the app on each of the three systems."""

from __future__ import annotations

from pathlib import Path

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "release.yml"


def steps_of(text: str) -> list[str]:
    """The workflow's steps, each as its text (no YAML library: the project has none)."""
    steps = text.split("\n    steps:\n", 1)[1]
    return ["      - " + step for step in steps.split("\n      - ")[1:]]


def test_the_workflow_runs_on_windows_macos_and_linux() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "os: [windows-latest, macos-latest, ubuntu-latest]" in text
    assert 'python-version: "3.11"' in text


def test_each_system_builds_then_smoke_tests() -> None:
    steps = steps_of(WORKFLOW.read_text(encoding="utf-8"))
    linux = [step for step in steps if "if: runner.os == 'Linux'" in step]
    others = [step for step in steps if "if: runner.os != 'Linux'" in step]
    for group in (linux, others):
        text = "\n".join(group)
        assert text.index("python packaging/build.py") < text.index("python packaging/smoke.py")
    # On Linux the smoke test's keychain is a real, unlocked Secret Service, as in .ci/run.
    (linux_build,) = [step for step in linux if "build.py" in step]
    assert "dbus-run-session" in linux_build
    assert "gnome-keyring-daemon --unlock" in linux_build


def test_windows_gets_inno_setup_for_the_installer() -> None:
    steps = steps_of(WORKFLOW.read_text(encoding="utf-8"))
    (inno,) = [step for step in steps if "innosetup" in step]
    assert "if: runner.os == 'Windows'" in inno
    assert "choco install innosetup" in inno


def test_the_workflow_runs_for_version_tags_and_by_hand() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert 'tags: ["v*"]' in text
    assert "workflow_dispatch:" in text


def test_the_installer_disk_image_and_archive_are_kept() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "actions/upload-artifact@" in text
    for pattern in ("dist/*.exe", "dist/*.dmg", "dist/*.tar.*"):
        assert pattern in text


def test_the_workflow_says_it_was_never_run() -> None:
    header = WORKFLOW.read_text(encoding="utf-8").split("\nname:", 1)[0]
    assert "has not been tried" in header
    assert "cannot be run in the development environment" in header


def test_each_release_keeps_its_bill_of_materials_and_checksums() -> None:
    steps = steps_of(WORKFLOW.read_text(encoding="utf-8"))
    (upload,) = [step for step in steps if "upload-artifact" in step]
    for kept in ("dist/*.exe", "dist/*.dmg", "dist/*.tar.*", "dist/*.cdx.json", "dist/SHA256SUMS"):
        assert kept in upload
