"""triage, train-and-release and the healing gate in the real image."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from oasis_action.ml.data import bundled_dataset
from tests.e2e.conftest import GitHubService
from tests.e2e.test_guardians_image import guardian_step
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.repos import make_repo
from tests.support.runner import RunnerSandbox, Step, run_docker

pytestmark = pytest.mark.docker

NPM_LOG = (
    "$ npm ci\n"
    "npm error code ETARGET\n"
    "npm error notarget No matching version found for left-pad@^99.0.0.\n"
    "npm error notarget In most cases you or one of your dependencies are requesting\n"
    "npm error notarget a package version that doesn't exist.\n"
    "npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log\n"
    "ERROR: Job failed: exit code 1\n"
)


def test_triage_in_the_image_uses_the_packaged_model(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    github_service.control(
        "scenario",
        {"runs": [{"id": 4501, "sha": "5" * 40, "jobs": [["deps", "failure", NPM_LOG]]}]},
    )
    event = load_event("workflow_run", "completed.1")
    event["workflow_run"].update(id=4501)
    step = guardian_step(github_service, "triage", "workflow_run", event, {})
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert (result.outputs["category"], result.outputs["retryable"]) == ("dependency", "false")
    assert 0.5 <= float(result.outputs["confidence"]) <= 1.0
    assert github_service.control("state")["schema_errors"] == []


def test_train_in_the_image_writes_an_owned_model_with_plots(
    oasis_image: str, tmp_path: Path
) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(sandbox.workspace, {"data/train.csv": bundled_dataset().read_text()})
    step = Step(
        PROJECT_ROOT / "actions" / "train-and-release" / "action.yml",
        {"data": "data/train.csv", "release": "false"},
        event={},
        github={
            "GITHUB_REPOSITORY": "octo-org/octo-repo",
            "GITHUB_EVENT_NAME": "workflow_dispatch",
        },
    )
    result = run_docker(step, sandbox, oasis_image)
    assert result.returncode == 0, result.log
    assert (
        result.outputs["version"] == "0.1.0"
        and json.loads(result.outputs["metrics"])["auc"] >= 0.985
    )
    folder = sandbox.workspace / "models" / "versions" / "0.1.0"
    assert (folder / "roc.png").read_bytes().startswith(b"\x89PNG")
    owner = sandbox.workspace.stat().st_uid
    assert {os.stat(p).st_uid for p in folder.iterdir()} == {owner}


def test_auto_fix_strict_in_the_image_annotates_files(oasis_image: str, tmp_path: Path) -> None:
    sandbox = RunnerSandbox.create(tmp_path)
    make_repo(
        sandbox.workspace,
        {"app.py": "import sys\nimport os\nx=os.sep+sys.argv[0]\n", "ok.py": "VALUE = 1\n"},
    )
    step = Step(
        PROJECT_ROOT / "action.yml", {"command": "auto-fix-strict", "diff": "true"}, event={}
    )
    result = run_docker(step, sandbox, oasis_image)
    assert result.returncode == 1, result.log
    assert [(a["command"], a["file"]) for a in result.annotations] == [("error", "app.py")]
    assert json.loads(result.outputs["changed-files"]) == ["app.py"]
    assert (sandbox.workspace / "app.py").read_text().startswith("import sys\nimport os\n")


def test_auto_fix_pr_in_the_image_opens_then_updates_one_pr(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    import base64
    import subprocess

    workspace = make_repo(
        tmp_path / "workspace",
        {
            "app/main.py": "import sys\nimport os\ndef main( ):\n  return os.sep+sys.argv[0]\n",
            "conf.yml": "a: 1   \n",
        },
    )
    bundle = tmp_path / "repo.bundle"
    subprocess.run(
        ["git", "-C", str(workspace), "bundle", "create", str(bundle), "--all"],
        check=True,
        capture_output=True,
    )
    head = github_service.control(
        "git", {"bundle": base64.b64encode(bundle.read_bytes()).decode(), "branch": "master"}
    )["head"]
    assert (
        head
        == subprocess.run(
            ["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    )
    event = load_event("workflow_dispatch", "event.1")
    outcomes = []
    for attempt in ("a", "b"):
        step = guardian_step(
            github_service, "auto-fix-pr", "workflow_dispatch", event, {"base": "master"}
        )
        result = run_docker(
            step,
            RunnerSandbox.create(tmp_path / attempt, workspace),
            oasis_image,
            network=github_service.network,
        )
        assert result.returncode == 0, result.log
        outcomes.append((result.outputs["action-taken"], result.outputs["pull-number"]))
    (opened, number), (updated, same) = outcomes
    assert (opened, updated) == ("pr-opened", "pr-updated") and number == same
    state = github_service.control("state")
    assert state["pulls"][number] == {
        "merged": False,
        "state": "open",
        "head": "oasis/auto-fix",
        "base": "master",
    }
    assert "heads/oasis/auto-fix" in state["refs"]
    assert state["schema_errors"] == []
    assert (
        (workspace / "app/main.py").read_text().startswith("import sys\nimport os\n")
    ), "the checkout is not rewritten"


def test_nightly_heal_in_the_image_reports_one_health_issue(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    import base64
    import subprocess

    workspace = make_repo(tmp_path / "ws", {"lib.py": "x=1\n", "broken.yml": "a: [1\n"})
    bundle = tmp_path / "repo.bundle"
    subprocess.run(
        ["git", "-C", str(workspace), "bundle", "create", str(bundle), "--all"],
        check=True,
        capture_output=True,
    )
    github_service.control(
        "git", {"bundle": base64.b64encode(bundle.read_bytes()).decode(), "branch": "nightly-base"}
    )
    issues = []
    for attempt in ("a", "b"):
        step = guardian_step(
            github_service,
            "nightly-heal",
            "schedule",
            {"schedule": "23 3 * * *"},
            {"base": "nightly-base", "branch": "oasis/nightly"},
        )
        result = run_docker(
            step,
            RunnerSandbox.create(tmp_path / attempt, workspace),
            oasis_image,
            network=github_service.network,
        )
        assert result.returncode == 0, result.log
        issues.append(result.outputs["issue-number"])
        assert result.outputs["action-taken"] == "healed"
    assert issues[0] == issues[1] != ""
    findings = json.loads(result.outputs["findings"])
    assert any(f["file"] == "broken.yml" and f["severity"] == "error" for f in findings)
    assert github_service.control("state")["schema_errors"] == []
