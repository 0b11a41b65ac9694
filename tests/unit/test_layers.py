"""The layers of docs/architecture.md, checked on the source: commands never import commands,
and nothing below the commands imports one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "oasis_action"
ALLOWED_TO_IMPORT_COMMANDS = {"main.py", "registry.py", "actionspec.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_dispatcher_imports_commands(path: Path) -> None:
    if path.name in ALLOWED_TO_IMPORT_COMMANDS and path.parent == PACKAGE:
        return
    commands = {m for m in imported_modules(path) if m.startswith("oasis_action.commands.")}
    assert not commands, f"{path.relative_to(PACKAGE)} imports {sorted(commands)}"


def test_the_check_sees_an_import(tmp_path: Path) -> None:
    planted = tmp_path / "x.py"
    planted.write_text("def f():\n    from oasis_action.commands.train import run\n")
    assert "oasis_action.commands.train" in imported_modules(planted)
