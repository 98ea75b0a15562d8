"""macOS packaging: Info.plist, entitlements, and the commands that sign, notarise and make the dmg.

Nothing here runs codesign, notarytool or hdiutil: finish_app takes the function that runs
commands, and these tests record what it is given. The dmg's staging folder is made for real.
"""

from __future__ import annotations

import plistlib
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

APP_NAME = "Halo Connection Wizard.app"
PASSWORD = "abcd-efgh-ijkl-mnop"
PROFILE_ENV = {"MACOS_SIGN_IDENTITY": "Developer ID Application: Example (TEAM123456)"}
CPU_ARM64 = 0x0100000C
MH_EXECUTE, MH_DYLIB, MH_BUNDLE = 2, 6, 8


def thin_macho(filetype: int) -> bytes:
    # 64-bit little-endian header: magic, CPU type, CPU subtype, file type, then padding.
    return b"\xcf\xfa\xed\xfe" + struct.pack("<iiI", CPU_ARM64, 0, filetype) + b"\0" * 48


def universal_macho(filetype: int) -> bytes:
    slice_ = thin_macho(filetype)
    header = b"\xca\xfe\xba\xbe" + struct.pack(">I", 1)
    header += struct.pack(">iiIII", CPU_ARM64, 0, 64, len(slice_), 14)
    return header.ljust(64, b"\0") + slice_


def fake_app(root: Path) -> Path:
    """A bundle laid out as PyInstaller makes one, with fake Mach-O files and its symlinks."""
    app = root / APP_NAME
    contents = app / "Contents"
    (contents / "MacOS").mkdir(parents=True)
    (contents / "Info.plist").write_bytes(plistlib.dumps({"CFBundleExecutable": "halo-wizard"}))
    executable = contents / "MacOS" / "halo-wizard"
    executable.write_bytes(thin_macho(MH_EXECUTE))
    executable.chmod(0o755)
    frameworks = contents / "Frameworks"
    pyside = frameworks / "PySide6"
    (pyside / "Qt" / "lib").mkdir(parents=True)
    (frameworks / "libpython3.11.dylib").write_bytes(thin_macho(MH_DYLIB))
    (pyside / "QtCore.abi3.so").write_bytes(universal_macho(MH_BUNDLE))
    framework = pyside / "Qt" / "lib" / "QtCore.framework"
    version = framework / "Versions" / "A"
    (version / "Resources").mkdir(parents=True)
    (version / "QtCore").write_bytes(thin_macho(MH_DYLIB))
    (version / "Resources" / "Info.plist").write_bytes(plistlib.dumps({}))
    (framework / "Versions" / "Current").symlink_to("A")
    (framework / "QtCore").symlink_to("Versions/Current/QtCore")
    (framework / "Resources").symlink_to("Versions/Current/Resources")
    resources = contents / "Resources"
    resources.mkdir()
    (resources / "base_library.zip").write_bytes(b"PK\x03\x04")
    (resources / "halo-wizard.icns").write_bytes(b"icns\0\0\0\x08")
    # Java class files begin with the universal binary's magic; this is not code to sign.
    (resources / "Example.class").write_bytes(b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\0" * 32)
    (resources / "PySide6").symlink_to("../Frameworks/PySide6")
    return app


class Recorder:
    """Stands in for running commands: keeps each one, runs none."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str]) -> None:
        self.commands.append(command)

    def programs(self) -> list[str]:
        return [
            " ".join(command[:3]) if command[0] == "xcrun" else command[0]
            for command in self.commands
        ]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return fake_app(tmp_path / "dist")


def finish(macos: ModuleType, app: Path, env: dict[str, str]) -> tuple[list[Path], Recorder]:
    recorder = Recorder()
    produced = macos.finish_app(app, "0.1.0", app.parent, env, run=recorder)
    return produced, recorder


def test_code_in_the_bundle_is_told_from_other_files(macos: ModuleType, app: Path) -> None:
    contents = app / "Contents"
    assert macos.macho_kind(contents / "MacOS" / "halo-wizard") == "executable"
    assert macos.macho_kind(contents / "Frameworks" / "libpython3.11.dylib") == "library"
    assert macos.macho_kind(contents / "Frameworks" / "PySide6" / "QtCore.abi3.so") == "library"
    assert macos.macho_kind(contents / "Resources" / "Example.class") is None
    assert macos.macho_kind(contents / "Resources" / "base_library.zip") is None
    assert macos.macho_kind(contents / "Info.plist") is None
    assert macos.macho_kind(contents / "missing") is None


def test_signing_goes_inside_out_with_the_hardened_runtime(
    macos: ModuleType, app: Path, tmp_path: Path
) -> None:
    identity = PROFILE_ENV["MACOS_SIGN_IDENTITY"]
    entitlements = tmp_path / "entitlements.plist"
    commands = macos.sign_commands(app, identity, entitlements)
    *signing, verify = commands
    assert verify == ["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)]
    signed = [Path(command[-1]) for command in signing]
    contents = app / "Contents"
    framework = contents / "Frameworks" / "PySide6" / "Qt" / "lib" / "QtCore.framework"
    assert set(signed) == {
        contents / "MacOS" / "halo-wizard",
        contents / "Frameworks" / "libpython3.11.dylib",
        contents / "Frameworks" / "PySide6" / "QtCore.abi3.so",
        framework / "Versions" / "A" / "QtCore",
        framework / "Versions" / "A",
        app,
    }
    assert len(signed) == len(set(signed)), "each piece of code is signed once"
    # Whatever contains a piece of code is signed after it, and the app last of all.
    for index, path in enumerate(signed):
        for earlier in signed[:index]:
            assert earlier not in path.parents, f"{earlier} signed before {path} inside it"
    assert signed[-1] == app
    for command in signing:
        assert command[:5] == ["codesign", "--force", "--timestamp", "--options", "runtime"]
        assert command[-3:-1] == ["--sign", identity]
    with_entitlements = {Path(command[-1]) for command in signing if "--entitlements" in command}
    assert with_entitlements == {contents / "MacOS" / "halo-wizard", app}
    for command in signing:
        if "--entitlements" in command:
            assert command[command.index("--entitlements") + 1] == str(entitlements)


def test_symlinks_in_the_bundle_are_not_signed_twice(macos: ModuleType, app: Path) -> None:
    commands = macos.sign_commands(app, "Developer ID Application: X", Path("e.plist"))
    signed = [command[-1] for command in commands]
    assert not any("Current" in path or "/Resources/PySide6" in path for path in signed)


def test_without_an_identity_nothing_is_signed_or_notarised(
    macos: ModuleType, app: Path, capsys: Any
) -> None:
    produced, recorder = finish(macos, app, {"MACOS_NOTARY_PROFILE": "notary"})
    assert "codesign" not in recorder.programs()
    assert not any(program.startswith("xcrun") for program in recorder.programs())
    assert recorder.programs() == ["hdiutil"]
    printed = capsys.readouterr().out
    assert "Not signed: MACOS_SIGN_IDENTITY is not set" in printed
    assert "right-click > Open" in printed
    assert "System Settings > Privacy & Security > Open Anyway" in printed
    assert "Not notarised" in printed and "not signed" in printed
    assert produced == [app.parent / f"Halo-Connection-Wizard-0.1.0-macos-{macos_arch()}.dmg"]


def macos_arch() -> str:
    import platform

    return platform.machine()


def test_with_an_identity_and_no_notary_credentials_the_app_is_signed_only(
    macos: ModuleType, app: Path, capsys: Any
) -> None:
    produced, recorder = finish(macos, app, PROFILE_ENV)
    programs = recorder.programs()
    assert not any(program.startswith("xcrun") for program in programs)
    assert "ditto" not in programs
    # The app (and everything in it), the check, the staged copy's check, the dmg, its signature.
    assert programs[-3:] == ["codesign", "hdiutil", "codesign"]
    assert recorder.commands[-1][-1] == str(produced[0])
    printed = capsys.readouterr().out
    assert "Not signed" not in printed
    assert "Not notarised: MACOS_NOTARY_PROFILE is not set" in printed
    assert "missing: APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD" in printed


def test_a_half_given_apple_id_names_what_is_missing(
    macos: ModuleType, app: Path, capsys: Any
) -> None:
    env = {**PROFILE_ENV, "APPLE_ID": "admin@example.com", "APPLE_TEAM_ID": "TEAM123456"}
    _, recorder = finish(macos, app, env)
    assert not any(program.startswith("xcrun") for program in recorder.programs())
    assert "(missing: APPLE_APP_PASSWORD)" in capsys.readouterr().out


def test_with_a_keychain_profile_the_app_and_the_dmg_are_notarised(
    macos: ModuleType, app: Path
) -> None:
    env = {**PROFILE_ENV, "MACOS_NOTARY_PROFILE": "halo-notary"}
    (dmg,), recorder = finish(macos, app, env)
    programs = recorder.programs()
    first_submit = programs.index("xcrun notarytool submit")
    assert programs[first_submit - 1] == "ditto"
    zip_path = Path(recorder.commands[first_submit - 1][-1])
    assert recorder.commands[first_submit - 1] == [
        "ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(zip_path),
    ]  # fmt: skip
    assert recorder.commands[first_submit] == [
        "xcrun", "notarytool", "submit", str(zip_path), "--keychain-profile", "halo-notary",
        "--wait",
    ]  # fmt: skip
    # The zip cannot hold the ticket: it goes on the app, before the app goes in the dmg.
    assert recorder.commands[first_submit + 1] == ["xcrun", "stapler", "staple", str(app)]
    assert programs.index("hdiutil") > first_submit + 1
    assert recorder.commands[-2:] == [
        ["xcrun", "notarytool", "submit", str(dmg), "--keychain-profile", "halo-notary", "--wait"],
        ["xcrun", "stapler", "staple", str(dmg)],
    ]
    # The app was signed whole before anything was sent to Apple.
    signing = [i for i, command in enumerate(recorder.commands) if "--options" in command]
    assert max(signing) < first_submit


def test_with_an_apple_id_the_password_is_passed_but_never_printed(
    macos: ModuleType, app: Path, capsys: Any
) -> None:
    env = {
        **PROFILE_ENV,
        "APPLE_ID": "admin@example.com",
        "APPLE_TEAM_ID": "TEAM123456",
        "APPLE_APP_PASSWORD": PASSWORD,
    }
    _, recorder = finish(macos, app, env)
    submits = [
        command for command in recorder.commands if command[:3] == ["xcrun", "notarytool", "submit"]
    ]
    assert len(submits) == 2
    for command in submits:
        assert command[4:] == [
            "--apple-id", "admin@example.com", "--team-id", "TEAM123456", "--password", PASSWORD,
            "--wait",
        ]  # fmt: skip
    captured = capsys.readouterr()
    assert PASSWORD not in captured.out + captured.err
    assert "--password '***'" in captured.out


def test_a_keychain_profile_is_preferred_to_an_apple_id(macos: ModuleType) -> None:
    env = {
        "MACOS_NOTARY_PROFILE": "halo-notary",
        "APPLE_ID": "admin@example.com",
        "APPLE_TEAM_ID": "TEAM123456",
        "APPLE_APP_PASSWORD": PASSWORD,
    }
    assert macos.notary_credentials(env) == ["--keychain-profile", "halo-notary"]


def test_notarising_without_credentials_is_refused(macos: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="APPLE_APP_PASSWORD"):
        macos.notarise_commands(tmp_path / "a.dmg", {"APPLE_ID": "a", "APPLE_TEAM_ID": "b"})


def test_a_failed_command_is_reported_without_the_password(macos: ModuleType) -> None:
    command = [sys.executable, "-c", "raise SystemExit(3)", "--password", PASSWORD]
    with pytest.raises(subprocess.CalledProcessError) as failure:
        macos.run_command(command)
    assert failure.value.returncode == 3
    assert PASSWORD not in str(failure.value)
    assert PASSWORD not in repr(failure.value.cmd)


def test_the_dmg_staging_keeps_the_bundles_symlinks(
    macos: ModuleType, app: Path, tmp_path: Path
) -> None:
    staging = macos.stage_dmg_folder(app, tmp_path / "staging")
    copy = staging / APP_NAME
    link = copy / "Contents" / "Resources" / "PySide6"
    assert link.is_symlink() and str(link.readlink()) == "../Frameworks/PySide6"
    framework = copy / "Contents" / "Frameworks" / "PySide6" / "Qt" / "lib" / "QtCore.framework"
    assert (framework / "Versions" / "Current").is_symlink()
    assert (framework / "QtCore").is_symlink()
    assert (copy / "Contents" / "MacOS" / "halo-wizard").stat().st_mode & 0o111
    applications = staging / "Applications"
    assert applications.is_symlink() and str(applications.readlink()) == "/Applications"
    assert sorted(path.name for path in staging.iterdir()) == ["Applications", APP_NAME]


def test_the_dmg_is_made_from_the_staging_folder(macos: ModuleType, tmp_path: Path) -> None:
    staging, dmg = tmp_path / "staging", tmp_path / "out.dmg"
    assert macos.dmg_commands(staging, dmg, "Halo Connection Wizard") == [
        [
            "hdiutil", "create", "-volname", "Halo Connection Wizard", "-srcfolder", str(staging),
            "-ov", "-format", "UDZO", str(dmg),
        ]
    ]  # fmt: skip


def test_with_an_identity_the_staged_copy_is_checked_and_the_dmg_signed(
    macos: ModuleType, app: Path, tmp_path: Path
) -> None:
    staging = macos.stage_dmg_folder(app, tmp_path / "staging")
    dmg = tmp_path / "out.dmg"
    verify, create, sign = macos.dmg_commands(staging, dmg, "Halo", "Developer ID Application: X")
    assert verify == ["codesign", "--verify", "--deep", "--strict", str(staging / APP_NAME)]
    assert create[:2] == ["hdiutil", "create"]
    assert sign == [
        "codesign",
        "--force",
        "--timestamp",
        "--sign",
        "Developer ID Application: X",
        str(dmg),
    ]


def test_the_dmg_is_named_by_version_and_architecture(macos: ModuleType) -> None:
    assert macos.dmg_name("0.1.0", "arm64") == "Halo-Connection-Wizard-0.1.0-macos-arm64.dmg"
    assert macos.dmg_name("0.1.0", "x86_64") == "Halo-Connection-Wizard-0.1.0-macos-x86_64.dmg"


def test_the_entitlements_file_is_a_plist_of_hardened_runtime_exceptions(
    macos: ModuleType,
) -> None:
    entitlements = plistlib.loads(macos.ENTITLEMENTS.read_bytes())
    assert entitlements
    # Only true values: codesign's convention is to leave out an entitlement that is off.
    assert all(value is True for value in entitlements.values())
    assert set(entitlements) <= {
        "com.apple.security.cs.allow-jit",
        "com.apple.security.cs.allow-unsigned-executable-memory",
        "com.apple.security.cs.disable-library-validation",
    }
    # Each one kept is explained beside the constant that names the file.
    source = Path(macos.__file__).read_text(encoding="utf-8")
    for key in entitlements:
        assert f"# - {key}:" in source


def test_info_plist_names_the_app_and_round_trips(macos: ModuleType) -> None:
    keys = macos.info_plist("0.1.0", "13.0")
    for form in (plistlib.FMT_XML, plistlib.FMT_BINARY):
        assert plistlib.loads(plistlib.dumps(keys, fmt=form)) == keys
    assert keys["CFBundleName"] == keys["CFBundleDisplayName"] == "Halo Connection Wizard"
    assert keys["CFBundleIdentifier"] == macos.BUNDLE_ID == "com.haloconnectionwizard.wizard"
    assert keys["CFBundleShortVersionString"] == keys["CFBundleVersion"] == "0.1.0"
    assert keys["NSHighResolutionCapable"] is True
    assert keys["NSRequiresAquaSystemAppearance"] is False  # dark mode is followed
    assert keys["LSMinimumSystemVersion"] == "13.0"
    assert keys["LSApplicationCategoryType"] == "public.app-category.developer-tools"
    assert "Halo Connection Wizard" in keys["NSHumanReadableCopyright"]


def test_bundle_versions_are_numbers_only(macos: ModuleType) -> None:
    keys = macos.info_plist("1.2.0rc1", "13.0")
    assert keys["CFBundleShortVersionString"] == keys["CFBundleVersion"] == "1.2.0"


def test_the_minimum_macos_is_what_the_pyside6_wheel_was_built_for(
    macos: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Wheel:
        def read_text(self, name: str) -> str:
            assert name == "WHEEL"
            return "Wheel-Version: 1.0\nTag: cp39-abi3-macosx_12_0_universal2\n"

    monkeypatch.setattr(macos.importlib.metadata, "distribution", lambda name: Wheel())
    assert macos.minimum_macos() == "12.0"
    assert macos.info_plist("0.1.0")["LSMinimumSystemVersion"] == "12.0"


def test_off_macos_the_minimum_is_the_newest_pyside6_needs(
    macos: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Wheel:
        def read_text(self, name: str) -> str:
            return "Tag: cp310-abi3-manylinux_2_34_x86_64\n"

    monkeypatch.setattr(macos.importlib.metadata, "distribution", lambda name: Wheel())
    assert macos.minimum_macos() == macos.NEWEST_KNOWN_MINIMUM_MACOS == "13.0"


def test_both_platforms_name_the_product_alike(macos: ModuleType, windows: ModuleType) -> None:
    assert macos.DISPLAY_NAME == windows.DISPLAY_NAME == "Halo Connection Wizard"
    assert macos.PUBLISHER == windows.PUBLISHER == "Halo Connection Wizard"
    assert macos.COPYRIGHT == windows.COPYRIGHT
