"""The command line is a package with one module per command, and no module imports back up:
common.py imports no other module of the command line, and no command imports another
command or the package itself."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[1] / "wizard" / "cli"
SHARED = {"common", "saving", "tools", "signing"}


def cli_imports(path: Path) -> set[str]:
    """The modules of wizard.cli that `path` imports (anywhere in it, lazily too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "wizard.cli":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("wizard.cli."):
                found.add(node.module.removeprefix("wizard.cli."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("wizard.cli"):
                    found.add(alias.name.removeprefix("wizard.cli").lstrip(".") or "__init__")
    return found


def test_no_module_of_the_command_line_imports_back_up() -> None:
    modules = {path.stem: path for path in CLI.glob("*.py")}
    assert {"check", "diagnose", "profiles", "keygen", "recipes", "doctor"} <= set(modules)
    assert cli_imports(modules["common"]) == set()
    for name, path in modules.items():
        if name == "__init__":
            continue
        imported = cli_imports(path)
        assert "__init__" not in imported, name
        assert imported <= SHARED, f"{name} imports {imported - SHARED}"
        for shared in SHARED & {name}:
            assert imported <= {"common"}, f"{shared} imports {imported}"
