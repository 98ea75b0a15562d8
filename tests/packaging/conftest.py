"""Fixtures for packaging/'s modules, loaded by file path: packaging/ is no package on purpose.

A package called `packaging` would shadow the PyPI library of that name, so each module is
imported from its file under a name of its own (halo_packaging_NAME), as build.py does.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

# Set before anything makes a QApplication, so the icon tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_packaging_module(name: str) -> ModuleType:
    """packaging/NAME.py, imported as halo_packaging_NAME (once per test session)."""
    module_name = f"halo_packaging_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: dataclasses look their module up in sys.modules.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


@pytest.fixture(scope="session")
def icons() -> ModuleType:
    return load_packaging_module("icons")


@pytest.fixture(scope="session")
def windows() -> ModuleType:
    return load_packaging_module("windows")


@pytest.fixture(scope="session")
def macos() -> ModuleType:
    return load_packaging_module("macos")


@pytest.fixture(scope="session")
def build() -> ModuleType:
    return load_packaging_module("build")


@pytest.fixture(scope="session")
def smoke() -> ModuleType:
    return load_packaging_module("smoke")
