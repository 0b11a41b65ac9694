"""Every action writes every output it declares, truthfully, on every path: success, a spent
request budget, a 401 and a 5xx (the dispatcher writes them, not the command)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from oasis_action.github.client import connect
from oasis_action.github.transport import Policy
from oasis_action.ml.data import bundled_dataset
from tests.support.github.server import Fault, LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.repos import git, make_repo
from tests.support.runner import ActionResult, RunnerSandbox, Step, run_inprocess

SHA = "c" * 40
RESET = "2026-11-20T10:00:00.0000000Z curl: (56) Recv failure: Connection reset by peer\n"
NO_WAIT = functools.partial(connect, policy=Policy(sleep=lambda seconds: None))
"""The real port, without the real backoff (five 5xx answers would otherwise take seconds)."""


def failed_run_event() -> dict[str, Any]:
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"].update(id=50, run_attempt=1, conclusion="failure", head_sha=SHA)
    return payload


def ci_retry(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    gh.state.add_pull(3, SHA)
    gh.state.add_run(50, SHA, [("build", "failure", RESET)], pulls=(3,))
    return "workflow_run", failed_run_event(), {}


def triage(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    gh.state.add_run(50, SHA, [("build", "failure", RESET)])
    return "workflow_dispatch", {}, {"run-id": "50"}


def auto_merge(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    gh.state.add_pull(1, SHA)
    return "workflow_dispatch", {}, {"pull-number": "1"}


def auto_close(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    gh.state.add_pull(1, SHA)
    gh.state.add_run(901, SHA, [("unit", "failure", RESET)], pulls=(1,), attempt=3)
    return "workflow_dispatch", {}, {"pull-number": "1"}


def auto_fix_pr(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    make_repo(ws, {"app/main.py": "import sys\nimport os\nx=os.sep+sys.argv[0]\n"})
    gh.state.git.import_repository(ws, gh.state.repository["default_branch"])
    return "workflow_dispatch", load_event("workflow_dispatch", "event.1"), {}


def nightly_heal(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    make_repo(ws, {"app/bad.py": "def broken(:\n"})
    return "schedule", {}, {"fix": "false"}


def train_and_release(gh: LocalGitHub, ws: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    make_repo(ws, {"data/train.csv": bundled_dataset().read_text()})
    git(ws, "commit", "-q", "--allow-empty", "-m", "feat: first model")
    gh.state.git.import_repository(ws, gh.state.repository["default_branch"])
    return "workflow_dispatch", {}, {"data": "data/train.csv", "plots": "false"}


SCENARIOS: dict[str, Callable[[LocalGitHub, Path], tuple[str, dict[str, Any], dict[str, str]]]] = {
    "ci-retry": ci_retry,
    "triage": triage,
    "auto-merge": auto_merge,
    "auto-close": auto_close,
    "auto-fix-pr": auto_fix_pr,
    "nightly-heal": nightly_heal,
    "train-and-release": train_and_release,
}


def declared_outputs(action: str) -> set[str]:
    spec = yaml.safe_load((PROJECT_ROOT / "actions" / action / "action.yml").read_text())
    return set(spec["outputs"])


def run_action(gh: LocalGitHub, tmp_path: Path, action: str, **extra: str) -> ActionResult:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    event, payload, inputs = SCENARIOS[action](gh, workspace)
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": event,
    }
    step = Step(
        PROJECT_ROOT / "actions" / action / "action.yml",
        {**inputs, **extra},
        event=payload,
        github=github,
        token=gh.token,
    )
    return run_inprocess(step, RunnerSandbox.create(tmp_path / "runner", workspace), NO_WAIT)


def test_every_action_has_a_scenario() -> None:
    actions = {path.parent.name for path in PROJECT_ROOT.glob("actions/*/action.yml")}
    assert actions == set(SCENARIOS)


@pytest.mark.parametrize("action", sorted(SCENARIOS))
def test_outputs_on_success(local_github: LocalGitHub, tmp_path: Path, action: str) -> None:
    result = run_action(local_github, tmp_path, action)
    assert result.returncode in (0, 1), result.log
    assert set(result.outputs) == declared_outputs(action)
    assert int(result.outputs["api-calls"]) == len(local_github.requests) > 0


FAILURES = {
    "budget": ({"max-api-calls": "1"}, None, "request budget of 1 API calls spent"),
    "401": (
        {},
        Fault("*", r".*", status=401, times=10**6, body={"message": "Bad credentials"}),
        "401",
    ),
    "5xx": ({}, Fault("*", r".*", status=502, times=10**6), "502"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("action", sorted(SCENARIOS))
def test_outputs_when_github_fails(
    local_github: LocalGitHub, tmp_path: Path, action: str, failure: str
) -> None:
    inputs, fault, said = FAILURES[failure]
    if fault is not None:
        local_github.inject(fault)
    result = run_action(local_github, tmp_path, action, **inputs)
    assert result.returncode == 1, result.log
    assert set(result.outputs) == declared_outputs(action)
    assert said in result.outputs["reason"]
    assert result.stderr.strip() == f"::error::{result.outputs['reason']}"
    assert result.outputs["action-taken"] == "none"
    assert int(result.outputs["api-calls"]) == len(local_github.requests) > 0
    assert "internal error" not in result.log
    for name in ("merged", "closed", "retried", "retryable"):
        if name in result.outputs:
            assert result.outputs[name] == "false"
    if "changed-files" in result.outputs:
        assert json.loads(result.outputs["changed-files"]) == []
