"""Files the program reads at run time (icons, ...): one way to find them everywhere.

They live in the checkout's top-level resources/ folder, which is installed as the package
`wizard.resources` (see pyproject.toml), so importlib.resources finds them in an editable
install, an installed wheel and the frozen app alike. A checkout run without installing
anything (only `wizard/` on sys.path) falls back to the folder itself.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "wizard.resources"
APP_ICON = ("icons", "halo-wizard.svg")

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def _root() -> Traversable:
    try:
        return files(PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Traversable:
    """The resource at resources/PARTS (it may not exist; check is_file())."""
    found = _root()
    # One part at a time: Python 3.11's MultiplexedPath (the frozen app's resources, found
    # both in its archive and in its folder) joins only one.
    for part in parts:
        found = found.joinpath(part)
    return found


def resource_path(*parts: str) -> Path | None:
    """A real file for resources/PARTS, valid until the program ends; None when missing.

    Qt opens files by name and often lazily, so a resource inside an archive is copied
    out once and kept until exit.
    """
    found = resource(*parts)
    if not found.is_file():
        return None
    if isinstance(found, Path):
        return found
    return Path(_extracted.enter_context(as_file(found)))


def resource_names() -> list[str]:
    """Every resource file, as a '/'-separated path below resources/ (no Python files)."""
    names: list[str] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.endswith((".py", ".pyc")):
                names.append(prefix + entry.name)

    walk(_root(), "")
    return sorted(names)
