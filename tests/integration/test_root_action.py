"""The root action, run as the runner runs it (subprocess mode of the harness)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.repos import BROKEN_REPO, make_repo
from tests.support.runner import RunnerSandbox, Step, run_local

ROOT_ACTION = PROJECT_ROOT / "action.yml"


def test_doctor_annotates_errors_with_repo_relative_paths(tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(sandbox.workspace, BROKEN_REPO)
    step = Step(ROOT_ACTION, {"command": "doctor"}, event=load_event("push", "event.1"))
    result = run_local(step, sandbox)
    assert result.returncode == 1, result.log
    errors = {(a["file"], a["line"]) for a in result.annotations if a["command"] == "error"}
    assert errors == {("pkg/bad.py", "4"), ("config/settings.yml", "3")}
    findings = json.loads(result.outputs["findings"])
    assert {f["file"] for f in findings if f["severity"] == "error"} == {
        "pkg/bad.py",
        "config/settings.yml",
    }
    assert result.outputs["errors"] == "2"
    assert result.outputs["action-taken"] == "none"
    assert result.outputs["api-calls"] == "0"
    assert "| error | python-syntax | `pkg/bad.py` | 4 |" in result.summary
    assert step.token not in result.shown_log
    assert result.stdout.startswith("::add-mask::")


def test_healthy_repo_passes(tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(sandbox.workspace, {"pkg/ok.py": "VALUE = 1\n", "conf.yml": "a: 1\n"})
    result = run_local(
        Step(ROOT_ACTION, {"command": "doctor", "checks": "python-syntax,yaml,git"}), sandbox
    )
    assert result.returncode == 0, result.log
    assert result.outputs["errors"] == "0"
    assert result.outputs["findings"] == "[]"
    assert "the repository is healthy" in result.summary


def test_bad_input_exits_2_with_one_line_naming_it(tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    result = run_local(Step(ROOT_ACTION, {"command": "doctor", "fail-on": "loudly"}), sandbox)
    assert result.returncode == 2
    assert (
        result.stderr
        == "::error::input 'fail-on' must be one of error, warning, never, got 'loudly'\n"
    )
    assert "Traceback" not in result.log


def test_missing_command_input(tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    result = run_local(Step(ROOT_ACTION, {}), sandbox)
    assert result.returncode == 2
    assert "no command given" in result.stderr


def test_doctor_on_oasis_itself_finds_no_errors() -> None:
    import io

    from oasis_action.main import main

    stdout = io.StringIO()
    code = main(
        ["doctor", str(PROJECT_ROOT), "--checks", "python-syntax,yaml", "--json"],
        {},
        stdout,
        io.StringIO(),
    )
    assert json.loads(stdout.getvalue()) == []
    assert code == 0
