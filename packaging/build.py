"""Build the app for this operating system into dist/: `python3 packaging/build.py`.

Needs only Python 3.11 or later. Like run.py, it makes a private build environment
(build/venv, refreshed when pyproject.toml or the build tools change), installs the
program there as a user would get it (not editable) with PyInstaller, and runs itself
again inside it to:

1. make the icons from resources/icons/halo-wizard.svg (build/icons: PNGs, .ico, .icns);
2. freeze the program with PyInstaller in one-folder mode from packaging/halo-wizard.spec;
3. finish it for this system:
   - Linux:   dist/halo-wizard/ and dist/halo-wizard-VERSION-linux-ARCH.tar.gz
   - Windows: dist/halo-wizard/ (halo-wizard.exe, windowed; halo-wizard-cli.exe, console)
              and the per-user installer dist/halo-wizard-VERSION-windows-x64-setup.exe
              (needs Inno Setup 6)
   - macOS:   dist/Halo Connection Wizard.app, signed and notarised when the credentials
              are in the environment (see packaging/macos.py), and a .dmg.

Two builds of the same commit give the same bytes, in any folder (packaging/reproducible.py);
`python3 packaging/build.py --check-reproducible` builds twice, each from its own copy of the
source in a temporary folder, and names every file that differs.

Then `python3 packaging/smoke.py` tests what was built. packaging/README.md says more.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
BUILD_ENV = BUILD / "venv"
ICONS = BUILD / "icons"
DIST = ROOT / "dist"
SPEC = PACKAGING / "halo-wizard.spec"
APP_FOLDER = "halo-wizard"
MAC_APP = "Halo Connection Wizard.app"

# What the build environment holds: the program's dependencies and the freezer, exactly as
# the hash-pinned lock names them (packaging/locks.py makes it from pyproject.toml).
# (The smoke test's simulated Halo makes its certificates with the program's own
# wizard.sim.tls.)
FREEZE_LOCK = ROOT / "requirements" / "freeze.txt"
# pip's report of what it installed into the build environment, with each wheel's sha256:
# the bill of materials names the files the app was made from.
INSTALL_REPORT = BUILD_ENV / "install-report.json"


def version() -> str:
    """The one version number: wizard/__init__.py's __version__ (pyproject.toml reads it too)."""
    text = (ROOT / "wizard" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit("wizard/__init__.py has no __version__ line")
    return match[1]


def env_python(env: Path = BUILD_ENV) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _say(text: str) -> None:
    print(f"build: {text}", flush=True)


def ensure_build_env() -> Path:
    """The build environment's Python, made or refreshed when its inputs changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this is what an older Python runs first)
        sys.exit(f"Python 3.11 or later is needed; this is {sys.version.split()[0]}.")
    python = env_python()
    stamp = BUILD_ENV / ".installed-from"
    inputs = (ROOT / "pyproject.toml").read_bytes() + FREEZE_LOCK.read_bytes()
    wanted = hashlib.sha256(inputs + sys.version.encode()).hexdigest()
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not (python.exists() and stamp.exists() and stamp.read_text().strip() == wanted):
        _say("making the build environment in build/venv from requirements/freeze.txt...")
        venv.EnvBuilder(with_pip=True, clear=True).create(BUILD_ENV)
        # Exactly the files the lock names, each checked against its hash, wheels only (no
        # package's own build code runs here). pip is the one Python itself brought.
        subprocess.run(
            [
                *pip,
                "--require-hashes",
                "--only-binary",
                ":all:",
                "--report",
                str(INSTALL_REPORT),
                "--requirement",
                str(FREEZE_LOCK),
            ],
            check=True,
        )
        stamp.write_text(wanted)
    # The program itself changes between builds even when its dependencies do not, and is
    # installed without resolving anything again (its build backend came from the lock).
    # Not editable: the app is frozen from the program as a wheel installs it, so a file
    # missing from the wheel is missing from the app too, and caught here.
    subprocess.run(
        [*pip, "--no-deps", "--no-build-isolation", "--force-reinstall", str(ROOT)], check=True
    )
    return python


def _inside_build_env() -> bool:
    return Path(sys.prefix).resolve() == BUILD_ENV.resolve()


def _load(name: str) -> object:
    """A module of packaging/ (not a package: `packaging` is also a PyPI library's name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"halo_packaging_{name}", PACKAGING / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def make_tarball(folder: Path, target: Path, mtime: int | None = None) -> Path:
    """A .tar.gz of `folder` that keeps symlinks and the executable bits, and is the same
    bytes for the same files: sorted, dated `mtime` (by default the commit's), no owner."""
    if mtime is None:
        mtime = _load("reproducible").source_date_epoch(ROOT)  # type: ignore[attr-defined]
    partial = target.with_name(target.name + ".partial")
    _load("reproducible").write_tarball(folder, partial, mtime)  # type: ignore[attr-defined]
    partial.replace(target)
    return target


def freeze() -> None:
    """Steps 1 to 3, run inside the build environment."""
    started = time.monotonic()
    reproducible = _load("reproducible")
    epoch = reproducible.source_date_epoch(ROOT)  # type: ignore[attr-defined]
    icons = _load("icons").make_icons(ROOT / "resources/icons/halo-wizard.svg", ICONS)  # type: ignore[attr-defined]
    env = dict(os.environ, HALO_BUILD_ICONS=str(ICONS), QT_QPA_PLATFORM="offscreen")
    # PyInstaller's advice for reproducible builds: a fixed hash seed (set order decides the
    # order of base_library.zip and of constants in compiled code), and SOURCE_DATE_EPOCH
    # for the times it writes (Windows executables' build time).
    env.update(PYTHONHASHSEED="0", SOURCE_DATE_EPOCH=str(epoch))
    # PyInstaller's cache (stripped binaries, which --clean empties) of this checkout alone,
    # not the user's: a build elsewhere at the same time would empty it under this one.
    env["PYINSTALLER_CONFIG_DIR"] = str(BUILD / "pyinstaller-cache")
    if sys.platform == "win32":
        # One version resource per executable: each names its own file and role.
        windows = _load("windows")
        versions = BUILD / "version-info"
        versions.mkdir(parents=True, exist_ok=True)
        for name, role in (
            ("halo-wizard", "Halo Connection Wizard"),
            ("halo-wizard-cli", "Halo Connection Wizard (command line)"),
        ):
            text = windows.version_file_text(version(), name, role)  # type: ignore[attr-defined]
            (versions / f"{name}.txt").write_text(text, encoding="utf-8")
        env["HALO_BUILD_VERSION_DIR"] = str(versions)
    _say("freezing with PyInstaller...")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )
    folder = DIST / (MAC_APP if sys.platform == "darwin" else APP_FOLDER)
    # The licences and the bill of materials, inside the app before it is signed and packed.
    sbom = _load("sbom")
    # Dated as everything else in the build is: the commit's time.
    bom = sbom.add_to_app(folder, INSTALL_REPORT, ROOT, version(), epoch)  # type: ignore[attr-defined]
    if sys.platform == "darwin" and not os.environ.get("MACOS_SIGN_IDENTITY"):
        # PyInstaller sealed the bundle with an ad-hoc signature before the licences went
        # in; seal it again (packaging/macos.py signs for real when an identity is given).
        subprocess.run(["codesign", "--force", "--deep", "--sign", "-", str(folder)], check=True)
    # Files dated by the commit: installers and disk images record the times of the files.
    reproducible.set_times(folder, epoch)  # type: ignore[attr-defined]
    for name in reproducible.files_naming(folder, [str(ROOT)]):  # type: ignore[attr-defined]
        _say(f"warning: {name} names the build folder, so builds elsewhere will differ")
    produced = finish(icons, epoch)
    produced = sbom.release_files(bom, produced, DIST)  # type: ignore[attr-defined]
    _say(f"{folder.relative_to(ROOT)}: {folder_size(folder) / 1e6:.1f} MB")
    for path in produced:
        _say(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.1f} MB")
    _say(f"done in {time.monotonic() - started:.0f} s; test it with: python3 packaging/smoke.py")


def finish(icons: object, epoch: int | None = None) -> list[Path]:
    if sys.platform == "win32":
        installer = _load("windows").build_installer(  # type: ignore[attr-defined]
            DIST / APP_FOLDER,
            version(),
            icons.ico,
            DIST,  # type: ignore[attr-defined]
        )
        return [installer] if installer else []
    if sys.platform == "darwin":
        return list(
            _load("macos").finish_app(DIST / MAC_APP, version(), DIST, os.environ)  # type: ignore[attr-defined]
        )
    name = f"halo-wizard-{version()}-linux-{arch()}.tar.gz"
    return [make_tarball(DIST / APP_FOLDER, DIST / name, epoch)]


def _sha256(path: Path) -> str:
    # Not sbom.sha256_of: this runs outside the build environment, where `wizard` (which
    # sbom.py imports) is not installed.
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def check_reproducible() -> int:
    """Build twice, each from its own copy of the source in its own temporary folder, and
    name every file of dist/ that differs. 0 when none does."""
    reproducible = _load("reproducible")
    epoch = reproducible.source_date_epoch(ROOT)  # type: ignore[attr-defined]
    work = Path(tempfile.mkdtemp(prefix="halo-wizard-reproducible-"))
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    dists = []
    # Names of different lengths, so that no path inside a build hides behind another.
    for number, name in enumerate(("first", "second-build"), start=1):
        source = work / name
        reproducible.copy_source(ROOT, source)  # type: ignore[attr-defined]
        _say(f"reproducibility: build {number} of 2, in {source}")
        script = source / "packaging" / "build.py"
        done = subprocess.run([sys.executable, str(script)], cwd=source, env=env)
        if done.returncode != 0:
            _say(f"reproducibility: build {number} failed; its folder stays: {source}")
            return done.returncode
        dists.append(source / "dist")
    differ = reproducible.differing_files(*dists)  # type: ignore[attr-defined]
    if differ:
        for name in differ:
            print(name)
        _say(
            f"reproducibility: {len(differ)} files differ; both builds stay in {work} "
            "(compare them with cmp or diffoscope)"
        )
        return 1
    count = reproducible.file_count(dists[0])  # type: ignore[attr-defined]
    archives = sorted(path for path in dists[0].iterdir() if path.is_file())
    sums = ", ".join(f"{_sha256(path)} {path.name}" for path in archives)
    print(f"identical: {count} files, archive sha256 {sums or '(no archive)'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in-build-env", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--check-reproducible",
        action="store_true",
        help="build twice in two temporary folders and name every file that differs",
    )
    args = parser.parse_args(argv)
    if args.check_reproducible:
        return check_reproducible()
    if args.in_build_env or _inside_build_env():
        freeze()
        return 0
    python = ensure_build_env()
    for old in (DIST / APP_FOLDER, DIST / MAC_APP):
        if old.is_dir():
            shutil.rmtree(old)
    return subprocess.run(
        [str(python), str(Path(__file__).resolve()), "--in-build-env"], cwd=ROOT
    ).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
