"""The bill of materials and the licences file the build writes into the app.

Wheels are made here, installed by the real pip (offline, from a folder) with its real
installation report, and the SBOM is made from that report and a real folder; on Linux with
dpkg, a real system library is looked up in the real package database.
"""

from __future__ import annotations

import base64
import ctypes.util
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import ROOT, load_packaging_module
from wizard.core import notices as shared

UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


@pytest.fixture(scope="session")
def sbom() -> ModuleType:
    return load_packaging_module("sbom")


@pytest.fixture(scope="session")
def bundle() -> ModuleType:
    return load_packaging_module("notices")


def make_wheel(folder: Path, name: str, version: str, metadata: str, files: dict[str, str]) -> Path:
    """A wheel pip accepts: METADATA, WHEEL, RECORD and `files` (path: text)."""
    stem = name.replace("-", "_")
    info = f"{stem}-{version}.dist-info"
    contents = dict(files)
    contents[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{metadata}"
    )
    contents[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: halo-wizard-tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    record = []
    for path, text in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    contents[f"{info}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{stem}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in sorted(contents.items()):
            archive.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), text)
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two wheels installed by pip into a folder, with pip's report of the installation."""
    base = tmp_path_factory.mktemp("wheels")
    wheels = base / "wheels"
    wheels.mkdir()
    modern = make_wheel(
        wheels,
        "halo-test-widget",
        "1.2.3",
        "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\n"
        "Requires-Dist: halo-test-legacy\n",
        {
            "halo_test_widget/__init__.py": "VALUE = 1\n",
            "halo_test_widget-1.2.3.dist-info/licenses/LICENSE": (
                "Copyright (c) 2024 Widget Makers\n\nPermission is hereby granted.\n"
            ),
        },
    )
    legacy = make_wheel(
        wheels,
        "halo-test-legacy",
        "0.9",
        "License: Apache 2.0\nClassifier: License :: OSI Approved :: Apache Software License\n",
        {
            "halo_test_legacy.py": "VALUE = 2\n",
            "halo_test_legacy-0.9.dist-info/LICENSE": "Copyright 2019 Legacy Ltd\n",
        },
    )
    target = base / "site"
    report = base / "install-report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            str(wheels),
            "--target",
            str(target),
            "--report",
            str(report),
            "halo-test-widget",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    distributions = {
        shared.canonical(d.metadata["Name"]): d
        for d in importlib.metadata.distributions(path=[str(target)])
    }
    return {
        "report": report,
        "site": target,
        "distributions": distributions,
        "sha256": {
            "halo-test-widget": hashlib.sha256(modern.read_bytes()).hexdigest(),
            "halo-test-legacy": hashlib.sha256(legacy.read_bytes()).hexdigest(),
        },
    }


def bundled(installed: dict[str, object]) -> list[tuple[str, str, str]]:
    distributions = installed["distributions"]
    assert isinstance(distributions, dict)
    return [
        (d.metadata["Name"], d.version, shared.licence_of(d))
        for _, d in sorted(distributions.items())
    ]


def system_library() -> Path | None:
    """A real shared library of this system that a Debian package installed (zlib's)."""
    if shutil.which("dpkg-query") is None or shutil.which("ldconfig") is None:
        return None
    name = ctypes.util.find_library("z")
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        if name and line.strip().startswith(f"{name} ") and "=>" in line:
            candidate = Path(line.split("=>", 1)[1].strip())
            if candidate.is_file():
                return candidate
    return None


def make_app(tmp_path: Path, installed: dict[str, object]) -> Path:
    """An app folder as PyInstaller lays it out: the wheel's files and a system library."""
    app = tmp_path / "halo-wizard"
    internal = app / "_internal"
    site = installed["site"]
    assert isinstance(site, Path)
    shutil.copytree(site / "halo_test_widget", internal / "halo_test_widget")
    library = system_library()
    if library is not None:
        shutil.copyfile(library, internal / library.name)
    (internal / "libunknown-origin.so.7").write_bytes(b"\x7fELF not from any package")
    return app


def sbom_of(sbom: ModuleType, app: Path, installed: dict[str, object], epoch: int) -> bytes:
    files = {p.relative_to(app / "_internal").as_posix(): p for p in app.rglob("*")}
    from_wheels = {"halo_test_widget/__init__.py"}
    libraries = sbom.system_libraries(sbom.shared_libraries(files, from_wheels, app), app)
    document = sbom.make_sbom(
        version="0.1.0",
        distributions=bundled(installed),
        wheels=sbom.read_install_report(installed["report"]),
        libraries=libraries,
        epoch=epoch,
    )
    return bytes(sbom.sbom_bytes(document))


def test_the_sbom_names_each_wheel_with_the_hash_pip_installed(
    sbom: ModuleType, installed: dict[str, object], tmp_path: Path
) -> None:
    app = make_app(tmp_path, installed)
    document = json.loads(sbom_of(sbom, app, installed, epoch=1_700_000_000))
    assert document["bomFormat"] == "CycloneDX"
    assert document["specVersion"] in ("1.5", "1.6")
    assert UUID_URN.match(document["serialNumber"])
    assert document["version"] == 1
    assert document["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
    assert document["metadata"]["component"]["name"] == "halo-wizard"
    by_name = {c["name"]: c for c in document["components"]}
    hashes = installed["sha256"]
    assert isinstance(hashes, dict)
    for name, sha256 in hashes.items():
        component = by_name[name]
        assert component["hashes"] == [{"alg": "SHA-256", "content": sha256}]
        assert component["purl"].startswith(f"pkg:pypi/{name}@")
    assert by_name["halo-test-widget"]["version"] == "1.2.3"
    assert by_name["halo-test-widget"]["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    # "Apache 2.0" is no SPDX id: it stays a name, as the metadata gives it.
    assert by_name["halo-test-legacy"]["licenses"] == [{"license": {"name": "Apache 2.0"}}]
    refs = [c["bom-ref"] for c in document["components"]]
    assert len(refs) == len(set(refs))
    assert sorted(document["dependencies"][0]["dependsOn"]) == sorted(refs)
    unknown = by_name["_internal/libunknown-origin.so.7"]
    assert unknown["type"] == "file"
    assert (
        unknown["hashes"][0]["content"]
        == hashlib.sha256((app / "_internal/libunknown-origin.so.7").read_bytes()).hexdigest()
    )


def test_a_system_library_is_named_with_its_debian_package(
    sbom: ModuleType, installed: dict[str, object], tmp_path: Path
) -> None:
    library = system_library()
    if library is None:
        pytest.skip("no dpkg here, or no zlib")
    owner = subprocess.run(
        ["dpkg-query", "-S", str(library)], capture_output=True, text=True
    ).stdout
    qualified = owner.split(": ")[0].split(",")[0].strip()  # "zlib1g:amd64"
    package = qualified.split(":")[0]
    version = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", qualified], capture_output=True, text=True
    ).stdout
    app = make_app(tmp_path, installed)
    document = json.loads(sbom_of(sbom, app, installed, epoch=0))
    debs = [c for c in document["components"] if str(c.get("purl", "")).startswith("pkg:deb/")]
    named = [c for c in debs if c["name"] == package]
    assert len(named) == 1, debs
    assert named[0]["version"] == version
    assert {"name": "halo-wizard:file", "value": f"_internal/{library.name}"} in named[0][
        "properties"
    ]


def test_two_runs_give_the_same_bytes_and_no_build_path(
    sbom: ModuleType, installed: dict[str, object], tmp_path: Path
) -> None:
    first = sbom_of(sbom, make_app(tmp_path / "one", installed), installed, epoch=5)
    second = sbom_of(sbom, make_app(tmp_path / "two", installed), installed, epoch=5)
    assert first == second
    assert str(tmp_path).encode() not in first
    assert str(ROOT).encode() not in first
    later = sbom_of(sbom, make_app(tmp_path / "three", installed), installed, epoch=6)
    assert json.loads(later)["serialNumber"] != json.loads(first)["serialNumber"]


def test_the_time_comes_from_source_date_epoch_else_the_commit(
    sbom: ModuleType, tmp_path: Path
) -> None:
    assert sbom.source_date_epoch(ROOT, {"SOURCE_DATE_EPOCH": "1234"}) == 1234
    committed = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True
    ).stdout.strip()
    assert sbom.source_date_epoch(ROOT, {}) == (int(committed) if committed.isdigit() else 0)
    assert sbom.source_date_epoch(tmp_path, {}) == 0  # not a checkout


def test_a_missing_report_or_wheel_stops_the_build(
    sbom: ModuleType, installed: dict[str, object], tmp_path: Path
) -> None:
    with pytest.raises(sbom.SbomError, match=r"install-report\.json"):
        sbom.read_install_report(tmp_path / "install-report.json")
    wheels = sbom.read_install_report(installed["report"])
    with pytest.raises(sbom.SbomError, match=r"halo-test-widget 9\.9"):
        sbom.make_sbom(
            version="0.1.0",
            distributions=[("halo-test-widget", "9.9", "MIT")],
            wheels=wheels,
            libraries=[],
            epoch=0,
        )


def test_the_sbom_and_the_sums_go_beside_the_archive(sbom: ModuleType, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    archive = dist / "halo-wizard-0.1.0-linux-x86_64.tar.gz"
    archive.write_bytes(b"an archive")
    inside = tmp_path / "halo-wizard.cdx.json"
    inside.write_bytes(b'{"bomFormat": "CycloneDX"}\n')
    produced = sbom.release_files(inside, [archive], dist)
    beside = dist / "halo-wizard-0.1.0-linux-x86_64.cdx.json"
    assert produced == [archive, beside, dist / "SHA256SUMS"]
    assert beside.read_bytes() == inside.read_bytes()
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted([archive.name, beside.name])
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--check", "SHA256SUMS"], cwd=dist, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    archive.write_bytes(b"changed")
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--check", "SHA256SUMS"], cwd=dist, capture_output=True, text=True
        )
        assert check.returncode != 0


def test_the_bundled_files_name_the_distributions_that_installed_them(
    bundle: ModuleType, tmp_path: Path
) -> None:
    """The real RECORDs of this environment: PyJWT's module and PySide6's library are found,
    a file no wheel installed is not, and the program itself is never listed."""
    jwt = importlib.metadata.distribution("PyJWT")
    pyside = importlib.metadata.distribution("PySide6_Essentials")
    pyside_file = next(p.as_posix() for p in pyside.files or [] if p.name.endswith(".so.6"))
    app = tmp_path / "halo-wizard"
    for relative in (pyside_file, "libnot-from-a-wheel.so.1"):
        (app / "_internal" / relative).parent.mkdir(parents=True, exist_ok=True)
        (app / "_internal" / relative).write_bytes(b"")
    where = bundle.layout(app)
    files = bundle.bundled_files(where)
    paths = set(files) | bundle.module_paths(["jwt.api_jwt", "wizard.cli"])
    found = bundle.bundled_distributions(paths, bundle.installed_files())
    names = [d.metadata["Name"] for d in found]
    assert names == sorted([jwt.metadata["Name"], pyside.metadata["Name"]], key=str.lower)


def test_the_licences_file_in_the_app_is_the_same_twice(bundle: ModuleType, tmp_path: Path) -> None:
    distributions = [importlib.metadata.distribution(n) for n in ("PySide6_Essentials", "PyJWT")]
    written = []
    for run in ("one", "two"):
        where = bundle.layout(tmp_path / run / "halo-wizard")
        written.append(bundle.write_notices(where, distributions, [], "0.1.0").read_bytes())
    assert written[0] == written[1]
    text = written[0].decode("utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert f"PyJWT {importlib.metadata.version('PyJWT')}" in text
    assert str(tmp_path) not in text and sys.prefix not in text
    assert b"\r\n" not in written[0]
    assert os.path.basename(str(where.licences)) == "licences"
