"""The table of commands: name -> module, imported lazily so each command loads only what it needs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class CommandInfo:
    """Where a command lives and the line `oasis --help` shows for it."""

    module: str
    summary: str


COMMANDS: dict[str, CommandInfo] = {
    "doctor": CommandInfo(
        "oasis_action.commands.doctor",
        "Diagnose the repository: Python syntax, YAML and workflows, GPU, dependencies, git.",
    ),
}


def load(name: str) -> ModuleType:
    """The module implementing `name` (it exposes OPTIONS, Config and run)."""
    return importlib.import_module(COMMANDS[name].module)
