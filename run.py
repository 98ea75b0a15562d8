"""Set up a private environment on first use, then open the wizard's demo or run the tests.

    python3 run.py demo     (Windows: py run.py demo)   the wizard, on a simulated Halo
    python3 run.py test     (Windows: py run.py test)

For contributors (packaging/locks.py says more):

    python3 run.py lock [--upgrade | --upgrade-package NAME]   refresh requirements/*.txt
    python3 run.py latest   the tests against the newest releases pyproject.toml allows

Needs only Python 3.11 or later. The environment lives in .venv/ beside this file: it is
installed from the hash-pinned lock requirements/test.txt (wheels only), then the program
itself without resolving anything again, and refreshed when the lock or pyproject.toml
changes. Anything after the command is passed on.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
LOCK = ROOT / "requirements" / "test.txt"


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py is what older Pythons run first)
        sys.exit(f"Python 3.11 or later is needed; this is {sys.version.split()[0]}.")
    python = _venv_python()
    inputs = (ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()
    wanted = hashlib.sha256(inputs + sys.version.encode()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("Creating a private Python environment in .venv (first run only)...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("Installing the wizard and its test tools into .venv...", flush=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # Exactly the files the lock names (each checked against its hash), wheels only...
    subprocess.run(
        [*pip, "--require-hashes", "--only-binary", ":all:", "--requirement", str(LOCK)],
        check=True,
    )
    # ...then the program itself, editable, resolving nothing again (its build backend,
    # setuptools, came from the lock too).
    subprocess.run(
        [*pip, "--no-deps", "--no-build-isolation", "--editable", str(ROOT)],
        check=True,
    )
    STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "wizard", "lock", "latest"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(_ensure_environment())
    if command in ("lock", "latest"):
        args = [python, str(ROOT / "packaging" / "locks.py"), command, *rest]
    elif command == "demo":
        args = [python, "-m", "wizard", "--demo", *rest]
    elif command == "wizard":
        args = [python, "-m", "wizard", *rest]
    else:
        args = [python, "-m", "pytest", *rest]
    env = dict(os.environ)
    if command in ("demo", "wizard"):
        # What the wizard tells to run instead of its window where it cannot open (no
        # display): its command line, which is in .venv here, not on PATH.
        env["HALO_WIZARD_LAUNCHER"] = _launcher()
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def _launcher() -> str:
    """`python3 run.py wizard`, as it would be typed where this was started."""
    here = Path(__file__).resolve()
    script = here.name if Path.cwd().resolve() == here.parent else str(here)
    if os.name == "nt":
        return f'py "{script}" wizard' if " " in script else f"py {script} wizard"
    return f"python3 {shlex.quote(script)} wizard"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
