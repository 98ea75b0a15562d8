"""What the frozen app really bundled, and the licences file written into it.

Run by build.py inside the build environment, after PyInstaller. The Python distributions
bundled are found from the app itself: every file in its folder and every module in its
executable's module archive is looked up in the installed distributions' RECORD files, so a
package the spec excluded is not named and one PyInstaller pulled in is. The text itself is
made by wizard/core/notices.py, the same code `halo-wizard licences` runs from a checkout.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from wizard.core import notices as shared

# The freezer's bootloader starts every executable of the app: it is bundled too.
BOOTLOADER = "pyinstaller"


@dataclass(frozen=True)
class Layout:
    """Where things are in the built app (the folder, or the macOS .app bundle)."""

    app: Path
    executable: Path
    # The folders that hold the bundled files (PyInstaller's _internal; on macOS the
    # bundle's Frameworks and Resources).
    contents: tuple[Path, ...]
    licences: Path


def layout(app: Path) -> Layout:
    if app.suffix == ".app":
        inside = app / "Contents"
        return Layout(
            app,
            inside / "MacOS" / "halo-wizard",
            (inside / "Frameworks", inside / "Resources"),
            inside / "Resources" / shared.LICENCES_FOLDER,
        )
    name = "halo-wizard-cli.exe" if sys.platform == "win32" else "halo-wizard"
    return Layout(app, app / name, (app / "_internal",), app / shared.LICENCES_FOLDER)


def bundled_files(where: Layout) -> dict[str, Path]:
    """Every file of the app under its content folders: {path as installed: the file}.

    The path is relative to its content folder, as a wheel's RECORD names it
    ("PySide6/Qt/lib/libQt6Core.so.6"); symbolic links are included (by their own name).
    """
    found: dict[str, Path] = {}
    for root in where.contents:
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            base = Path(folder)
            dirs.sort()
            for name in sorted(files) + [d for d in dirs if (base / d).is_symlink()]:
                path = base / name
                found.setdefault(path.relative_to(root).as_posix(), path)
    return found


def bundled_modules(executable: Path) -> list[str]:
    """The module names in the executable's module archive (PYZ)."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(executable)).open_embedded_archive("PYZ.pyz")
    return sorted(archive.toc)


def module_paths(modules: list[str]) -> set[str]:
    """Where each module's source would be in site-packages ("a/b.py", "a/b/__init__.py")."""
    paths: set[str] = set()
    for module in modules:
        stem = module.replace(".", "/")
        paths.update((f"{stem}.py", f"{stem}/__init__.py"))
    return paths


def installed_files() -> dict[str, importlib.metadata.Distribution]:
    """{path in site-packages: the distribution that installed it}, from RECORD files."""
    owners: dict[str, importlib.metadata.Distribution] = {}
    for distribution in importlib.metadata.distributions():
        for path in distribution.files or []:
            text = path.as_posix()
            if not text.startswith(".."):
                owners.setdefault(text, distribution)
    return owners


def bundled_distributions(
    paths: set[str], owners: dict[str, importlib.metadata.Distribution]
) -> list[importlib.metadata.Distribution]:
    """The distributions that installed at least one of `paths`, halo-wizard aside."""
    found: dict[str, importlib.metadata.Distribution] = {}
    for path in paths:
        owner = owners.get(path)
        if owner is None:
            continue
        name = shared.canonical(owner.metadata["Name"])
        if name != shared.PROJECT:
            found.setdefault(name, owner)
    return [found[name] for name in sorted(found)]


def what_was_bundled(where: Layout) -> tuple[list[importlib.metadata.Distribution], set[str]]:
    """(the distributions the app carries, the paths of its files that came from a wheel)."""
    owners = installed_files()
    files = bundled_files(where)
    paths = set(files) | module_paths(bundled_modules(where.executable))
    distributions = bundled_distributions(paths, owners)
    try:
        bootloader = importlib.metadata.distribution(BOOTLOADER)
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        if all(shared.canonical(d.metadata["Name"]) != BOOTLOADER for d in distributions):
            distributions.append(bootloader)
            distributions.sort(key=lambda d: shared.canonical(d.metadata["Name"]))
    from_wheels = {path for path in files if path in owners}
    return distributions, from_wheels


def write_notices(
    where: Layout,
    distributions: list[importlib.metadata.Distribution],
    system_libraries: list[shared.Component],
    version: str,
) -> Path:
    """The licences file inside the app, from the distributions found and the system's
    libraries (Linux). Written as bytes: the same on every system, "\\n" line ends."""
    components = [shared.component_of(d) for d in distributions]
    text = shared.render(components, version=version, system_libraries=system_libraries)
    where.licences.mkdir(parents=True, exist_ok=True)
    target = where.licences / shared.NOTICES_FILE
    target.write_bytes(text.encode("utf-8"))
    return target
