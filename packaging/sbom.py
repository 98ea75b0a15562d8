"""The app's bill of materials (CycloneDX 1.5 JSON), its licences file, and dist/SHA256SUMS.

Run by build.py inside the build environment: `add_to_app` after PyInstaller (before the
app is signed and archived) writes `licences/THIRD-PARTY-NOTICES.txt` and
`licences/halo-wizard.cdx.json` into the app; `release_files` after the archive is made
copies the SBOM beside it in dist/ and writes dist/SHA256SUMS.

The SBOM lists every Python distribution the app bundled with its version, its licence as
the metadata gives it and the sha256 of the wheel pip installed (from pip's installation
report, build/venv/install-report.json), and on Linux every shared library in the app that
did not come from a wheel, with the Debian package and version it came from (dpkg).

It is written here rather than with cyclonedx-bom (cyclonedx-py): that tool knows neither
the installed wheels' hashes nor the system's libraries, and gives every run a random
serial number and the current time. Here the serial number is a uuid5 of the content and
the timestamp is SOURCE_DATE_EPOCH (else the commit's time, else 0), so two builds of the
same commit give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

from wizard.core import notices as shared

SPEC_VERSION = "1.5"
# uuid5 namespace of the SBOM's serial numbers (itself uuid5(NAMESPACE_DNS, "halo-wizard")).
SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "halo-wizard")
SUMS_FILE = "SHA256SUMS"
_SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")
_SPDX_LIKE = re.compile(r"^\(?[A-Za-z0-9.+-]+\)?( (OR|AND|WITH) \(?[A-Za-z0-9.+-]+\)?)*$")


class SbomError(Exception):
    """The SBOM cannot be written truthfully; the build stops with this message."""


@dataclass(frozen=True)
class Wheel:
    """A distribution pip installed into the build environment, from its report."""

    name: str
    version: str
    sha256: str
    file: str  # the wheel's file name (never its address)


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library the app carries that no wheel installed."""

    path: str  # relative to the app folder, "/"-separated
    sha256: str
    package: str | None = None  # Debian package, None when dpkg does not know the file
    version: str | None = None
    arch: str | None = None


@dataclass
class Debian:
    """A Debian package some of the app's libraries came from."""

    package: str
    version: str
    arch: str
    files: list[str] = field(default_factory=list)


# ----- pip's installation report -----


def read_install_report(path: Path) -> dict[str, Wheel]:
    """{canonical name: Wheel} from pip's `install --report` file."""
    if not path.is_file():
        raise SbomError(
            f"pip's installation report is missing: {path.name} in the build environment "
            "(build/venv). The build environment must be installed with "
            "`pip install --report build/venv/install-report.json ...` (ensure_build_env in "
            "packaging/build.py); remove build/venv and build again."
        )
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        items = report["install"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SbomError(f"{path.name} is not pip's installation report ({exc})") from None
    wheels: dict[str, Wheel] = {}
    for item in items:
        metadata = item.get("metadata", {})
        info = item.get("download_info", {})
        archive = info.get("archive_info")
        if not isinstance(archive, dict):
            continue  # a folder or a VCS checkout (the program itself): no wheel to hash
        sha256 = archive.get("hashes", {}).get("sha256")
        if not sha256 and str(archive.get("hash", "")).startswith("sha256="):
            sha256 = archive["hash"].removeprefix("sha256=")
        if not sha256:
            continue
        file = str(info.get("url", "")).rsplit("/", 1)[-1].split("#", 1)[0]
        name = str(metadata["name"])
        wheels[shared.canonical(name)] = Wheel(name, str(metadata["version"]), sha256, file)
    return wheels


# ----- the operating system's libraries (Linux) -----


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shared_libraries(files: Mapping[str, Path], from_wheels: set[str], app: Path) -> list[Path]:
    """The app's .so files (not links) that no wheel installed, in path order."""
    return sorted(
        path
        for relative, path in files.items()
        if relative not in from_wheels
        and _SHARED_LIBRARY.search(path.name)
        and path.is_file()
        and not path.is_symlink()
        and path.is_relative_to(app)
    )


def _run(*args: str) -> str | None:
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, encoding="utf-8", errors="replace"
        )
    except OSError:
        return None
    return done.stdout


def linker_paths() -> dict[str, Path]:
    """{library name: the file the dynamic linker loads for it}, from `ldconfig -p`."""
    import sysconfig

    triplet = str(sysconfig.get_config_var("MULTIARCH") or "")
    found: dict[str, Path] = {}
    for line in (_run("ldconfig", "-p") or _run("/sbin/ldconfig", "-p") or "").splitlines():
        if "=>" not in line:
            continue
        name = line.strip().split(" ", 1)[0]
        path = Path(line.split("=>", 1)[1].strip())
        # The build machine's own architecture first (a 32-bit copy may be listed too).
        if name not in found or (
            triplet and triplet in str(path) and triplet not in str(found[name])
        ):
            found[name] = path
    return found


def source_of(relative: str, linker: Mapping[str, Path]) -> Path | None:
    """The file a bundled library was copied from: Python's own extension modules and
    libpython from the Python running the build, anything else from the linker's cache."""
    import sysconfig

    name = relative.rsplit("/", 1)[-1]
    if "/lib-dynload/" in f"/{relative}":
        candidate = Path(sysconfig.get_paths()["platstdlib"]) / "lib-dynload" / name
        return candidate if candidate.is_file() else None
    if name.startswith("libpython"):
        candidate = Path(str(sysconfig.get_config_var("LIBDIR"))) / name
        return candidate if candidate.is_file() else None
    return linker.get(name)


def _usrmerge_twins(path: Path) -> list[str]:
    """/usr/lib/x and /lib/x are one file on merged systems; dpkg knows one of the names."""
    text = path.as_posix()
    if text.startswith("/usr/"):
        return [text, text.removeprefix("/usr")]
    return [text, "/usr" + text]


def dpkg_owners(sources: Mapping[str, Path]) -> dict[str, tuple[str, str | None]]:
    """{bundled path: (Debian package, architecture or None)} for the libraries whose source
    file a Debian package installed; {} where dpkg is missing (Windows, macOS, ...)."""
    if not sources or shutil.which("dpkg-query") is None:
        return {}
    wanted: dict[str, list[str]] = {}
    for relative, source in sources.items():
        for name in _usrmerge_twins(source):
            wanted.setdefault(name, []).append(relative)
    found = _run("dpkg-query", "-S", *sorted(wanted)) or ""
    owners: dict[str, tuple[str, str | None]] = {}
    for line in sorted(found.splitlines()):
        if line.startswith("diversion ") or ": " not in line:
            continue
        packages, path = line.split(": ", 1)
        package, _, arch = packages.split(", ")[0].strip().partition(":")
        for relative in wanted.get(path.strip(), []):
            owners.setdefault(relative, (package, arch or None))
    return owners


def dpkg_versions(packages: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str], str]:
    """{(package, architecture): version} from dpkg-query -W."""
    wanted = sorted({f"{p}:{a}" if a else p for p, a in packages})
    if not wanted:
        return {}
    out = _run("dpkg-query", "-W", "-f", "${Package}\t${Architecture}\t${Version}\n", *wanted)
    versions: dict[tuple[str, str], str] = {}
    for line in (out or "").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            versions[(parts[0], parts[1])] = parts[2]
    return versions


def system_libraries(paths: Sequence[Path], app: Path) -> list[SystemLibrary]:
    linker = linker_paths()
    relatives = {path: path.relative_to(app).as_posix() for path in paths}
    sources = {
        relative: source
        for path, relative in relatives.items()
        if (source := source_of(relative, linker)) is not None
    }
    owners = dpkg_owners(sources)
    versions = dpkg_versions(owners.values())
    libraries = []
    for path, relative in relatives.items():
        package, arch = owners.get(relative, (None, None))
        version = None
        if package is not None:
            matches = [
                (a, v) for (p, a), v in sorted(versions.items()) if p == package and a == arch
            ] or [(a, v) for (p, a), v in sorted(versions.items()) if p == package]
            if matches:
                arch, version = matches[0]
        libraries.append(SystemLibrary(relative, sha256_of(path), package, version, arch))
    return libraries


def debian_packages(libraries: Iterable[SystemLibrary]) -> list[Debian]:
    packages: dict[tuple[str, str, str], Debian] = {}
    for library in libraries:
        if library.package is None:
            continue
        key = (library.package, library.version or "", library.arch or "")
        packages.setdefault(key, Debian(*key)).files.append(library.path)
    return [packages[key] for key in sorted(packages)]


def debian_components(packages: Iterable[Debian]) -> list[shared.Component]:
    """The notices' part for each Debian package: its /usr/share/doc/PACKAGE/copyright."""
    components = []
    for package in packages:
        copyright_file = Path("/usr/share/doc") / package.package / "copyright"
        texts: tuple[tuple[str, str], ...] = ()
        note = "A library of the operating system the app was built on: " + ", ".join(package.files)
        if copyright_file.is_file():
            text = copyright_file.read_text(encoding="utf-8", errors="replace")
            texts = (("copyright (Debian)", shared._clean(text)),)
        components.append(
            shared.Component(
                package.package,
                package.version,
                "see its Debian copyright file below",
                texts,
                note,
                shared.copyright_lines(t for _, t in texts),
            )
        )
    return components


# ----- the SBOM -----


def source_date_epoch(root: Path, environ: Mapping[str, str] | None = None) -> int:
    """SOURCE_DATE_EPOCH, else the time of the checkout's last commit, else 0."""
    environ = os.environ if environ is None else environ
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    committed = (_run("git", "-C", str(root), "log", "-1", "--format=%ct") or "").strip()
    return int(committed) if committed.isdigit() else 0


def licence_entry(licence: str) -> dict[str, object]:
    """CycloneDX's licence choice: an SPDX expression when it reads as one, else a name."""
    if _SPDX_LIKE.match(licence):
        return {"expression": licence}
    return {"license": {"name": licence}}


def make_sbom(
    *,
    version: str,
    distributions: Sequence[tuple[str, str, str]],
    wheels: Mapping[str, Wheel],
    libraries: Sequence[SystemLibrary],
    epoch: int,
    distro: str = "debian",
) -> dict[str, object]:
    """The CycloneDX document. `distributions` are (name, version, licence) of each Python
    distribution bundled; each must be in `wheels` at the same version."""
    components: list[dict[str, object]] = []
    missing = []
    for name, dist_version, licence in distributions:
        wheel = wheels.get(shared.canonical(name))
        if wheel is None or wheel.version != dist_version:
            missing.append(f"{name} {dist_version}")
            continue
        purl = f"pkg:pypi/{shared.canonical(name)}@{dist_version}"
        component: dict[str, object] = {
            "type": "library",
            "bom-ref": purl,
            "name": name,
            "version": dist_version,
            "licenses": [licence_entry(licence)],
            "hashes": [{"alg": "SHA-256", "content": wheel.sha256}],
            "purl": purl,
        }
        if wheel.file:
            component["properties"] = [{"name": "halo-wizard:wheel", "value": wheel.file}]
        components.append(component)
    if missing:
        raise SbomError(
            "pip's installation report does not list the wheel of "
            + ", ".join(missing)
            + ": the build environment was changed after it was installed. Remove build/venv "
            "and build again."
        )
    for package in debian_packages(libraries):
        purl = f"pkg:deb/{distro}/{package.package}@{quote(package.version, safe='.+~_-')}"
        if package.arch:
            purl += f"?arch={package.arch}"
        components.append(
            {
                "type": "library",
                "bom-ref": purl,
                "name": package.package,
                "version": package.version,
                "purl": purl,
                "properties": [
                    {"name": "halo-wizard:file", "value": path} for path in sorted(package.files)
                ],
            }
        )
    for library in libraries:
        if library.package is not None:
            continue
        origin = (
            "Python's own library"
            if "lib-dynload" in library.path or Path(library.path).name.startswith("libpython")
            else "not from a Debian package"
        )
        components.append(
            {
                "type": "file",
                "bom-ref": f"file:{library.path}",
                "name": library.path,
                "hashes": [{"alg": "SHA-256", "content": library.sha256}],
                "properties": [{"name": "halo-wizard:origin", "value": origin}],
            }
        )
    components.sort(key=lambda c: (str(c["type"]), str(c["name"]).lower(), str(c["bom-ref"])))
    timestamp = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    application = {
        "type": "application",
        "bom-ref": f"{shared.PROJECT}@{version}",
        "name": shared.PROJECT,
        "version": version,
    }
    document: dict[str, object] = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": "",
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {
                "components": [{"type": "application", "name": "halo-wizard packaging/sbom.py"}]
            },
            "component": application,
        },
        "components": components,
        "dependencies": [
            {
                "ref": application["bom-ref"],
                "dependsOn": sorted(str(c["bom-ref"]) for c in components),
            }
        ],
    }
    content = json.dumps({k: v for k, v in document.items() if k != "serialNumber"}, sort_keys=True)
    document["serialNumber"] = f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, content)}"
    return document


def sbom_bytes(document: Mapping[str, object]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _distro() -> str:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return "debian"
    found = re.search(r"^ID=\"?([a-z0-9._-]+)", text, re.MULTILINE)
    return found.group(1) if found else "debian"


# ----- what build.py calls -----


def _notices_module() -> ModuleType:
    name = "halo_packaging_notices"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("notices.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def add_to_app(app: Path, report: Path, root: Path, version: str, epoch: int | None = None) -> Path:
    """Write the licences file and the SBOM into the built app; the SBOM's path. `epoch`:
    the time the build dates everything with (default: source_date_epoch).

    Stops the build with the reason when either cannot be written truthfully."""
    try:
        return _add_to_app(app, report, root, version, epoch)
    except (SbomError, shared.NoticesError) as exc:
        raise SystemExit(f"build: {exc}") from None


def _add_to_app(app: Path, report: Path, root: Path, version: str, epoch: int | None) -> Path:
    notices = _notices_module()
    wheels = read_install_report(report)
    where = notices.layout(app)
    distributions, from_wheels = notices.what_was_bundled(where)
    libraries: list[SystemLibrary] = []
    if sys.platform.startswith("linux"):
        files = notices.bundled_files(where)
        libraries = system_libraries(shared_libraries(files, from_wheels, app), app)
    notices.write_notices(
        where, distributions, debian_components(debian_packages(libraries)), version
    )
    document = make_sbom(
        version=version,
        distributions=[
            (d.metadata["Name"], d.version, shared.licence_of(d)) for d in distributions
        ],
        wheels=wheels,
        libraries=libraries,
        epoch=source_date_epoch(root) if epoch is None else epoch,
        distro=_distro(),
    )
    target = where.licences / shared.SBOM_FILE
    target.write_bytes(sbom_bytes(document))
    return target


def release_name(produced: Sequence[Path]) -> str:
    """The SBOM's name beside the release files: the archive's or installer's, .cdx.json."""
    for path in produced:
        name = path.name
        for suffix in (".tar.gz", "-setup.exe", ".dmg", ".zip"):
            if name.endswith(suffix):
                return name.removesuffix(suffix) + ".cdx.json"
    return shared.SBOM_FILE


def write_sums(files: Iterable[Path], target: Path) -> Path:
    """`sha256sum -c`'s format: one "HASH  NAME" line per file, by name."""
    lines = sorted(f"{sha256_of(path)}  {path.name}\n" for path in files)
    target.write_bytes("".join(sorted(lines, key=lambda line: line[66:])).encode("utf-8"))
    return target


def release_files(sbom: Path, produced: Sequence[Path], dist: Path) -> list[Path]:
    """The SBOM copied beside the release files in `dist`, and SHA256SUMS over them all."""
    beside = dist / release_name(produced)
    shutil.copyfile(sbom, beside)
    releases = [*produced, beside]
    sums = write_sums(releases, dist / SUMS_FILE)
    return [*releases, sums]
