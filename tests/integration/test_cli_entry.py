"""The installed `oasis` console script."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


def test_console_script_help() -> None:
    oasis = shutil.which("oasis")
    if oasis is None:
        pytest.fail("the `oasis` console script is not installed: run pip install -e .")
    completed = subprocess.run([oasis, "--help"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert "doctor" in completed.stdout


def test_module_entry_bad_flag_value_is_one_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "oasis_action", "doctor", "--fail-on", "maybe"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 2
    assert (
        completed.stderr
        == "oasis: error: --fail-on must be one of error, warning, never, got 'maybe'\n"
    )
