"""Windows packaging: the executables' version resource and the per-user Inno Setup installer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

DISPLAY_NAME = "Halo Connection Wizard"
PUBLISHER = "Halo Connection Wizard"
COPYRIGHT = f"Copyright \N{COPYRIGHT SIGN} {PUBLISHER}"
EXECUTABLE = "halo-wizard"
CLI_EXECUTABLE = "halo-wizard-cli"
# The installer's AppId, also written in halo-wizard.iss: Windows recognises an installed copy
# by it, so it never changes.
APP_ID = "7AEEEC39-158A-4F5C-BC96-3F4557A755D5"
ISS = Path(__file__).resolve().parent / "halo-wizard.iss"

INSTALL_ISCC = (
    "Inno Setup 6 is not installed, so no Windows installer was made (the program folder in\n"
    "dist/ is complete and runs as it is). To make the installer, install Inno Setup 6.3 or\n"
    "later with one of:\n"
    "    winget install JRSoftware.InnoSetup\n"
    "    choco install innosetup\n"
    "and run the build again."
)

# US English, Unicode: the language and code page of the one StringTable, named alike below.
_LANGUAGE = 0x0409
_CODEPAGE = 1200


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps for a version: "0.1.0" -> (0, 1, 0, 0).

    A pre-release suffix ("1.2.0rc1") is dropped; Windows' fields cannot hold it.
    """
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    if match is None:
        raise ValueError(f"{version!r} does not start with a version number such as 0.1.0")
    numbers = [int(part) for part in match.group().split(".")][:4]
    if any(number > 0xFFFF for number in numbers):
        raise ValueError(f"{version!r}: each part of a Windows version is at most 65535")
    a, b, c, d = (*numbers, 0, 0, 0, 0)[:4]
    return (a, b, c, d)


def version_file_text(
    version: str, executable: str = EXECUTABLE, description: str = DISPLAY_NAME
) -> str:
    """The version information of `executable`.exe, as PyInstaller's EXE(version=FILE) reads it.

    The text is the Python expression that PyInstaller evaluates
    (PyInstaller.utils.win32.versioninfo.load_version_info_from_text_file), the same form that
    pyi-grab_version writes. FileDescription is what Task Manager and the file's properties show.
    """
    numbers = numeric_version(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": executable,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{executable}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": version,
    }
    # ascii() rather than repr() (!a): escapes such as \xa9 read back the same whatever
    # encoding PyInstaller decodes the file with.
    string_structs = ",\n".join(
        f"            StringStruct({key!a}, {value!a})" for key, value in strings.items()
    )
    return f"""\
# Version information for {executable}.exe, read by PyInstaller's EXE(version=...).
# Written by packaging/windows.py; edit that, not this file.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo(
      [
        StringTable(
          '{_LANGUAGE:04X}{_CODEPAGE:04X}',
          [
{string_structs},
          ],
        )
      ]
    ),
    VarFileInfo([VarStruct('Translation', [{_LANGUAGE}, {_CODEPAGE}])]),
  ],
)
"""


def installer_name(version: str) -> str:
    return f"{EXECUTABLE}-{version}-windows-x64-setup.exe"


def find_iscc(env: Mapping[str, str] | None = None) -> Path | None:
    """Inno Setup's command-line compiler: on PATH, else where its installers put it."""
    env = os.environ if env is None else env
    search_path = env.get("PATH")
    on_path = shutil.which("ISCC", path=search_path) if search_path else None
    if on_path:
        return Path(on_path)
    # The machine-wide installer (and choco) use Program Files (x86): Inno Setup 6 is a 32-bit
    # program. winget and the installer run without administrator rights use the user's folder.
    for variable, *folders in (
        ("ProgramFiles(x86)", "Inno Setup 6"),
        ("ProgramFiles", "Inno Setup 6"),
        ("LOCALAPPDATA", "Programs", "Inno Setup 6"),
    ):
        base = env.get(variable)
        if base:
            candidate = Path(base, *folders, "ISCC.exe")
            if candidate.is_file():
                return candidate
    return None


def installer_command(
    iscc: Path, iss: Path, version: str, source_dir: Path, output_dir: Path, icon: Path
) -> list[str]:
    """The ISCC command line that compiles `iss` into the installer of `source_dir`."""
    # ISCC takes relative paths relative to the script, not to the current folder.
    return [
        str(iscc),
        "/Qp",
        f"/DAppVersion={version}",
        "/DNumericVersion=" + ".".join(str(number) for number in numeric_version(version)),
        f"/DSourceDir={source_dir.resolve()}",
        f"/DOutputDir={output_dir.resolve()}",
        f"/DIconFile={icon.resolve()}",
        str(iss.resolve()),
    ]


def build_installer(
    dist_dir: Path,
    version: str,
    icon: Path,
    out_dir: Path,
    *,
    iscc: Path | None = None,
    run: Callable[..., Any] = subprocess.run,
) -> Path | None:
    """Compile the installer of the PyInstaller folder `dist_dir` into `out_dir`.

    Returns halo-wizard-<version>-windows-x64-setup.exe, or None (after saying how to install
    it) when Inno Setup is not installed.
    """
    for name in (EXECUTABLE, CLI_EXECUTABLE):
        if not (dist_dir / f"{name}.exe").is_file():
            raise FileNotFoundError(f"{dist_dir} has no {name}.exe: build the program first")
    iscc = iscc or find_iscc()
    if iscc is None:
        print(INSTALL_ISCC)
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    run(installer_command(iscc, ISS, version, dist_dir, out_dir, icon), check=True)
    installer = out_dir / installer_name(version)
    if not installer.is_file():
        raise RuntimeError(f"ISCC finished but {installer} is not there")
    return installer
