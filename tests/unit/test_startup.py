"""A non-ML action must start fast: the heavy libraries stay out of the process."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "lightgbm", "sklearn", "numpy", "github", "scipy")


def test_entrypoint_and_non_ml_command_leave_heavy_libraries_out() -> None:
    probe = (
        "import sys, json\n"
        "import oasis_action.__main__, oasis_action.main, oasis_action.commands.doctor\n"
        "from oasis_action.main import main\n"
        "main(['doctor', '--help']) if False else None\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(loaded.stdout) == []


def test_running_doctor_help_imports_nothing_heavy() -> None:
    probe = (
        "import sys, json, io, contextlib\n"
        "from oasis_action.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['doctor', '--help'], {})\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(loaded.stdout) == []
