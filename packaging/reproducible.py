"""What makes two builds of one commit the same bytes, wherever they are built.

Used by build.py (the time of the commit, the archive, the comparison of two builds) and
by halo-wizard.spec (the files PyInstaller would otherwise copy with build-specific bytes).
The rest comes from PyInstaller itself, given a fixed PYTHONHASHSEED (its documented advice:
the hash seed decides the order of sets and so of base_library.zip and of compiled
constants) and SOURCE_DATE_EPOCH (the time it writes into Windows executables).

Only the standard library: the spec imports this module inside PyInstaller.
"""

from __future__ import annotations

import csv
import filecmp
import gzip
import io
import os
import shutil
import stat
import subprocess
import tarfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePath, PureWindowsPath

# When the commit's time cannot be had (no git, a source archive): 1980-01-01 00:00 UTC,
# the earliest time a zip file can record.
FALLBACK_EPOCH = 315532800
# What PyInstaller itself writes into base_library.zip; kept, whatever the commit's time.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Folders of the source tree that hold what a build or a tool made, not the source.
NOT_SOURCE = frozenset(
    {
        ".git",
        ".venv",
        "build",
        "dist",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
    }
)


def source_date_epoch(root: Path, environ: Mapping[str, str] = os.environ) -> int:
    """The time every build of this commit uses: SOURCE_DATE_EPOCH when it is set, else the
    time of the last commit, else FALLBACK_EPOCH."""
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return int(found) if found.isdigit() else FALLBACK_EPOCH


# --- What goes into the app ----------------------------------------------------------------


def _outside_the_package(path: str) -> bool:
    """A RECORD path that leaves site-packages (a script in bin/ or Scripts/) or is absolute."""
    posix = path.replace("\\", "/")
    return posix.startswith(("../", "/")) or bool(PureWindowsPath(path).drive)


def normalise_record(text: str) -> str:
    """A dist-info RECORD without the entries for files outside site-packages.

    Those are the console scripts pip wrote into the build environment: their first line
    names the environment's Python by its absolute path, so their hashes differ from one
    build folder to the next. The app carries none of them, and nothing in it reads them.
    Every other line is kept as it was.
    """
    kept = []
    for line in text.splitlines(keepends=True):
        fields = next(csv.reader([line]), [])
        if fields and _outside_the_package(fields[0]):
            continue
        kept.append(line)
    return "".join(kept)


def normalise_zip(path: Path) -> bool:
    """Rewrite the zip at `path` with its entries sorted by name and dated ZIP_TIME; the
    contents, compression and attributes stay. True when it changed."""
    original = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
        comment = source.comment
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w") as target:
        target.comment = comment
        for info, data in sorted(entries, key=lambda entry: entry[0].filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            fixed.create_system = info.create_system
            target.writestr(fixed, data)
    if rewritten.getvalue() == original:
        return False
    path.write_bytes(rewritten.getvalue())
    return True


def normalise_datas(
    datas: Iterable[tuple[str, str, str]], workdir: Path
) -> list[tuple[str, str, str]]:
    """PyInstaller's data entries (dest, source, kind), with base_library.zip normalised in
    place (PyInstaller made it in `workdir`) and each RECORD that names files outside its
    package replaced by a normalised copy in `workdir`.

    Done in the spec, before COLLECT and BUNDLE copy the files: on macOS, BUNDLE signs the
    app, and a file changed after that would break the signature.
    """
    result = []
    for dest, source, kind in datas:
        where = PurePath(dest)
        if kind == "DATA" and where.name == "RECORD" and where.parent.name.endswith(".dist-info"):
            text = Path(source).read_bytes().decode("utf-8")
            fixed = normalise_record(text)
            if fixed != text:
                copy = workdir / "normalised" / where
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(fixed.encode("utf-8"))
                source = str(copy)
        elif kind == "DATA" and str(where) == "base_library.zip":
            normalise_zip(Path(source))
        result.append((dest, source, kind))
    return result


def set_times(folder: Path, epoch: int) -> None:
    """Every file, link and folder under `folder` dated `epoch` (installers and disk images
    record the times of the files they hold)."""
    links_too = os.utime in os.supports_follow_symlinks
    for path in [*_tree(folder).values(), folder]:
        if path.is_symlink():
            if links_too:
                os.utime(path, (epoch, epoch), follow_symlinks=False)
        else:
            os.utime(path, (epoch, epoch))


def files_naming(folder: Path, needles: Iterable[str]) -> list[str]:
    """The files under `folder` whose bytes contain any of `needles` (say, the build folder's
    path), as paths relative to `folder`."""
    patterns = {form for needle in needles for form in _encodings(needle)}
    found = []
    for name, path in _tree(folder).items():
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(pattern in data for pattern in patterns):
                found.append(name)
    return sorted(found)


def _encodings(text: str) -> set[bytes]:
    # Windows binaries and resources hold paths as UTF-16 too.
    return {text.encode("utf-8"), text.encode("utf-16-le")}


# --- The archive ---------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, Path]:
    """Everything under `root` (not following linked folders), by its relative POSIX path."""
    found = {}
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted([*folders, *files]):
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path
    return found


def _tar_member(path: Path, name: str, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        info.type = tarfile.SYMTYPE
        info.linkname = os.readlink(path)
        info.mode = 0o777
    elif stat.S_ISDIR(status.st_mode):
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
    else:
        info.type = tarfile.REGTYPE
        info.size = status.st_size
        info.mode = 0o755 if status.st_mode & 0o111 else 0o644
    return info


def write_tarball(folder: Path, target: Path, mtime: int) -> None:
    """A .tar.gz of `folder` (named by its last part inside) that is the same bytes for the
    same files: entries sorted by name, each dated `mtime`, owned by no one, modes 755 or 644
    (the executable bit kept), symlinks kept as symlinks, and a gzip header with neither a
    file name nor a time."""
    entries = {folder.name: folder} | {
        f"{folder.name}/{name}": path for name, path in _tree(folder).items()
    }
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name in sorted(entries):
            info = _tar_member(entries[name], name, mtime)
            if info.isreg():
                with entries[name].open("rb") as content:
                    archive.addfile(info, content)
            else:
                archive.addfile(info)


# --- Comparing two builds ------------------------------------------------------------------


def _kind(path: Path) -> tuple[object, ...]:
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISDIR(status.st_mode):
        return ("folder",)
    return ("file", status.st_size, bool(status.st_mode & 0o111))


def differing_files(first: Path, second: Path) -> list[str]:
    """The relative paths that differ between two folders: there in one only, of another
    kind, a link to somewhere else, or a file with other bytes or another executable bit."""
    one, two = _tree(first), _tree(second)
    differ = []
    for name in sorted(one.keys() | two.keys()):
        if name not in one or name not in two:
            differ.append(name)
            continue
        kind = _kind(one[name])
        if kind != _kind(two[name]) or (
            kind[0] == "file" and not filecmp.cmp(one[name], two[name], shallow=False)
        ):
            differ.append(name)
    return differ


def file_count(folder: Path) -> int:
    """Files and links under `folder`."""
    return sum(1 for path in _tree(folder).values() if path.is_symlink() or path.is_file())


def _source_files(root: Path) -> Iterator[str]:
    """The source tree's files as git sees them (tracked, or new and not ignored), else every
    file outside the folders in NOT_SOURCE and outside __pycache__ and *.egg-info."""
    try:
        listed = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listed = b""
    if listed:
        yield from sorted({name for name in listed.decode("utf-8").split("\0") if name})
        return
    for name, path in _tree(root).items():
        parts = PurePath(name).parts
        if (
            parts[0] in NOT_SOURCE
            or "__pycache__" in parts
            or any(part.endswith(".egg-info") for part in parts)
        ):
            continue
        if path.is_symlink() or path.is_file():
            yield name


def copy_source(root: Path, target: Path) -> None:
    """A copy of the source tree at `target`, without what builds and tools made."""
    for name in _source_files(root):
        source = root / name
        if not (source.is_symlink() or source.exists()):
            continue  # deleted in the work tree, not yet in git
        copy = target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy, follow_symlinks=False)
