"""The dependency locks in requirements/, and a run of the tests against the newest releases.

    python3 run.py lock [--upgrade | --upgrade-package NAME ...]
    python3 run.py latest [PYTEST ARGS]

pyproject.toml keeps open ranges, for anyone who installs the program as a library. Everything
this project installs itself (run.py's .venv, CI, packaging/build.py's build environment) comes
from the hash-pinned sets in requirements/ instead, so two installs of one commit get the same
files whatever was published in between:

    requirements/runtime.txt   what the program needs to run
    requirements/test.txt      the runtime set, the test tools and the freezer (run.py, CI)
    requirements/freeze.txt    the runtime set and the freezer (packaging/build.py)

Each set is made by uv's `pip compile --universal --generate-hashes`: one file serves Windows,
macOS and Linux on every Python the project supports, with the markers the dependencies need
(keyring's backends differ per system; cryptography is held below 49 on Intel Macs). The
three sets agree: runtime.txt and freeze.txt are resolved within the versions test.txt pins.

`lock` keeps every pin that still satisfies pyproject.toml and resolves only what changed;
`--upgrade` moves every package to the newest release the ranges allow, `--upgrade-package`
only the ones named. `latest` installs the newest releases the ranges allow into a separate
environment (.venv-latest), names each package that moved away from the lock, and runs the
tests there: run it before refreshing the locks, and whenever a dependency publishes a release.

Runs inside the project's environment (run.py starts it there), which has uv from the test set.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
# name -> the extras of pyproject.toml it holds; test.txt first: the others follow its pins.
SETS: dict[str, tuple[str, ...]] = {
    "test": ("test", "freeze"),
    "runtime": (),
    "freeze": ("freeze",),
}
LOCK_COMMAND = "python3 run.py lock"
# The oldest Python the project supports (requires-python); the universal lock covers it and
# every later one.
PYTHON_FLOOR = "3.11"
LATEST_ENV = ROOT / ".venv-latest"

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def lock_path(name: str) -> Path:
    return REQUIREMENTS / f"{name}.txt"


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if not found:
        sys.exit("uv is not installed here: run this through `python3 run.py lock`.")
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> list[tuple[str, str, str | None]]:
    """(name, version, marker or None) for each pinned requirement of a lock file's text."""
    return [(name, version, marker) for name, version, marker, _ in entries(text)]


def pins_for_this_system(text: str) -> dict[str, str]:
    """The versions a lock installs on the running interpreter and system."""
    from packaging.markers import Marker

    chosen: dict[str, str] = {}
    for name, version, marker in pins(text):
        if marker is None or Marker(marker).evaluate():
            chosen[name] = version
    return chosen


def _compile(
    name: str, extras: tuple[str, ...], upgrade: list[str], constraints: Path | None
) -> None:
    target = lock_path(name)
    command = [
        _uv(),
        "pip",
        "compile",
        "pyproject.toml",
        "--universal",
        "--python-version",
        PYTHON_FLOOR,
        "--generate-hashes",
        "--custom-compile-command",
        LOCK_COMMAND,
        "--output-file",
        str(target.relative_to(ROOT)),
        "--quiet",
        *(f"--extra={extra}" for extra in extras),
        *upgrade,
    ]
    if constraints is not None:
        command += ["--constraint", str(constraints)]
    # uv reads no pip configuration; keep a user's uv settings from adding an index address
    # to the committed files (--emit-index-url is off by default and stays off).
    env = dict(os.environ, UV_NO_CONFIG="1")
    subprocess.run(command, cwd=ROOT, check=True, env=env)


def refresh(upgrade: list[str]) -> int:
    REQUIREMENTS.mkdir(exist_ok=True)
    print("Resolving requirements/test.txt ...", flush=True)
    _compile("test", SETS["test"], upgrade, None)
    # The other sets are resolved within test.txt's pins, so that the three agree.
    with tempfile.TemporaryDirectory() as folder:
        constraints = Path(folder) / "constraints.txt"
        lines = [
            f"{name}=={version}" + (f" ; {marker}" if marker else "")
            for name, version, marker in pins(lock_path("test").read_text())
        ]
        constraints.write_text("\n".join(lines) + "\n")
        for name in ("runtime", "freeze"):
            print(f"Resolving requirements/{name}.txt ...", flush=True)
            _compile(name, SETS[name], [], constraints)
            # uv names the constraints file it was given; they are test.txt's pins.
            path = lock_path(name)
            path.write_text(path.read_text().replace(str(constraints), "requirements/test.txt"))
    for name in SETS:
        text = lock_path(name).read_text()
        if "://" in text:
            sys.exit(f"requirements/{name}.txt names an address; it must not: check uv's settings")
    print("Locks written: " + ", ".join(f"requirements/{name}.txt" for name in SETS))
    return 0


def latest(pytest_args: list[str]) -> int:
    """The tests against the newest releases pyproject.toml allows, in .venv-latest."""
    uv = _uv()
    print("Installing the newest releases the ranges allow into .venv-latest ...", flush=True)
    if LATEST_ENV.exists():
        shutil.rmtree(LATEST_ENV)
    env = dict(os.environ, UV_NO_CONFIG="1")
    subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(LATEST_ENV)], check=True, env=env
    )
    python = LATEST_ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            "--upgrade",
            "--editable",
            f"{ROOT}[test,freeze]",
        ],
        check=True,
        env=env,
    )
    listed = subprocess.run(
        [uv, "pip", "freeze", "--python", str(python), "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    newest = {normalise(n): v for n, v, _ in pins(listed)}
    locked = pins_for_this_system(lock_path("test").read_text())
    moved = [
        f"  {name} {locked[name]} -> {version}"
        for name, version in sorted(newest.items())
        if name in locked and locked[name] != version
    ]
    added = [
        f"  {name} {version} (not in the lock)"
        for name, version in sorted(newest.items())
        if name not in locked
    ]
    if moved or added:
        print("Moved since requirements/test.txt:")
        print("\n".join(moved + added))
    else:
        print("Nothing moved: the lock already has the newest releases the ranges allow.")
    print("Running the tests against them ...", flush=True)
    result = subprocess.run([str(python), "-m", "pytest", *pytest_args], cwd=ROOT).returncode
    which = "The tests named" if pytest_args else "All the tests"
    if result == 0:
        print(
            f"{which} pass on the newest releases: `python3 run.py lock --upgrade` moves to them."
        )
    elif moved or added:
        print(f"{which} fail on the newest releases: a package that moved (above) is the cause.")
    else:
        print(f"{which} fail, and nothing moved: the cause is in the project, not a release.")
    return result


# ----- proof that a lock installs on every system the app is built for -----

# The systems the app is built and shipped for, as pip names their wheels (pip counts an
# older release of each system as compatible, so each tag is the newest the lock may need,
# which is the oldest system the app runs on), and as their environment markers see them.
# macOS 14: PySide6 6.12 (locked for Python 3.12 and later) ships wheels for macOS 14 and
# later; 6.11, locked for Python 3.11 (which the release is built with), for macOS 13.
TARGETS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "windows-x64": (
        ("win_amd64",),
        {
            "sys_platform": "win32",
            "platform_system": "Windows",
            "os_name": "nt",
            "platform_machine": "AMD64",
        },
    ),
    "macos-arm64": (
        ("macosx_14_0_arm64",),
        {
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "os_name": "posix",
            "platform_machine": "arm64",
        },
    ),
    "macos-x86_64": (
        ("macosx_14_0_x86_64",),
        {
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "os_name": "posix",
            "platform_machine": "x86_64",
        },
    ),
    # PySide6 6.10 and later ship Linux wheels for glibc 2.34 and newer only. pip does not
    # count older glibc tags as compatible with a --platform of its own, so each is named.
    "linux-x86_64": (
        (*(f"manylinux_2_{minor}_x86_64" for minor in range(34, 16, -1)), "manylinux2014_x86_64"),
        {
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "platform_machine": "x86_64",
        },
    ),
}
# The oldest and the newest Python the project is locked for.
PYTHONS = ("3.11", "3.14")


class ResolveError(Exception):
    """pip could not resolve a lock for a system: its own words follow."""


def marker_environment(target: str, python: str) -> dict[str, str]:
    return {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_version": f"{python}.0",
        "platform_release": "",
        "platform_version": "",
        **TARGETS[target][1],
    }


def entries(text: str) -> list[tuple[str, str, str | None, list[str]]]:
    """(name, version, marker, hashes) for each requirement of a lock file's text."""
    found: list[tuple[str, str, str | None, list[str]]] = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].strip()
        head = line.split(" --hash=", 1)[0].strip()
        match = _PIN.match(head)
        if match:
            hashes = re.findall(r"--hash=(sha256:[0-9a-f]{64})", line)
            found.append((normalise(match[1]), match[2], match[3], hashes))
    return found


def requirements_for(text: str, target: str, python: str) -> str:
    """The lines of a lock that apply to one system and Python, with their hashes and no
    markers (pip evaluates markers for the machine it runs on, not for --platform)."""
    from packaging.markers import Marker

    environment = marker_environment(target, python)
    lines = []
    for name, version, marker, hashes in entries(text):
        if marker is None or Marker(marker).evaluate(environment):
            lines.append(f"{name}=={version} " + " ".join(f"--hash={h}" for h in hashes))
    return "\n".join(lines) + "\n"


def resolve_for(lock: Path, target: str, python: str, scratch: Path) -> dict[str, object]:
    """Let pip resolve `lock` for another system without installing: wheels only, every file
    checked against the lock's hashes. Returns pip's report; raises ResolveError with pip's
    words when a file is missing or a hash does not match."""
    import json

    wanted = scratch / f"{lock.stem}-{target}-{python}.txt"
    wanted.write_text(requirements_for(lock.read_text(), target, python))
    report = wanted.with_suffix(".json")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--quiet",
            "--disable-pip-version-check",
            "--ignore-installed",
            "--no-deps",
            "--target",
            str(scratch / "target"),
            *(option for tag in TARGETS[target][0] for option in ("--platform", tag)),
            "--python-version",
            python,
            "--implementation",
            "cp",
            "--only-binary",
            ":all:",
            "--require-hashes",
            "--report",
            str(report),
            "--requirement",
            str(wanted),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if not line.startswith("WARNING")]
        raise ResolveError(f"{lock.name} for {target}, Python {python}:\n" + "\n".join(errors))
    return dict(json.loads(report.read_text()))


def missing_dependencies(report: dict[str, object], target: str, python: str) -> list[str]:
    """Dependencies of what pip resolved, for that system, that the lock does not hold."""
    from packaging.requirements import Requirement

    installs = report.get("install")
    assert isinstance(installs, list)
    present = {normalise(item["metadata"]["name"]) for item in installs}
    missing = []
    for item in installs:
        meta = item["metadata"]
        for text in meta.get("requires_dist") or []:
            requirement = Requirement(text)
            for extra in ("", *(item.get("requested_extras") or ())):
                environment = {**marker_environment(target, python), "extra": extra}
                if requirement.marker is None or requirement.marker.evaluate(environment):
                    if normalise(requirement.name) not in present:
                        missing.append(f"{meta['name']} needs {requirement.name}")
                    break
    return sorted(set(missing))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="locks.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    lock = commands.add_parser("lock", help="write the locks in requirements/")
    lock.add_argument(
        "--upgrade", action="store_true", help="move every package to its newest release"
    )
    lock.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    commands.add_parser("latest", help="run the tests against the newest releases")
    args, rest = parser.parse_known_args(argv)
    if args.command == "lock":
        if rest:
            parser.error("unknown arguments: " + " ".join(rest))
        upgrade = ["--upgrade"] if args.upgrade else []
        for name in args.upgrade_package:
            upgrade += ["--upgrade-package", name]
        return refresh(upgrade)
    return latest(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
