"""Run the real CLI in-process, in a given folder, and capture what it prints."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path

from oasis_action.main import main


def oasis(
    workspace: Path, *argv: str, env: Mapping[str, str] | None = None
) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(workspace)
    try:
        code = main(list(argv), dict(env or {}), stdout, stderr)
    finally:
        os.chdir(here)
    return code, stdout.getvalue(), stderr.getvalue()
