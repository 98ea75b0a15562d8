"""Test the frozen app as a user would run it: `python3 packaging/smoke.py [PATH]`.

PATH is the built app: its folder, the .app bundle or the executable (default: what
packaging/build.py put in dist/ for this system). Every run starts the app from an empty
folder outside the source tree with no PYTHONPATH, and checks that:

1. `--version` prints the version in pyproject.toml;
2. `doctor --json` says it is frozen, names a real keychain backend and finds the
   operating system's certificates;
3. `demo` (the command-line check against the built-in simulated Halo) exits 0;
4. `check` against a simulated Halo over TLS, trusting its CA with --ca-bundle, works for
   a healthy instance (exit 0) and explains a wrong secret (exit 1, INVALID_CLIENT);
4b. `recipes --json` lists the tools, `check --for rewst` gives Rewst's form, `keygen` makes a
   key pair and `check --private-key` signs its way in (JWT Assertion);
5. the wizard's window opens, paints its first page and closes cleanly (offscreen unless
   --native-window is given), and on Linux, when Xvfb is installed, on a real X server too
   (Qt's X11 plugin and the libraries it links to);
6. a test secret can be stored, read back and deleted in the keychain
   (`doctor --try-keychain`), leaving nothing behind;
7. the log the app wrote holds none of the secrets it was given;
7b. the app carries its licences and its bill of materials (CycloneDX, naming
   PySide6-Essentials and cryptography with their versions and wheel hashes), `licences`
   prints them (the LGPL and Python's licence among them), and dist/SHA256SUMS matches;
8. on Windows, the windowed halo-wizard.exe (which has no console) runs a command without
   crashing.

The simulated Halo runs here, in the build environment made by build.py (it needs the
simulator and trustme, which the app itself does not carry). Exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUILD_ENV = ROOT / "build" / "venv"
SECRET_ENV = "HALO_CLIENT_SECRET"
NO_KEYCHAIN = "no keychain"
# Packages the app must not carry (packaging/halo-wizard.spec excludes them).
TEST_ONLY = ("trustme", "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "tkinter")
UNUSED_QT = ("PySide6.QtNetwork",)
UNUSED_PLUGINS = ("wayland", "qgtk3", "eglfs", "qtiff", "qwebp", "qjpeg", "networkmanager")
# What the app carries in its licences folder (packaging/sbom.py writes them).
NOTICES_FILE, SBOM_FILE = "THIRD-PARTY-NOTICES.txt", "halo-wizard.cdx.json"
SBOM_MUST_NAME = ("pyside6-essentials", "cryptography")
LICENCE_WORDS = ("GNU LESSER GENERAL PUBLIC LICENSE", "PYTHON SOFTWARE FOUNDATION LICENSE")
# The size targets on Linux (issue: an installable app).
FOLDER_LIMIT, ARCHIVE_LIMIT = 140_000_000, 60_000_000


def version() -> str:
    """The one version number, wizard/__init__.py's __version__ (packaging/build.py's too)."""
    text = (ROOT / "wizard" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit("wizard/__init__.py has no __version__ line")
    return match[1]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_executable(path: Path | None) -> Path:
    """The command-line executable of the app at `path` (or of the one in dist/)."""
    if path is None:
        if sys.platform == "darwin":
            path = DIST / "Halo Connection Wizard.app"
        else:
            path = DIST / "halo-wizard"
    if path.suffix == ".app":
        path = path / "Contents" / "MacOS" / "halo-wizard"
    elif path.is_dir():
        path = path / ("halo-wizard-cli.exe" if sys.platform == "win32" else "halo-wizard")
    if not path.is_file():
        raise SystemExit(f"smoke: no app at {path}; build it first: python3 packaging/build.py")
    return path.resolve()


def app_folder(executable: Path) -> Path:
    """The folder that holds the executable and its _internal/ (the .app's for macOS)."""
    if executable.parent.name == "MacOS":
        return executable.parent.parent.parent
    return executable.parent


class Smoke:
    """Runs the app in an empty folder with a private log folder, and keeps the verdicts."""

    def __init__(self, executable: Path, work: Path) -> None:
        self.executable = executable
        self.work = work
        self.log_dir = work / "logs"
        self.failures: list[str] = []
        self.steps = 0
        self.secrets_used: list[str] = []
        home = work / "cwd"
        home.mkdir()
        self.cwd = home
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", SECRET_ENV, "VIRTUAL_ENV")
            and not k.startswith("PYINSTALLER")
        }
        env["HALO_WIZARD_LOG_DIR"] = str(self.log_dir)
        env["PYTHONIOENCODING"] = "utf-8"
        self.env = env

    def run(
        self,
        *args: str,
        secret: str | None = None,
        executable: Path | None = None,
        timeout: float = 90,
        **extra_env: str,
    ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env, **extra_env)
        if secret is not None:
            env[SECRET_ENV] = secret
            self.secrets_used.append(secret)
        return subprocess.run(
            [str(executable or self.executable), *args],
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )

    def step(self, name: str, check: Callable[[], str]) -> None:
        self.steps += 1
        started = time.monotonic()
        try:
            detail = check()
        except Exception as exc:  # every failure is reported, then the next step runs
            self.failures.append(name)
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}", flush=True)
            return
        print(f"ok    {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)


def expect(condition: bool, message: str, done: subprocess.CompletedProcess[str]) -> None:
    if not condition:
        raise AssertionError(
            f"{message}\n  exit code {done.returncode}\n  stdout: {done.stdout[-3000:]}\n"
            f"  stderr: {done.stderr[-3000:]}"
        )


def as_json(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    try:
        value = json.loads(done.stdout)
    except ValueError:
        expect(False, "the output is not JSON", done)
    expect(isinstance(value, dict), "the output is not a JSON object", done)
    return value  # type: ignore[no-any-return]


def codes(report: dict[str, object]) -> list[str]:
    findings = report.get("findings")
    assert isinstance(findings, list)
    return [str(f.get("code")) for f in findings if isinstance(f, dict)]


def run_all(smoke: Smoke, native_window: bool) -> None:
    from wizard.sim import SimulatedHalo
    from wizard.sim.tls import make_tls

    def check_version() -> str:
        done = smoke.run("--version")
        expect(done.returncode == 0, "--version failed", done)
        expect(done.stdout.strip() == f"halo-wizard {version()}", "wrong version", done)
        return done.stdout.strip()

    def check_doctor() -> str:
        done = smoke.run("doctor", "--json")
        expect(done.returncode == 0, "doctor failed", done)
        doctor = as_json(done)
        keychain = doctor["keychain"]
        certificates = doctor["certificates"]
        assert isinstance(keychain, dict) and isinstance(certificates, dict)
        expect(doctor["frozen"] is True, "the app does not know it is frozen", done)
        expect(doctor["version"] == version(), "doctor reports another version", done)
        expect(
            keychain["available"] is True and keychain["name"] != NO_KEYCHAIN,
            f"no keychain backend: {keychain.get('reason')}",
            done,
        )
        count = certificates["system_ca_count"]
        expect(isinstance(count, int) and count > 0, "no system CA certificates found", done)
        return (
            f"keychain {keychain['name']} ({keychain['backend']}), {count} system CA "
            f"certificates, Qt {doctor['qt']}"
        )

    def check_demo() -> str:
        done = smoke.run("demo")
        expect(done.returncode == 0, "the demo check did not pass", done)
        expect("connection works" in done.stdout, "the demo does not say it works", done)
        return "the demo check passed"

    tls, ca_bundle = make_tls(("localhost", "127.0.0.1"))
    halo = SimulatedHalo("healthy", tls=tls, public_host="localhost")
    halo.start()

    def check_over_tls() -> str:
        args = (
            "check", "--host", halo.url, "--client-id", halo.client_id,
            "--scopes", "read:tickets read:customers", "--ca-bundle", ca_bundle, "--json",
        )  # fmt: skip
        done = smoke.run(*args, secret=halo.client_secret)
        expect(done.returncode == 0, "a healthy instance did not pass", done)
        report = as_json(done)
        expect(report["ok"] is True, "the report is not ok", done)
        wrong = smoke.run(*args, secret=secrets.token_urlsafe(24))
        expect(wrong.returncode == 1, "a wrong secret did not exit 1", wrong)
        found = codes(as_json(wrong))
        expect("INVALID_CLIENT" in found, f"a wrong secret gave {found}", wrong)
        for done_ in (done, wrong):
            expect(halo.client_secret not in done_.stdout + done_.stderr, "secret shown", done_)
        return f"healthy: exit 0; wrong secret: exit 1 with {', '.join(found)}"

    def check_window() -> str:
        extra = {} if native_window else {"QT_QPA_PLATFORM": "offscreen"}
        done = smoke.run("--demo", "--exit-after-first-paint", timeout=120, **extra)
        expect(done.returncode == 0, "the window did not open and close cleanly", done)
        painted = [
            line for line in done.stdout.splitlines() if line.startswith("first page painted")
        ]
        expect(len(painted) == 1, "no first paint reported", done)
        return painted[0]

    def check_x11_window() -> str:
        # The offscreen platform above does not load Qt's X11 plugin or what it links to;
        # a real X server (Xvfb) does, as a Linux desktop would.
        with xvfb() as display:
            env = {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
            done = smoke.run("--demo", "--exit-after-first-paint", timeout=120, **env)
        expect(done.returncode == 0, "the window did not open on X11", done)
        expect("first page painted" in done.stdout, "no first paint on X11", done)
        return f"painted on Xvfb display {display}"

    def check_keychain() -> str:
        done = smoke.run("doctor", "--try-keychain", "--json")
        report = as_json(done)
        trip = report.get("keychain_round_trip")
        assert isinstance(trip, dict), trip
        expect(done.returncode == 0 and trip.get("ok") is True, f"round trip: {trip}", done)
        return str(trip.get("detail"))

    def check_windowed_exe() -> str:
        windowed = smoke.executable.with_name("halo-wizard.exe")
        done = smoke.run("doctor", executable=windowed)
        expect(done.returncode == 0, "the windowed executable failed without a console", done)
        return "halo-wizard.exe doctor exited 0"

    def check_contents() -> str:
        from PyInstaller.archive.readers import CArchiveReader

        modules = list(CArchiveReader(str(smoke.executable)).open_embedded_archive("PYZ.pyz").toc)
        unwanted = sorted({m for m in modules if m.split(".")[0] in TEST_ONLY})
        unwanted += [m for m in modules if m in UNUSED_QT]
        if unwanted:
            raise AssertionError(f"the app carries modules it does not use: {unwanted}")
        folder = app_folder(smoke.executable)
        plugins = [p.name for p in folder.rglob("*") if p.parent.parent.name == "plugins"]
        dropped = [p for p in plugins if any(word in p for word in UNUSED_PLUGINS)]
        if dropped:
            raise AssertionError(f"the app carries Qt plugins it does not use: {dropped}")
        resources = {p.name for p in folder.rglob("*") if "resources" in p.parts}
        missing = {"recipes.toml", "halo-wizard.svg"} - resources
        if missing:
            raise AssertionError(f"the app lacks its resources: {sorted(missing)}")
        size = sum(
            p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
        )
        detail = f"{len(modules)} modules, {len(plugins)} Qt plugins, {size / 1e6:.1f} MB"
        if sys.platform.startswith("linux"):
            if size > FOLDER_LIMIT:
                raise AssertionError(
                    f"the folder is {size / 1e6:.1f} MB, over {FOLDER_LIMIT / 1e6:.0f}"
                )
            for archive in folder.parent.glob(f"halo-wizard-{version()}-linux-*.tar.*"):
                archived = archive.stat().st_size
                if archived > ARCHIVE_LIMIT:
                    raise AssertionError(f"{archive.name} is {archived / 1e6:.1f} MB")
                detail += f"; {archive.name} {archived / 1e6:.1f} MB"
        return detail

    def check_recipes_and_keys() -> str:
        done = smoke.run("recipes", "--json")
        expect(done.returncode == 0, "recipes failed", done)
        ids = [recipe["id"] for recipe in json.loads(done.stdout)]
        expect("rewst" in ids and "n8n" in ids, "the recipes are missing", done)
        args = (
            "check", "--host", halo.url, "--client-id", halo.client_id, "--for", "rewst",
            "--scopes", "read:tickets", "--ca-bundle", ca_bundle, "--json",
        )  # fmt: skip
        done = smoke.run(*args, secret=halo.client_secret)
        fields = {f["label"]: f for f in as_json(done).get("for", {}).get("fields", [])}
        expect(fields.get("Client Secret", {}).get("secret") is True, "no Rewst form", done)
        keys = smoke.work / "keys"
        done = smoke.run("keygen", "--out", str(keys))
        expect(done.returncode == 0, "keygen failed", done)
        public = (keys / "halo-public-key.pem").read_text(encoding="ascii")
        signed = SimulatedHalo(
            "healthy", tls=tls, public_host="localhost", assertion_public_key=public
        )
        signed.start()
        try:
            done = smoke.run(
                "check", "--host", signed.url, "--client-id", signed.client_id,
                "--scopes", "read:tickets", "--ca-bundle", ca_bundle, "--json",
                "--private-key", str(keys / "halo-private-key.pem"),
            )  # fmt: skip
        finally:
            signed.stop()
        expect(done.returncode == 0 and as_json(done)["ok"] is True, "JWT check failed", done)
        return f"{len(ids)} recipes, Rewst's form, a key pair and a JWT-assertion check"

    def check_licences() -> str:
        folder = app_folder(smoke.executable)
        licences = (
            folder / "Contents" / "Resources" / "licences"
            if folder.suffix == ".app"
            else folder / "licences"
        )
        notices, bom = licences / NOTICES_FILE, licences / SBOM_FILE
        missing = [p.name for p in (notices, bom) if not p.is_file()]
        if missing:
            raise AssertionError(f"the app lacks {missing} in {licences}")
        document = json.loads(bom.read_text(encoding="utf-8"))
        if document.get("bomFormat") != "CycloneDX":
            raise AssertionError(f"{bom.name} is not a CycloneDX document")
        found = {}
        for component in document.get("components", []):
            name = re.sub(r"[-_.]+", "-", str(component.get("name", ""))).lower()
            hashes = [h.get("content", "") for h in component.get("hashes", [])]
            if component.get("version") and any(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes):
                found[name] = component["version"]
        lacking = [n for n in SBOM_MUST_NAME if n not in found]
        if lacking:
            raise AssertionError(f"the SBOM names no version and sha256 for {lacking}")
        done = smoke.run("licences")
        expect(done.returncode == 0, "licences failed", done)
        for words in LICENCE_WORDS:
            expect(words in done.stdout, f"licences does not print {words!r}", done)
        expect(
            done.stdout == notices.read_text(encoding="utf-8"),
            "licences does not print the app's own file",
            done,
        )
        detail = f"{len(document['components'])} components in the SBOM"
        sums = folder.parent / "SHA256SUMS"
        if sums.is_file():
            for line in sums.read_text(encoding="utf-8").splitlines():
                digest, name = line.split("  ", 1)
                if sha256_of(folder.parent / name) != digest:
                    raise AssertionError(f"SHA256SUMS does not match {name}")
            detail += f"; SHA256SUMS matches {len(sums.read_text().splitlines())} files"
        pyside = found["pyside6-essentials"]
        return f"{detail}; PySide6-Essentials {pyside}, cryptography {found['cryptography']}"

    def check_log() -> str:
        logs = list(smoke.log_dir.rglob("*.log*"))
        if not logs:
            raise AssertionError(f"no log file in {smoke.log_dir}")
        text = "".join(path.read_text(encoding="utf-8", errors="replace") for path in logs)
        leaked = [s for s in (halo.client_secret, *smoke.secrets_used) if s and s in text]
        if leaked:
            raise AssertionError(f"the log holds {len(leaked)} secret(s)")
        return f"{len(logs)} log file(s), {len(text)} characters, no secret in them"

    try:
        smoke.step("--version", check_version)
        smoke.step("doctor --json", check_doctor)
        smoke.step("demo", check_demo)
        smoke.step("check over TLS with --ca-bundle", check_over_tls)
        smoke.step("recipes, keygen and a JWT assertion", check_recipes_and_keys)
        smoke.step("window: first page painted", check_window)
        if sys.platform.startswith("linux") and shutil.which("Xvfb"):
            smoke.step("window on X11 (Xvfb)", check_x11_window)
        smoke.step("keychain round trip", check_keychain)
        if sys.platform == "win32":
            smoke.step("windowed executable without a console", check_windowed_exe)
        smoke.step("licences and the bill of materials", check_licences)
        smoke.step("log file holds no secret", check_log)
        smoke.step("only what the app uses", check_contents)
    finally:
        halo.stop()


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A private X server on a free display number; its name, e.g. ":3"."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _inside_build_env() -> bool:
    return Path(sys.prefix).resolve() == BUILD_ENV.resolve()


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="the built app (default: dist/)")
    parser.add_argument(
        "--native-window",
        action="store_true",
        help="open the window on the real desktop instead of offscreen",
    )
    args = parser.parse_args(argv)
    if not _inside_build_env():
        python = BUILD_ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        if not python.is_file():
            raise SystemExit("smoke: no build environment; run python3 packaging/build.py first")
        return subprocess.run([str(python), str(Path(__file__).resolve()), *argv]).returncode
    executable = find_executable(args.path)
    print(f"smoke: testing {executable}", flush=True)
    with tempfile.TemporaryDirectory(prefix="halo-wizard-smoke-") as work:
        smoke = Smoke(executable, Path(work))
        run_all(smoke, args.native_window)
    passed = smoke.steps - len(smoke.failures)
    if smoke.failures:
        print(f"smoke: failed: {', '.join(smoke.failures)}")
    print(f"smoke: {passed} passed, {len(smoke.failures)} failed", flush=True)
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
