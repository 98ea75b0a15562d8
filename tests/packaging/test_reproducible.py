"""packaging/reproducible.py and build.py's archive: two builds of one commit, same bytes."""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import load_packaging_module

EPOCH = 1_700_000_000


@pytest.fixture(scope="module")
def reproducible() -> ModuleType:
    return load_packaging_module("reproducible")


def make_app(folder: Path, mtime: int, data_mode: int = 0o644) -> Path:
    """A small app folder like PyInstaller's: an executable, a library, a link, data."""
    (folder / "_internal" / "lib").mkdir(parents=True)
    program = folder / "halo-wizard"
    program.write_bytes(b"\x7fELF program")
    program.chmod(0o755)
    (folder / "_internal" / "lib" / "libQt6Core.so.6").write_bytes(b"library")
    (folder / "_internal" / "libQt6Core.so.6").symlink_to("lib/libQt6Core.so.6")
    data = folder / "_internal" / "base_library.zip"
    data.write_bytes(b"data")
    data.chmod(data_mode)
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (mtime, mtime), follow_symlinks=False)
    return folder


def test_two_archives_of_the_same_files_are_the_same_bytes(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two build folders in different places, files of different times and umasks.
    one = make_app(tmp_path / "a" / "halo-wizard", mtime=1_600_000_000, data_mode=0o644)
    two = make_app(tmp_path / "bb" / "halo-wizard", mtime=1_650_000_000, data_mode=0o600)
    first = build.make_tarball(one, tmp_path / "first.tar.gz", EPOCH)
    # Made later: neither the gzip header nor the entries may carry the time of making.
    monkeypatch.setattr("time.time", lambda: 2_000_000_000.0)
    second = build.make_tarball(two, tmp_path / "second.tar.gz", EPOCH)
    assert first.read_bytes() == second.read_bytes()

    header = first.read_bytes()[:10]
    assert header[3] == 0, "no file name (or other optional field) in the gzip header"
    assert header[4:8] == b"\0\0\0\0", "no time in the gzip header"

    with tarfile.open(first) as opened:
        members = opened.getmembers()
    names = [member.name for member in members]
    assert names == sorted(names) and names[0] == "halo-wizard"
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(EPOCH, 0, 0, "", "")}
    by_name = {member.name: member for member in members}
    link = by_name["halo-wizard/_internal/libQt6Core.so.6"]
    assert link.issym() and link.linkname == "lib/libQt6Core.so.6"
    assert by_name["halo-wizard/halo-wizard"].mode == 0o755
    assert by_name["halo-wizard/_internal/base_library.zip"].mode == 0o644
    assert by_name["halo-wizard/_internal"].isdir()


def test_the_archive_is_dated_by_the_commit_when_no_time_is_given(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    archive = build.make_tarball(make_app(tmp_path / "halo-wizard", 1), tmp_path / "a.tar.gz")
    with tarfile.open(archive) as opened:
        assert {member.mtime for member in opened.getmembers()} == {EPOCH}


def test_the_time_of_a_build_is_the_commits(
    reproducible: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert reproducible.source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "1234"}) == 1234
    # Not a git work tree, nothing given: a fixed time, not the time of building.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert reproducible.source_date_epoch(tmp_path, {}) == reproducible.FALLBACK_EPOCH


RECORD = (
    "../../../bin/keyring,sha256=a3lrAEaRAunkPdVmPrk28kaWyJI9rX0yv4BJ53zoWA0,181\n"
    "keyring-25.7.0.dist-info/INSTALLER,sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg,4\n"
    "keyring-25.7.0.dist-info/RECORD,,\n"
    '"keyring/odd,name.py",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n'
    "keyring/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n"
    "../../Scripts/keyring.exe,sha256=abc,1024\n"
    "/usr/bin/elsewhere,sha256=abc,1\n"
    "C:/Python/Scripts/elsewhere.exe,sha256=abc,1\n"
)


def test_a_record_keeps_only_its_packages_own_files(reproducible: ModuleType) -> None:
    kept = reproducible.normalise_record(RECORD).splitlines()
    assert kept == RECORD.splitlines()[1:5]
    assert reproducible.normalise_record("a/b.py,,\r\n") == "a/b.py,,\r\n", "line ends kept"


def test_the_apps_records_and_base_library_are_normalised_before_collect(
    reproducible: ModuleType, tmp_path: Path
) -> None:
    site = tmp_path / "venv" / "site-packages"
    record = site / "keyring-25.7.0.dist-info" / "RECORD"
    record.parent.mkdir(parents=True)
    record.write_text(RECORD)
    clean = site / "other-1.0.dist-info" / "RECORD"
    clean.parent.mkdir(parents=True)
    clean.write_text("other/__init__.py,,\n")
    work = tmp_path / "work"
    work.mkdir()
    library = work / "base_library.zip"
    with zipfile.ZipFile(library, "w") as made:
        for name in ("traceback.pyc", "abc.pyc"):
            made.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 6, 7, 8, 10)), name)
    datas = [
        ("keyring-25.7.0.dist-info/RECORD", str(record), "DATA"),
        ("other-1.0.dist-info/RECORD", str(clean), "DATA"),
        ("base_library.zip", str(library), "DATA"),
    ]
    result = reproducible.normalise_datas(datas, work)
    assert result[1:] == datas[1:], "what needs nothing is taken from where it was"
    dest, source, kind = result[0]
    assert (dest, kind) == datas[0][::2] and Path(source).is_relative_to(work)
    assert "../" not in Path(source).read_text()
    assert record.read_text() == RECORD, "the build environment itself is left alone"
    with zipfile.ZipFile(library) as opened:
        assert opened.namelist() == ["abc.pyc", "traceback.pyc"]
        assert {info.date_time for info in opened.infolist()} == {reproducible.ZIP_TIME}
        assert opened.read("traceback.pyc") == b"traceback.pyc"
    assert not reproducible.normalise_zip(library), "a normalised zip stays as it is"


def test_the_comparison_names_each_file_that_differs(
    reproducible: ModuleType, tmp_path: Path
) -> None:
    one = make_app(tmp_path / "one", 1)
    two = make_app(tmp_path / "two", 2)
    assert reproducible.differing_files(one, two) == []
    assert reproducible.file_count(one) == 4
    (two / "_internal" / "base_library.zip").write_bytes(b"datA")
    (two / "halo-wizard").chmod(0o644)
    (two / "_internal" / "extra.txt").write_text("only in two")
    link = two / "_internal" / "libQt6Core.so.6"
    link.unlink()
    link.symlink_to("elsewhere")
    assert reproducible.differing_files(one, two) == [
        "_internal/base_library.zip",
        "_internal/extra.txt",
        "_internal/libQt6Core.so.6",
        "halo-wizard",
    ]


def test_times_and_build_paths_in_the_app(reproducible: ModuleType, tmp_path: Path) -> None:
    app = make_app(tmp_path / "halo-wizard", 1)
    reproducible.set_times(app, EPOCH)
    assert {p.lstat().st_mtime for p in [app, *app.rglob("*")]} == {EPOCH}
    assert reproducible.files_naming(app, [str(tmp_path)]) == []
    (app / "_internal" / "lib" / "libQt6Core.so.6").write_bytes(f"x{tmp_path}/y".encode())
    (app / "halo-wizard").write_bytes(str(tmp_path).encode("utf-16-le"))
    assert reproducible.files_naming(app, [str(tmp_path)]) == [
        "_internal/lib/libQt6Core.so.6",
        "halo-wizard",
    ]
    assert stat.S_ISLNK((app / "_internal" / "libQt6Core.so.6").lstat().st_mode)


def test_the_copy_of_the_source_leaves_out_what_builds_made(
    reproducible: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    for name in ("pyproject.toml", "wizard/app.py", "build/venv/bin/python", "dist/x.tar.gz"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name)
    (source / "wizard" / "__pycache__").mkdir()
    (source / "wizard" / "__pycache__" / "app.cpython-311.pyc").write_text("")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # not a git work tree
    reproducible.copy_source(source, tmp_path / "copy")
    copied = sorted(
        p.relative_to(tmp_path / "copy").as_posix() for p in tmp_path.rglob("copy/**/*")
    )
    assert copied == ["pyproject.toml", "wizard", "wizard/app.py"]
