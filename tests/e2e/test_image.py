"""The real image, built and run exactly as the runner does (../shared/spec/runner.md)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.repos import BROKEN_REPO, make_repo
from tests.support.runner import RUNNER_UID, RunnerSandbox, Step, run_docker

pytestmark = pytest.mark.docker
ROOT_ACTION = PROJECT_ROOT / "action.yml"


def test_doctor_in_the_image_annotates_and_sets_outputs(oasis_image: str, tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(sandbox.workspace, BROKEN_REPO)
    step = Step(
        ROOT_ACTION,
        {"command": "doctor", "output": "reports/doctor.json"},
        event=load_event("push", "event.1"),
        step_env={"GITHUB_TOKEN": "ghs_fromstepenv0000000000"},
    )
    result = run_docker(step, sandbox, oasis_image)
    assert result.returncode == 1, result.log
    errors = {(a["file"], a["line"]) for a in result.annotations if a["command"] == "error"}
    assert errors == {("pkg/bad.py", "4"), ("config/settings.yml", "3")}
    assert result.outputs["errors"] == "2"
    assert result.outputs["action-taken"] == "none"
    assert json.loads(result.outputs["findings"])[0]["severity"] == "error"
    assert "| error | python-syntax | `pkg/bad.py` | 4 |" in result.summary
    assert step.token not in result.shown_log
    assert "ghs_fromstepenv" not in result.shown_log
    report = sandbox.workspace / "reports" / "doctor.json"
    assert (
        report.stat().st_uid == RUNNER_UID
    ), "files written into the workspace must stay the runner user's"
    assert report.parent.stat().st_uid == RUNNER_UID
    git_findings = [f for f in json.loads(report.read_text()) if f["check"] == "git"]
    assert not any(
        "dubious ownership" in f["message"] or "failed" in f["message"] for f in git_findings
    )


def test_bad_input_in_the_image_is_one_line_exit_2(oasis_image: str, tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    result = run_docker(
        Step(ROOT_ACTION, {"command": "doctor", "fail-on": "perhaps"}), sandbox, oasis_image
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "::error::input 'fail-on' must be one of error, warning, never, got 'perhaps'\n"
    )
    assert result.outputs["reason"].startswith("input 'fail-on'")


def test_image_runs_as_root_with_the_venv_entrypoint(oasis_image: str) -> None:
    inspect = subprocess.run(
        ["docker", "image", "inspect", oasis_image, "--format", "{{json .Config}}"],
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(inspect.stdout)
    assert config["Entrypoint"] == ["/opt/oasis/bin/python", "-I", "-B", "-u", "-m", "oasis_action"]
    assert config.get("User", "") in ("", "root"), "GitHub requires Docker actions to run as root"
    listing = subprocess.run(
        [
            "docker",
            "run",
            "--rm",
            "--entrypoint",
            "sh",
            oasis_image,
            "-c",
            "ls /src 2>&1; ls /opt/oasis/lib/python3*/site-packages | grep -c '^oasis_action$'; pip cache dir 2>&1; ls /root/.cache 2>&1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = listing.stdout.splitlines()
    assert "No such file" in lines[0], "the source tree must not stay in the image"
    assert lines[1] == "1", "the package is installed non-editable into the venv"


def test_git_trusts_only_the_workspace(oasis_image: str) -> None:
    """`safe.directory '*'` let a committed bare repository's `core.fsmonitor` run."""
    listed = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "git", oasis_image,
         "config", "--system", "--get-all", "safe.directory"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert listed.stdout.split() == ["/github/workspace"]
