"""macOS packaging: the app's Info.plist, signing and notarisation (given credentials), the .dmg."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

DISPLAY_NAME = "Halo Connection Wizard"
PUBLISHER = "Halo Connection Wizard"
COPYRIGHT = f"Copyright \N{COPYRIGHT SIGN} {PUBLISHER}"
BUNDLE_ID = "com.haloconnectionwizard.wizard"

# The hardened runtime's exceptions the signed app is given, and why (the file itself stays
# bare: the kernel reads it too, and a plist comment is not worth a doubt there):
# - com.apple.security.cs.allow-jit: Qt 6 JIT-compiles every QRegularExpression with PCRE2 on
#   macOS, and Qt uses them internally. Under the hardened runtime that needs MAP_JIT memory;
#   without this entitlement PCRE2's JIT has been seen to crash Qt apps rather than fall back.
# Not allow-unsigned-executable-memory: Python 3.11's ctypes makes no callback at import time
# and the app's ctypes users (keyring's and truststore's macOS code) make none either. Not
# disable-library-validation: sign_commands signs every library in the bundle with the same
# team's identity, so library validation passes.
ENTITLEMENTS = Path(__file__).resolve().parent / "entitlements.plist"

SIGN_IDENTITY = "MACOS_SIGN_IDENTITY"
NOTARY_PROFILE = "MACOS_NOTARY_PROFILE"
APPLE_ID_VARIABLES = ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD")

NOT_SIGNED = (
    f"Not signed: {SIGN_IDENTITY} is not set; the app will open only after right-click > Open "
    "/ System Settings > Privacy & Security > Open Anyway."
)

# The oldest macOS the bundled Qt runs on when the installed PySide6 wheel does not say (it is
# not a macOS wheel on other systems): the PySide6 wheels are built for macOS 11 up to 6.7,
# 12 for 6.8 and 6.9, and 13 from 6.10 on.
NEWEST_KNOWN_MINIMUM_MACOS = "13.0"

# Bundle suffixes whose folders codesign signs as one piece of code.
_BUNDLE_SUFFIXES = (".app", ".framework", ".bundle", ".plugin", ".xpc")
_MACHO_THIN = {
    b"\xfe\xed\xfa\xce": ">",
    b"\xfe\xed\xfa\xcf": ">",
    b"\xce\xfa\xed\xfe": "<",
    b"\xcf\xfa\xed\xfe": "<",
}
_MACHO_FAT = {b"\xca\xfe\xba\xbe": 4, b"\xca\xfe\xba\xbf": 8}  # magic: bytes of an arch's offset
_MH_EXECUTE = 2

Runner = Callable[[list[str]], Any]


def version_numbers(version: str) -> str:
    """The "1.2.3" a bundle's version keys must be, from a version such as "1.2.3rc1"."""
    match = re.match(r"\d+(?:\.\d+){0,2}", version.strip())
    if match is None:
        raise ValueError(f"{version!r} does not start with a version number such as 0.1.0")
    return match.group()


def minimum_macos() -> str:
    """The oldest macOS the app runs on: what the installed PySide6 wheel was built for.

    Qt sets the bar; Python (10.9 for python.org's builds) and PyInstaller's bootloader need less.
    """
    try:
        wheel = importlib.metadata.distribution("PySide6-Essentials").read_text("WHEEL") or ""
    except importlib.metadata.PackageNotFoundError:
        wheel = ""
    match = re.search(r"macosx_(\d+)_(\d+)", wheel)
    return f"{match[1]}.{match[2]}" if match else NEWEST_KNOWN_MINIMUM_MACOS


def info_plist(version: str, minimum_system_version: str | None = None) -> dict[str, Any]:
    """Info.plist keys for PyInstaller's BUNDLE(info_plist=...), merged over its own."""
    numbers = version_numbers(version)
    return {
        "CFBundleName": DISPLAY_NAME,
        "CFBundleDisplayName": DISPLAY_NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": numbers,
        "CFBundleVersion": numbers,
        "NSHumanReadableCopyright": COPYRIGHT,
        "LSApplicationCategoryType": "public.app-category.developer-tools",
        "LSMinimumSystemVersion": minimum_system_version or minimum_macos(),
        # Sharp text on Retina screens, and the dark appearance when the user has chosen it.
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,
    }


def dmg_name(version: str, arch: str | None = None) -> str:
    return f"Halo-Connection-Wizard-{version}-macos-{arch or platform.machine()}.dmg"


def macho_kind(path: Path) -> str | None:
    """ "executable" or "library" for a Mach-O file (thin or universal), None for anything else."""
    try:
        with path.open("rb") as file:
            header = file.read(32)
            magic = header[:4]
            if magic in _MACHO_FAT:
                count = int.from_bytes(header[4:8], "big")
                # Java class files share the universal magic; their next word is a version >= 45.
                if not 0 < count < 30:
                    return None
                offset_size = _MACHO_FAT[magic]
                offset = int.from_bytes(header[16 : 16 + offset_size], "big")
                file.seek(offset)
                header = file.read(16)
                magic = header[:4]
    except OSError:
        return None
    order = _MACHO_THIN.get(magic)
    if order is None or len(header) < 16:
        return None
    filetype = int.from_bytes(header[12:16], "big" if order == ">" else "little")
    return "executable" if filetype == _MH_EXECUTE else "library"


def _nested_code(app: Path) -> Iterator[tuple[Path, bool]]:
    """Every piece of code inside `app` that is signed on its own: (path, is an executable)."""
    # Symlinks are neither signed nor followed: each points at code signed under its real path
    # (PyInstaller links Contents/Resources and Contents/Frameworks to each other, and a
    # framework's Versions/Current is a link).
    for folder, subfolders, files in os.walk(app / "Contents"):
        for name in subfolders:
            path = Path(folder, name)
            if path.suffix in _BUNDLE_SUFFIXES and not path.is_symlink():
                yield from _bundle_roots(path)
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                kind = macho_kind(path)
                if kind is not None:
                    yield path, kind == "executable"


def _bundle_roots(bundle: Path) -> Iterator[tuple[Path, bool]]:
    versions = bundle / "Versions"
    if bundle.suffix == ".framework" and versions.is_dir():
        # A versioned framework is signed version by version (Versions/A), not through the
        # Current symlink.
        for version in sorted(versions.iterdir()):
            if version.is_dir() and not version.is_symlink():
                yield version, False
    else:
        yield bundle, bundle.suffix == ".app"


def sign_commands(app: Path, identity: str, entitlements: Path) -> list[list[str]]:
    """codesign commands for `app` with the hardened runtime, inside out, then a strict check.

    Each nested library, executable and framework is signed before what contains it, and the
    app last, instead of `codesign --deep` on the app: --deep gives every nested executable the
    app's entitlements and signs frameworks in no particular order, which Apple advises against.
    Entitlements go to executables only; libraries run with those of the program loading them.
    """
    base = ["codesign", "--force", "--timestamp", "--options", "runtime"]
    with_entitlements = [*base, "--entitlements", str(entitlements)]
    nested = sorted(_nested_code(app), key=lambda item: (-len(item[0].parts), str(item[0])))
    commands = [
        [*(with_entitlements if executable else base), "--sign", identity, str(path)]
        for path, executable in nested
    ]
    commands.append([*with_entitlements, "--sign", identity, str(app)])
    commands.append(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)])
    return commands


def notary_credentials(env: Mapping[str, str]) -> list[str] | None:
    """notarytool's credential options from the environment, or None when they are incomplete."""
    profile = env.get(NOTARY_PROFILE, "").strip()
    if profile:
        return ["--keychain-profile", profile]
    apple_id, team_id, password = (env.get(name, "").strip() for name in APPLE_ID_VARIABLES)
    if apple_id and team_id and password:
        return ["--apple-id", apple_id, "--team-id", team_id, "--password", password]
    return None


def missing_notary_variables(env: Mapping[str, str]) -> str:
    """Which variables are missing for notarisation, in words."""
    missing = [name for name in APPLE_ID_VARIABLES if not env.get(name, "").strip()]
    return (
        f"{NOTARY_PROFILE} is not set, nor all of {', '.join(APPLE_ID_VARIABLES)} "
        f"(missing: {', '.join(missing)})"
    )


def notarise_commands(
    archive: Path, env: Mapping[str, str], staple: Path | None = None
) -> list[list[str]]:
    """Submit `archive` to Apple's notary service, wait for it, then staple the ticket.

    The ticket is stapled to `staple`, by default the archive itself (right for a .dmg); for a
    .zip of an app, staple the app: a zip cannot hold a ticket.
    """
    credentials = notary_credentials(env)
    if credentials is None:
        raise ValueError(f"cannot notarise: {missing_notary_variables(env)}")
    return [
        ["xcrun", "notarytool", "submit", str(archive), *credentials, "--wait"],
        ["xcrun", "stapler", "staple", str(staple or archive)],
    ]


def zip_command(app: Path, zip_path: Path) -> list[str]:
    """A zip of `app` for the notary service, made with ditto.

    ditto keeps the bundle's symlinks as symlinks (a plain zip would store copies and so break
    the signature) and its extended attributes; --keepParent keeps the .app folder itself.
    """
    return ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(zip_path)]


def stage_dmg_folder(app: Path, staging: Path) -> Path:
    """Lay out the disk image's contents in `staging`: a copy of `app` and an Applications link.

    The copy keeps symlinks as symlinks: PyInstaller's bundle is full of them and its signature
    covers them as links. The link to /Applications is what people drag the app onto.
    """
    staging.mkdir(parents=True, exist_ok=True)
    shutil.copytree(app, staging / app.name, symlinks=True)
    (staging / "Applications").symlink_to("/Applications")
    return staging


def dmg_commands(
    staging: Path, dmg: Path, volume_name: str, identity: str | None = None
) -> list[list[str]]:
    """hdiutil's command making `dmg` from a staged folder, then, with an identity, signing it."""
    commands: list[list[str]] = []
    if identity:
        # The staged copy is what ships: check that copying it kept the signature whole.
        app = next(staging.glob("*.app"), None)
        if app is not None:
            commands.append(["codesign", "--verify", "--deep", "--strict", str(app)])
    commands.append(
        [
            "hdiutil",
            "create",
            "-volname",
            volume_name,
            "-srcfolder",
            str(staging),
            "-ov",
            "-format",
            "UDZO",
            str(dmg),
        ]
    )
    if identity:
        commands.append(["codesign", "--force", "--timestamp", "--sign", identity, str(dmg)])
    return commands


def make_dmg(
    app: Path, dmg: Path, volume_name: str, identity: str | None = None, *, run: Runner
) -> Path:
    """Stage `app` in a temporary folder and make (and with an identity, sign) `dmg` from it."""
    dmg.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="halo-wizard-dmg-") as temporary:
        staging = stage_dmg_folder(app, Path(temporary) / "staging")
        for command in dmg_commands(staging, dmg, volume_name, identity):
            run(command)
    return dmg


def redacted(command: list[str]) -> list[str]:
    """`command` with the value after --password replaced, fit to be printed or logged."""
    return [
        "***" if index > 0 and command[index - 1] == "--password" else argument
        for index, argument in enumerate(command)
    ]


def run_command(command: list[str]) -> None:
    """Run `command`, failing on a non-zero exit, without ever showing a password."""
    try:
        subprocess.run(command, check=True)
    except subprocess.CalledProcessError as error:
        # The exception's text names the command; give it the redacted one.
        raise subprocess.CalledProcessError(error.returncode, redacted(command)) from None


def finish_app(
    app: Path, version: str, out_dir: Path, env: Mapping[str, str], *, run: Runner = run_command
) -> list[Path]:
    """Sign, notarise and put `app` in a .dmg, as far as the environment's credentials allow.

    MACOS_SIGN_IDENTITY names the signing identity ("Developer ID Application: ..."); the notary
    service is reached with the keychain profile in MACOS_NOTARY_PROFILE (made with `xcrun
    notarytool store-credentials`) or with APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD.
    Whatever is missing is skipped with a message saying why. Returns the files made.
    """

    def step(command: list[str]) -> None:
        print("+", shlex.join(redacted(command)), flush=True)
        run(command)

    identity = env.get(SIGN_IDENTITY, "").strip()
    credentials = notary_credentials(env)
    if identity:
        for command in sign_commands(app, identity, ENTITLEMENTS):
            step(command)
    else:
        print(NOT_SIGNED)

    notarised = False
    if not identity:
        print("Not notarised: Apple notarises only signed apps, and this one is not signed.")
    elif credentials is None:
        print(f"Not notarised: {missing_notary_variables(env)}.")
    else:
        with tempfile.TemporaryDirectory(prefix="halo-wizard-notary-") as temporary:
            archive = Path(temporary) / f"{app.stem}.zip"
            step(zip_command(app, archive))
            for command in notarise_commands(archive, env, staple=app):
                step(command)
        notarised = True

    dmg = out_dir / dmg_name(version)
    make_dmg(app, dmg, DISPLAY_NAME, identity or None, run=step)
    if notarised:
        # The disk image is notarised too, so that opening the download asks no question even
        # before the app inside is checked.
        for command in notarise_commands(dmg, env):
            step(command)
    return [dmg]
