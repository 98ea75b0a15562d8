"""build.py and smoke.py: the parts that do not need a build (the archive, names, paths)."""

from __future__ import annotations

import stat
import tarfile
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import ROOT


def test_one_version_number_everywhere(build: ModuleType, smoke: ModuleType) -> None:
    """wizard/__init__.py's __version__ is the one number: the installed metadata (which
    pyproject.toml reads from it), the build (installer, .app and archive names) and the
    smoke test's expectation all say it."""
    import wizard

    with (ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert build.version() == smoke.version() == wizard.__version__
    assert metadata.version("halo-wizard") == wizard.__version__


def test_the_linux_archive_keeps_symlinks_and_the_executable_bit(
    build: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "halo-wizard"
    (folder / "_internal" / "lib").mkdir(parents=True)
    program = folder / "halo-wizard"
    program.write_bytes(b"\x7fELF")
    program.chmod(0o755)
    (folder / "_internal" / "lib" / "libQt6Core.so.6").write_bytes(b"library")
    (folder / "_internal" / "libQt6Core.so.6").symlink_to("lib/libQt6Core.so.6")
    archive = build.make_tarball(folder, tmp_path / "app.tar.gz")
    assert not list(tmp_path.glob("*.partial")), "only the finished archive is left"
    with tarfile.open(archive) as opened:
        members = {m.name: m for m in opened.getmembers()}
    link = members["halo-wizard/_internal/libQt6Core.so.6"]
    assert link.issym() and link.linkname == "lib/libQt6Core.so.6"
    assert members["halo-wizard/halo-wizard"].mode & stat.S_IXUSR
    assert members["halo-wizard/_internal/lib/libQt6Core.so.6"].isfile()


def test_the_smoke_test_finds_the_command_line_in_each_kind_of_build(
    smoke: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "halo-wizard"
    folder.mkdir()
    name = "halo-wizard-cli.exe" if smoke.sys.platform == "win32" else "halo-wizard"
    (folder / name).write_text("")
    assert smoke.find_executable(folder) == (folder / name).resolve()
    bundle = tmp_path / "Halo Connection Wizard.app"
    inside = bundle / "Contents" / "MacOS" / "halo-wizard"
    inside.parent.mkdir(parents=True)
    inside.write_text("")
    assert smoke.find_executable(bundle) == inside.resolve()
    assert smoke.app_folder(inside) == bundle
    with pytest.raises(SystemExit, match="build it first"):
        smoke.find_executable(tmp_path / "nothing-here")


def test_the_build_environment_lives_in_build_and_is_ignored_by_git(build: ModuleType) -> None:
    assert build.BUILD_ENV.is_relative_to(ROOT / "build")
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "build/" in ignored and "dist/" in ignored
