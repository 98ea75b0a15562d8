"""halo-wizard with no stdout and no stderr at all, as a windowed Windows app starts.

The shell closes descriptors 1 and 2 before Python starts, so sys.stdout and sys.stderr
really are None (not a pipe that nobody reads).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import EXIT_OK, EXIT_USAGE, REPO, _env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="closes descriptors with sh")


def run_without_output(*args: str, log_folder: Path, **extra_env: str) -> int:
    env = {**_env(), "HALO_WIZARD_LOG_DIR": str(log_folder), **extra_env}
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m wizard "$@" >&- 2>&-', sys.executable, *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return result.returncode


def log_of(folder: Path) -> str:
    return (folder / "halo-wizard.log").read_text(encoding="utf-8")


def test_python_really_starts_with_no_stdout_and_no_stderr(tmp_path: Path) -> None:
    marker = tmp_path / "streams"
    code = f"import sys; open({str(marker)!r}, 'w').write(repr((sys.stdout, sys.stderr)))"
    subprocess.run(
        ["sh", "-c", 'exec "$0" -c "$1" >&- 2>&-', sys.executable, code], timeout=60, check=True
    )
    assert marker.read_text() == "(None, None)"


def test_version_and_help_exit_0(tmp_path: Path) -> None:
    assert run_without_output("--version", log_folder=tmp_path) == EXIT_OK
    assert run_without_output("--help", log_folder=tmp_path) == EXIT_OK
    assert run_without_output("doctor", "--help", log_folder=tmp_path) == EXIT_OK


def test_a_usage_error_exits_2_instead_of_crashing(tmp_path: Path) -> None:
    assert run_without_output("--no-such-option", log_folder=tmp_path) == EXIT_USAGE
    assert run_without_output("demo", "--scenario", "nonsense", log_folder=tmp_path) == EXIT_USAGE
    assert "usage error: Unknown scenario 'nonsense'" in log_of(tmp_path)


def test_doctor_runs_and_writes_its_log(tmp_path: Path) -> None:
    assert run_without_output("doctor", log_folder=tmp_path) == EXIT_OK
    assert run_without_output("doctor", "--json", log_folder=tmp_path) == EXIT_OK
    log = log_of(tmp_path)
    assert "command doctor" in log
    assert "no stdout, stderr (a windowed app)" in log
    assert log.count("exit code 0") == 2


def test_the_window_opens_paints_and_closes(tmp_path: Path) -> None:
    code = run_without_output(
        "--exit-after-first-paint", log_folder=tmp_path, QT_QPA_PLATFORM="offscreen"
    )
    assert code == EXIT_OK
    assert "command window --exit-after-first-paint" in log_of(tmp_path)


def test_files_opened_later_never_get_descriptor_1_or_2(tmp_path: Path) -> None:
    marker = tmp_path / "descriptor"
    code = (
        "import sys; from wizard import cli; cli._ensure_standard_streams(); "
        f"f = open({str(marker)!r}, 'w'); f.write(str(f.fileno())); f.close(); "
        "print('printing is harmless'); sys.stderr.write('and so is this')"
    )
    subprocess.run(
        ["sh", "-c", 'exec "$0" -c "$1" >&- 2>&-', sys.executable, code],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=True,
    )
    assert int(marker.read_text()) > 2
