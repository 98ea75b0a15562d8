"""The wheel carries the whole program: installed elsewhere, every module and resource is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from wizard.assets import APP_ICON, resource_names, resource_path

REPO = Path(__file__).resolve().parent.parent

LIST_INSTALLED = """
import json, pathlib, wizard
from wizard.assets import resource_names, resource_path, APP_ICON
# By file, not by import: the dependencies (Qt among them) are not installed here.
root = pathlib.Path(wizard.__file__).parent
modules = sorted(p.relative_to(root.parent).as_posix() for p in root.rglob("*.py"))
icon = resource_path(*APP_ICON)
print(json.dumps({
    "wizard": wizard.__file__,
    "modules": modules,
    "resources": resource_names(),
    "icon_bytes": len(icon.read_bytes()) if icon else None,
}))
"""


def source_resources() -> list[str]:
    root = REPO / "resources"
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    )


def source_modules() -> list[str]:
    names = []
    for path in (REPO / "wizard").rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":
            names.append(".".join(parts))
    names.append("wizard.resources")
    return sorted(set(names) - {"wizard"})


def test_a_checkout_finds_every_resource_and_the_app_icon() -> None:
    assert resource_names() == source_resources()
    assert "icons/halo-wizard.svg" in resource_names()
    icon = resource_path(*APP_ICON)
    assert icon is not None and icon.read_bytes().startswith(b"<svg")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        cwd=out,
        timeout=300,
    )
    (built,) = out.glob("halo_wizard-*.whl")
    return built


def test_the_wheel_holds_every_module_and_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in source_resources():
        assert f"wizard/resources/{resource}" in names
    for module in source_modules():
        path = module.replace(".", "/")
        assert f"{path}.py" in names or f"{path}/__init__.py" in names, module
    assert not any(n.startswith(("tests/", "packaging/", "bench/")) for n in names)


def test_installed_outside_the_checkout_it_finds_every_resource(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "fresh-env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The wheel alone (its dependencies are not needed to find files): pip from this
    # environment installs into the fresh one.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(python), "-I", "-c", LIST_INSTALLED],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(done.stdout)
    assert Path(found["wizard"]).is_relative_to(env_dir), found["wizard"]
    assert found["resources"] == source_resources()
    assert found["icon_bytes"] == len((REPO / "resources" / Path(*APP_ICON)).read_bytes())
    for module in source_modules():
        path = module.replace(".", "/")
        assert f"{path}.py" in found["modules"] or f"{path}/__init__.py" in found["modules"]
