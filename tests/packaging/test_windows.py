"""Windows packaging: the exe's version resource, finding Inno Setup, and the installer script."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ISS = Path(__file__).resolve().parents[2] / "packaging" / "halo-wizard.iss"
DEFINES = ("AppVersion", "NumericVersion", "SourceDir", "OutputDir", "IconFile")


def iss_sections() -> dict[str, list[str]]:
    """The script's lines by section, without blank lines and (outside [Code]) comments."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header[1]
            sections.setdefault(current, [])
        elif line and (current == "Code" or not line.startswith(";")):
            sections[current].append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"])


def evaluate_version_file(text: str) -> Any:
    """The version file's expression evaluated with stand-ins recording what each part holds."""

    def record(kind: str) -> Any:
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    code = compile(ast.parse(text, mode="eval"), "version-file", "eval")
    return eval(code, {"__builtins__": {}}, {name: record(name) for name in names})


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("2", (2, 0, 0, 0)),
        ("1.2.3.4", (1, 2, 3, 4)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
        ("1.3.0rc1", (1, 3, 0, 0)),
        ("1.3.0.dev4", (1, 3, 0, 0)),
    ],
)
def test_windows_gets_four_numbers_for_a_version(
    windows: ModuleType, version: str, numbers: tuple[int, ...]
) -> None:
    assert windows.numeric_version(version) == numbers


@pytest.mark.parametrize("version", ["", "v1.0", "next", "70000.1.0"])
def test_a_version_windows_cannot_hold_is_refused(windows: ModuleType, version: str) -> None:
    with pytest.raises(ValueError):
        windows.numeric_version(version)


def test_the_version_file_names_the_product_and_its_version(windows: ModuleType) -> None:
    info = evaluate_version_file(windows.version_file_text("0.1.0"))
    assert info["kind"] == "VSVersionInfo"
    assert info["ffi"]["filevers"] == (0, 1, 0, 0)
    assert info["ffi"]["prodvers"] == (0, 1, 0, 0)
    string_file_info, var_file_info = info["kids"]
    (table,) = string_file_info["args"][0]
    language, strings = table["args"]
    assert language == "040904B0"
    assert dict(struct["args"] for struct in strings) == {
        "CompanyName": "Halo Connection Wizard",
        "FileDescription": "Halo Connection Wizard",
        "FileVersion": "0.1.0",
        "InternalName": "halo-wizard",
        "LegalCopyright": "Copyright \N{COPYRIGHT SIGN} Halo Connection Wizard",
        "OriginalFilename": "halo-wizard.exe",
        "ProductName": "Halo Connection Wizard",
        "ProductVersion": "0.1.0",
    }
    # The translation matches the table's language (0x0409, US English) and code page (1200).
    assert var_file_info["args"][0][0]["args"] == ("Translation", [0x0409, 1200])


def test_the_command_line_exe_gets_its_own_names(windows: ModuleType) -> None:
    text = windows.version_file_text("0.1.0", "halo-wizard-cli", "Halo Connection Wizard (CLI)")
    strings = evaluate_version_file(text)["kids"][0]["args"][0][0]["args"][1]
    fields = dict(struct["args"] for struct in strings)
    assert fields["OriginalFilename"] == "halo-wizard-cli.exe"
    assert fields["InternalName"] == "halo-wizard-cli"
    assert fields["FileDescription"] == "Halo Connection Wizard (CLI)"
    assert fields["ProductName"] == "Halo Connection Wizard"


def test_the_version_file_is_plain_ascii(windows: ModuleType) -> None:
    # Whatever encoding PyInstaller reads it with, the copyright sign survives as an escape.
    windows.version_file_text("0.1.0").encode("ascii")


def test_pyinstaller_loads_the_version_file(
    windows: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compat = pytest.importorskip("PyInstaller.compat")
    pytest.importorskip("pefile")
    # Off Windows, PyInstaller has no win32api, which only its executable-editing functions
    # use; the text loader checked here does not.
    monkeypatch.setattr(compat, "win32api", getattr(compat, "win32api", None), raising=False)
    from PyInstaller.utils.win32 import versioninfo

    path = tmp_path / "version-info.txt"
    path.write_text(windows.version_file_text("1.2.3"), encoding="utf-8")
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == (0x10002, 0x30000)
    assert (info.ffi.productVersionMS, info.ffi.productVersionLS) == (0x10002, 0x30000)
    table = info.kids[0].kids[0]
    fields = {struct.name: struct.val for struct in table.kids}
    assert fields["FileDescription"] == "Halo Connection Wizard"
    assert fields["CompanyName"] == "Halo Connection Wizard"
    assert fields["OriginalFilename"] == "halo-wizard.exe"
    assert fields["LegalCopyright"] == "Copyright \N{COPYRIGHT SIGN} Halo Connection Wizard"
    assert info.toRaw()  # and it turns into a real resource


def fake_program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("")
    program.chmod(0o755)
    return program


def test_iscc_is_found_on_path_first(windows: ModuleType, tmp_path: Path) -> None:
    on_path = fake_program(tmp_path / "bin", "ISCC.exe" if sys.platform == "win32" else "ISCC")
    installed = fake_program(tmp_path / "x86" / "Inno Setup 6", "ISCC.exe")
    env = {"PATH": str(on_path.parent), "ProgramFiles(x86)": str(installed.parent.parent)}
    assert windows.find_iscc(env) == on_path


@pytest.mark.parametrize(
    ("variable", "folders"),
    [
        ("ProgramFiles(x86)", ("Inno Setup 6",)),
        ("ProgramFiles", ("Inno Setup 6",)),
        ("LOCALAPPDATA", ("Programs", "Inno Setup 6")),
    ],
)
def test_iscc_is_found_where_its_installers_put_it(
    windows: ModuleType, tmp_path: Path, variable: str, folders: tuple[str, ...]
) -> None:
    iscc = fake_program(tmp_path.joinpath(*folders), "ISCC.exe")
    env = {"PATH": str(tmp_path / "empty"), variable: str(tmp_path)}
    assert windows.find_iscc(env) == iscc


def test_no_iscc_anywhere_is_none(windows: ModuleType, tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "ProgramFiles(x86)": str(tmp_path), "LOCALAPPDATA": ""}
    assert windows.find_iscc(env) is None
    assert windows.find_iscc({}) is None


def test_the_compiler_gets_every_define_the_script_needs(
    windows: ModuleType, tmp_path: Path
) -> None:
    command = windows.installer_command(
        Path("C:/Inno/ISCC.exe"),
        ISS,
        "0.2.0rc1",
        tmp_path / "dist" / "halo-wizard",
        tmp_path / "dist",
        tmp_path / "icons" / "halo-wizard.ico",
    )
    assert command == [
        str(Path("C:/Inno/ISCC.exe")),
        "/Qp",
        "/DAppVersion=0.2.0rc1",
        "/DNumericVersion=0.2.0.0",
        f"/DSourceDir={tmp_path / 'dist' / 'halo-wizard'}",
        f"/DOutputDir={tmp_path / 'dist'}",
        f"/DIconFile={tmp_path / 'icons' / 'halo-wizard.ico'}",
        str(ISS),
    ]


def test_relative_paths_are_made_absolute_for_the_compiler(
    windows: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ISCC would take them relative to the script's folder, not to where the build runs.
    monkeypatch.chdir(tmp_path)
    command = windows.installer_command(
        Path("ISCC.exe"), ISS, "0.1.0", Path("dist/halo-wizard"), Path("dist"), Path("a.ico")
    )
    assert f"/DSourceDir={tmp_path / 'dist' / 'halo-wizard'}" in command
    assert f"/DIconFile={tmp_path / 'a.ico'}" in command


def fake_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist" / "halo-wizard"
    fake_program(dist, "halo-wizard.exe")
    fake_program(dist, "halo-wizard-cli.exe")
    return dist


def test_the_installer_is_compiled_into_the_output_folder(
    windows: ModuleType, tmp_path: Path
) -> None:
    dist = fake_dist(tmp_path)
    out = tmp_path / "out"
    ran: list[list[str]] = []

    def run(command: list[str], check: bool) -> None:
        assert check
        ran.append(command)
        (out / "halo-wizard-0.1.0-windows-x64-setup.exe").write_bytes(b"MZ")

    iscc = tmp_path / "ISCC.exe"
    installer = windows.build_installer(dist, "0.1.0", tmp_path / "i.ico", out, iscc=iscc, run=run)
    assert installer == out / "halo-wizard-0.1.0-windows-x64-setup.exe"
    assert ran == [windows.installer_command(iscc, ISS, "0.1.0", dist, out, tmp_path / "i.ico")]


def test_without_inno_setup_the_build_says_how_to_install_it(
    windows: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for variable in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        monkeypatch.delenv(variable, raising=False)

    def run(command: list[str], check: bool) -> None:
        raise AssertionError("nothing is run without ISCC")

    dist = fake_dist(tmp_path)
    assert windows.build_installer(dist, "0.1.0", tmp_path / "i.ico", tmp_path, run=run) is None
    printed = capsys.readouterr().out
    assert "winget install JRSoftware.InnoSetup" in printed
    assert "choco install innosetup" in printed


def test_a_missing_executable_stops_the_build_before_the_compiler(
    windows: ModuleType, tmp_path: Path
) -> None:
    dist = fake_dist(tmp_path)
    (dist / "halo-wizard-cli.exe").unlink()
    with pytest.raises(FileNotFoundError, match=r"halo-wizard-cli\.exe"):
        windows.build_installer(dist, "0.1.0", tmp_path / "i.ico", tmp_path, iscc=Path("ISCC"))


def test_the_installer_needs_no_administrator(windows: ModuleType) -> None:
    setup = setup_directives()
    assert setup["PrivilegesRequired"] == "lowest"
    # No dialog or command-line switch offering to install for all users instead.
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    # {autopf} is the user's own Programs folder in this mode.
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"


def test_the_installer_writes_nothing_outside_the_users_own_areas() -> None:
    text = ISS.read_text(encoding="utf-8")
    for machine_wide in (
        "{commonpf",
        "{pf",
        "{commondesktop}",
        "{commonprograms}",
        "{commonstartmenu}",
        "{commonappdata}",
        "{sys}",
        "{win}",
        "HKLM",
        "HKEY_LOCAL_MACHINE",
        "HKA",
    ):
        assert machine_wide not in text
    code = "\n".join(iss_sections()["Code"])
    assert set(re.findall(r"HKEY_\w+", code)) == {"HKEY_CURRENT_USER"}


def test_uninstall_and_upgrade_delete_nothing_outside_the_program_folder() -> None:
    sections = iss_sections()
    for section in ("InstallDelete", "UninstallDelete"):
        for entry in sections.get(section, []):
            name = re.search(r'Name:\s*"([^"]*)"', entry)
            assert name is not None and name[1].startswith("{app}\\"), entry
    # Nothing is run at uninstall time either (which could delete anything).
    assert "UninstallRun" not in sections
    # The admin's connection files, settings, logs and keychain entries are named as kept.
    comments = ISS.read_text(encoding="utf-8")
    assert "Credential Manager" in comments and "Documents" in comments


def test_every_define_is_required_and_used() -> None:
    text = ISS.read_text(encoding="utf-8")
    for define in DEFINES:
        assert f"#ifndef {define}" in text
        assert f"{{#{define}}}" in text


def test_the_installer_is_named_as_the_build_expects(windows: ModuleType) -> None:
    setup = setup_directives()
    name = setup["OutputBaseFilename"].replace("{#AppVersion}", "0.1.0") + ".exe"
    assert name == windows.installer_name("0.1.0") == "halo-wizard-0.1.0-windows-x64-setup.exe"
    assert setup["OutputDir"] == "{#OutputDir}"


def test_the_script_names_the_product_as_the_python_side_does(windows: ModuleType) -> None:
    text = ISS.read_text(encoding="utf-8")
    assert f'#define AppName "{windows.DISPLAY_NAME}"' in text
    assert f'#define AppPublisher "{windows.PUBLISHER}"' in text
    assert setup_directives()["AppId"] == "{{" + windows.APP_ID + "}"


def test_the_installer_is_64_bit_modern_and_compressed() -> None:
    setup = setup_directives()
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert setup["WizardStyle"] == "modern"
    assert setup["Compression"] == "lzma2"
    assert setup["SetupIconFile"] == "{#IconFile}"
    assert setup["UninstallDisplayIcon"] == r"{app}\{#AppExeName}"


def test_the_whole_program_folder_is_installed() -> None:
    (files,) = iss_sections()["Files"]
    assert files.startswith(r'Source: "{#SourceDir}\*"; DestDir: "{app}"')
    assert "recursesubdirs" in files and "createallsubdirs" in files


def test_shortcuts_open_the_window_and_extras_are_opt_in() -> None:
    sections = iss_sections()
    start_menu, desktop = sections["Icons"]
    assert start_menu.startswith(r'Name: "{autoprograms}\{#AppName}"')
    assert r'Filename: "{app}\{#AppExeName}"' in start_menu
    assert desktop.startswith(r'Name: "{autodesktop}\{#AppName}"')
    assert "Tasks: desktopicon" in desktop
    tasks = {re.search(r'Name: "(\w+)"', task)[1]: task for task in sections["Tasks"]}  # type: ignore[index]
    assert set(tasks) == {"desktopicon", "addtopath"}
    assert all("Flags: unchecked" in task for task in tasks.values())
    (launch,) = sections["Run"]
    assert r'Filename: "{app}\{#AppExeName}"' in launch
    assert "postinstall" in launch and "skipifsilent" in launch
    assert '#define AppExeName "halo-wizard.exe"' in ISS.read_text(encoding="utf-8")


def test_the_path_entry_is_added_for_the_user_and_removed_on_uninstall() -> None:
    code = "\n".join(iss_sections()["Code"])
    assert "WizardIsTaskSelected('addtopath')" in code
    assert "RemoveAppDirFromPath" in code.split("procedure CurUninstallStepChanged")[1]
    assert setup_directives()["ChangesEnvironment"] == "yes"
