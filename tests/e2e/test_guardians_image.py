"""auto-merge in the real image, against the local GitHub running as a service container."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import GitHubService
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import RunnerSandbox, Step, run_docker

pytestmark = pytest.mark.docker


def guardian_step(
    service: GitHubService, action: str, event_name: str, event: dict, inputs: dict
) -> Step:
    """A step of `actions/<action>` whose GitHub is the local GitHub service on the job network."""
    github = {
        "GITHUB_API_URL": service.inside_url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": event_name,
    }
    return Step(
        PROJECT_ROOT / "actions" / action / "action.yml",
        inputs,
        event=event,
        github=github,
        token=service.token,
    )


SHA = "e" * 40


def test_auto_merge_in_the_image_merges_over_the_job_network(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    github_service.control(
        "scenario",
        {
            "pulls": [
                {
                    "number": 42,
                    "sha": SHA,
                    "reviews": [["alice", "APPROVED"]],
                    "check_runs": ["tests"],
                    "statuses": [["ci/lint", "success"]],
                }
            ]
        },
    )
    event = load_event("pull_request", "opened.1")
    event["pull_request"]["number"] = event["number"] = 42
    step = guardian_step(github_service, "auto-merge", "pull_request", event, {})
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "true"
    assert result.outputs["sha"] == SHA
    assert github_service.token not in result.shown_log
    state = github_service.control("state")
    assert state["pulls"]["42"] == {
        "merged": True,
        "state": "closed",
        "head": "feature-42",
        "base": "main",
    }
    assert state["schema_errors"] == []
    assert ["PUT", "/repos/octo-org/octo-repo/pulls/42/merge", 200] in state["requests"]
    assert state["deleted_refs"] == ["heads/feature-42"]


def test_ci_retry_in_the_image_reruns_a_network_failure(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    log = "2026-11-20T10:00:00.0000000Z fatal: unable to access 'https://example.invalid/x.git/': Could not resolve host: example.invalid\n"
    github_service.control(
        "scenario",
        {
            "pulls": [{"number": 43, "sha": "d" * 40}],
            "runs": [
                {
                    "id": 4301,
                    "sha": "d" * 40,
                    "jobs": [["build", "failure", log], ["lint", "success", "ok"]],
                    "pulls": [43],
                }
            ],
        },
    )
    event = load_event("workflow_run", "completed.1")
    event["workflow_run"].update(id=4301, run_attempt=1)
    step = guardian_step(github_service, "ci-retry", "workflow_run", event, {})
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert (result.outputs["retried"], result.outputs["category"], result.outputs["attempt"]) == (
        "true",
        "network",
        "2",
    )
    state = github_service.control("state")
    assert state["reruns"] == [4301]
    assert "Could not resolve host" in state["comments"]["43"][0]
    assert state["schema_errors"] == []


def test_auto_close_in_the_image_closes_a_pull_failing_again_and_again(
    oasis_image: str, github_service: GitHubService, tmp_path: Path
) -> None:
    log = "2026-11-20T10:00:00.0000000Z FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2\n"
    github_service.control(
        "scenario",
        {
            "pulls": [{"number": 44, "sha": "9" * 40}],
            "runs": [
                {
                    "id": 4401,
                    "sha": "9" * 40,
                    "jobs": [["unit", "failure", log]],
                    "pulls": [44],
                    "attempt": 3,
                }
            ],
        },
    )
    step = guardian_step(
        github_service, "auto-close", "schedule", {"schedule": "0 4 * * *"}, {"pull-number": "44"}
    )
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert (result.outputs["closed"], result.outputs["pull-number"]) == ("true", "44")
    state = github_service.control("state")
    assert state["pulls"]["44"]["state"] == "closed"
    assert "| unit | test-failure |" in state["comments"]["44"][0]
    assert state["schema_errors"] == []


@pytest.mark.parametrize(
    ("review", "inputs", "merged", "taken", "reason"),
    [
        (["mallory", "APPROVED", "NONE"], {}, False, "none", "has 0"),
        (["dependabot[bot]", "APPROVED", "MEMBER"], {}, False, "none", "has 0"),
        (["alice", "APPROVED"], {}, False, "none", "merge-via: queue"),
        (["alice", "APPROVED"], {"merge-via": "queue"}, False, "queued", "position 1"),
    ],
    ids=["outsider-approval", "bot-approval", "queue-refuses-direct", "queued"],
)
def test_auto_merge_in_the_image_says_no_like_github(
    oasis_image: str,
    github_service: GitHubService,
    tmp_path: Path,
    review: list[str],
    inputs: dict[str, str],
    merged: bool,
    taken: str,
    reason: str,
) -> None:
    github_service.control(
        "scenario",
        {
            "pulls": [
                {
                    "number": 43,
                    "sha": SHA,
                    "reviews": [review],
                    "check_runs": ["tests"],
                    "statuses": [["ci/lint", "success"]],
                }
            ],
            "merge_queue_branches": ["main"],
        },
    )
    event = load_event("pull_request", "opened.1")
    event["pull_request"]["number"] = event["number"] = 43
    step = guardian_step(github_service, "auto-merge", "pull_request", event, inputs)
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == str(merged).lower()
    assert (
        result.outputs["action-taken"] == taken and reason in result.outputs["reason"]
    ), result.log
    state = github_service.control("state")
    assert state["pulls"]["43"]["merged"] is False and state["schema_errors"] == []


@pytest.mark.parametrize(
    ("number", "pull", "faults", "merged", "reason"),
    [
        (61, {"commit_author": "alice"}, [], False, "has 0"),
        (62, {"check_runs": [], "statuses": []}, [], False, "has no checks yet"),
        (
            63,
            {"check_runs": [["deploy", "skipped"]], "statuses": []},
            [],
            False,
            "no successful check",
        ),
        (64, {"suites": ["action_required"]}, [], False, "waiting for approval"),
        (65, {"mergeable_state": "unstable"}, [], False, "is unstable"),
        (
            66,
            {},
            [{"method": "PUT", "path": ".*/pulls/66/merge", "status": 502, "times": 1}],
            True,
            "merged #66",
        ),
        (67, {"head_ref": "master"}, [], True, "merged #67"),
    ],
    ids=[
        "pusher-approves",
        "no-checks",
        "only-skipped",
        "action-required",
        "unstable",
        "merge-502",
        "keeps-default-branch",
    ],
)
def test_auto_merge_in_the_image_merges_only_what_is_green(
    oasis_image: str,
    github_service: GitHubService,
    tmp_path: Path,
    number: int,
    pull: dict[str, object],
    faults: list[dict[str, object]],
    merged: bool,
    reason: str,
) -> None:
    """Each scenario has its own pull request and head (the service lives for the session)."""
    sha = f"{number:040x}"
    scenario = {
        "number": number,
        "sha": sha,
        "reviews": [["alice", "APPROVED"]],
        "check_runs": ["tests"],
        "statuses": [["ci/lint", "success"]],
        **pull,
    }
    github_service.control(
        "scenario", {"pulls": [scenario], "faults": faults, "merge_queue_branches": []}
    )
    event = load_event("pull_request", "opened.1")
    event["pull_request"]["number"] = event["number"] = number
    step = guardian_step(github_service, "auto-merge", "pull_request", event, {})
    result = run_docker(
        step, RunnerSandbox.create(tmp_path), oasis_image, network=github_service.network
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == str(merged).lower(), result.log
    assert reason in result.outputs["reason"], result.log
    state = github_service.control("state")
    assert state["schema_errors"] == []
    assert "heads/master" not in state["deleted_refs"], "the default branch is never deleted"
