"""auto-close end to end against the local GitHub."""

from __future__ import annotations

from pathlib import Path

from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import RunnerSandbox, Step, run_inprocess, run_local

ACTION = PROJECT_ROOT / "actions" / "auto-close" / "action.yml"
ASSERT = (
    "2026-11-20T10:00:00.0000000Z FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2\n"
)


def sha(n: int) -> str:
    return f"{n:040x}"


def step(gh: LocalGitHub, name: str, payload: dict, **inputs: str) -> Step:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": name,
    }
    return Step(ACTION, inputs, event=payload, github=github, token=gh.token)


def failing(gh: LocalGitHub, number: int, attempts: int, **fields: object) -> None:
    gh.state.add_pull(number, sha(number), **fields)
    gh.state.add_run(
        900 + number,
        sha(number),
        [("unit", "failure", ASSERT), ("lint", "success", "ok")],
        pulls=(number,),
        attempt=attempts,
    )


def test_failing_pull_is_closed_once_with_an_explanation(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    failing(local_github, 1, attempts=3)
    failing(local_github, 2, attempts=2)
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"]["pull_requests"] = [{"number": 1}]
    result = run_local(
        step(local_github, "workflow_run", payload), RunnerSandbox.create(tmp_path / "a")
    )
    assert result.returncode == 0, result.log
    assert (
        result.outputs["closed"],
        result.outputs["pull-number"],
        result.outputs["action-taken"],
    ) == ("true", "1", "closed")
    pull = local_github.state.pulls[1]
    assert pull["state"] == "closed" and [label["name"] for label in pull["labels"]] == [
        "oasis:closed-failing"
    ]
    (comment,) = local_github.state.comments[1]
    assert "| unit | test-failure |" in comment["body"] and "reopen" in comment["body"]
    assert local_github.state.pulls[2]["state"] == "open"
    again = run_local(
        step(local_github, "workflow_run", payload), RunnerSandbox.create(tmp_path / "b")
    )
    assert again.outputs["closed"] == "false"
    assert len(local_github.state.comments[1]) == 1


def test_sweep_of_100_open_pulls_is_cheap(local_github: LocalGitHub, tmp_path: Path) -> None:
    for number in range(1, 101):
        local_github.state.add_pull(
            number,
            sha(number),
            draft=number == 50,
            labels=(
                [
                    {
                        "id": 1,
                        "node_id": "L",
                        "url": "u",
                        "name": "keep-open",
                        "description": "",
                        "color": "e",
                        "default": False,
                    }
                ]
                if number == 60
                else []
            ),
        )
    for number in (50, 60, 70):
        local_github.state.add_run(
            900 + number, sha(number), [("unit", "failure", ASSERT)], pulls=(number,), attempt=3
        )
    result = run_inprocess(step(local_github, "schedule", {}), RunnerSandbox.create(tmp_path))
    assert result.returncode == 0, result.log
    closed = [n for n, p in local_github.state.pulls.items() if p["state"] == "closed"]
    assert closed == [70], "drafts and exempt pulls are never closed"
    close_cost = 1 + 2 + 1 + 1 + 1 + 1 + 1
    per_pull = (len(local_github.requests) - close_cost) / 100
    assert per_pull <= 1.2, per_pull


def test_dry_run_closes_nothing(local_github: LocalGitHub, tmp_path: Path) -> None:
    failing(local_github, 4, attempts=5)
    result = run_local(
        step(local_github, "schedule", {}, **{"dry-run": "true"}), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert local_github.writes() == [] and result.outputs["closed"] == "false"
    assert "dry-run: would close pull(4)" in result.stdout


def test_budget_stops_the_sweep(local_github: LocalGitHub, tmp_path: Path) -> None:
    for number in range(1, 6):
        local_github.state.add_pull(number, sha(number))
    result = run_inprocess(
        step(local_github, "schedule", {}, **{"max-api-calls": "3"}), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 1
    assert len(local_github.requests) == 3
    assert "Stopped early" in result.summary


def test_another_pulls_failures_at_the_same_commit_never_close_a_healthy_pull(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """A fork PR aimed at the same failing commit, reopened three times: its runs are its own."""
    healthy = local_github.state.add_pull(61, sha(61))
    other = local_github.state.add_pull(62, sha(61))
    other["head"]["repo"] = {**other["head"]["repo"], "full_name": "someone/fork"}
    local_github.state.add_run(961, sha(61), [("unit", "failure", ASSERT)], pulls=(62,), attempt=3)
    fork_run = local_github.state.add_run(962, sha(61), [("unit", "failure", ASSERT)], attempt=3)
    fork_run.update(head_branch=other["head"]["ref"])
    fork_run["head_repository"] = {**fork_run["head_repository"], "full_name": "someone/fork"}
    result = run_local(
        step(local_github, "schedule", {}, **{"max-failures": "3"}), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert healthy["state"] == "open", "#61 has no failed run of its own"
    assert other["state"] == "closed"
