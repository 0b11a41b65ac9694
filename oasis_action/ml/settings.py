"""Project settings for training: `[tool.oasis]` in the workspace's pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from oasis_action.errors import InputError

NON_PARAMS = frozenset({"data", "target", "models"})


def tool_settings(workspace: Path) -> dict[str, Any]:
    path = workspace / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"pyproject.toml is not valid TOML: {error}") from None
    settings = data.get("tool", {}).get("oasis", {})
    return {
        key: value
        for key, value in settings.items()
        if key not in NON_PARAMS and not isinstance(value, dict)
    }
