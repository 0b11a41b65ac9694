"""ci-retry end to end against the local GitHub, from the real workflow_run payload."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import ActionResult, RunnerSandbox, Step, run_local

ACTION = PROJECT_ROOT / "actions" / "ci-retry" / "action.yml"
SHA = "b" * 40
RESET = "2026-11-20T10:00:00.0000000Z curl: (56) Recv failure: Connection reset by peer\n"
ASSERT = (
    "2026-11-20T10:00:00.0000000Z FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2\n"
)


def event(run_id: int, attempt: int = 1) -> dict:
    payload = load_event("workflow_run", "completed.1")
    payload["workflow_run"].update(id=run_id, run_attempt=attempt, conclusion="failure")
    return payload


def step(gh: LocalGitHub, payload: dict, **inputs: str) -> Step:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "workflow_run",
    }
    return Step(ACTION, inputs, event=payload, github=github, token=gh.token)


def test_network_failure_is_rerun_and_explained_once(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    local_github.state.add_pull(3, SHA)
    local_github.state.add_run(
        50, SHA, [("build", "failure", RESET), ("lint", "success", "ok")], pulls=(3,)
    )
    result = run_local(step(local_github, event(50)), RunnerSandbox.create(tmp_path / "a"))
    assert result.returncode == 0, result.log
    assert (result.outputs["retried"], result.outputs["attempt"], result.outputs["category"]) == (
        "true",
        "2",
        "network",
    )
    assert result.outputs["action-taken"] == "rerun"
    assert local_github.state.reruns == [50]
    (comment,) = local_github.state.comments[3]
    assert comment["body"].startswith("<!-- oasis:ci-retry -->")
    assert (
        "Connection reset by peer" in comment["body"]
        and "OASIS reran the failed jobs" in comment["body"]
    )
    assert "attempt 2 of 3" in comment["body"]
    assert int(result.outputs["api-calls"]) == len([r for r in local_github.requests])
    local_github.state.runs[50].update(status="completed", conclusion="failure")
    second = run_local(
        step(local_github, event(50, attempt=2)), RunnerSandbox.create(tmp_path / "b")
    )
    assert second.outputs["attempt"] == "3"
    assert len(local_github.state.comments[3]) == 1, "the comment is edited in place"
    local_github.state.runs[50].update(status="completed", conclusion="failure")
    third = run_local(
        step(local_github, event(50, attempt=3)), RunnerSandbox.create(tmp_path / "c")
    )
    assert third.outputs["retried"] == "false" and "no retries left" in third.outputs["reason"]
    assert local_github.state.reruns == [50, 50]


def test_test_failure_is_never_rerun(local_github: LocalGitHub, tmp_path: Path) -> None:
    local_github.state.add_pull(4, SHA)
    local_github.state.add_run(60, SHA, [("unit", "failure", ASSERT)], pulls=(4,))
    result = run_local(step(local_github, event(60)), RunnerSandbox.create(tmp_path))
    assert result.returncode == 0, result.log
    assert (result.outputs["retried"], result.outputs["category"]) == ("false", "test-failure")
    assert local_github.state.reruns == []
    assert "Not retried:" in local_github.state.comments[4][0]["body"]


def test_same_event_delivered_twice_concurrently(local_github: LocalGitHub, tmp_path: Path) -> None:
    local_github.state.add_pull(5, SHA)
    local_github.state.add_run(70, SHA, [("build", "failure", RESET)], pulls=(5,))
    results: list[ActionResult] = []

    def deliver(name: str) -> None:
        results.append(
            run_local(step(local_github, event(70)), RunnerSandbox.create(tmp_path / name))
        )

    threads = [threading.Thread(target=deliver, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.outputs["retried"] for r in results) == ["false", "true"]
    assert local_github.state.reruns == [70]
    assert len(local_github.state.comments[5]) == 1


def test_dry_run_and_bad_inputs(local_github: LocalGitHub, tmp_path: Path) -> None:
    local_github.state.add_run(80, SHA, [("build", "failure", RESET)])
    result = run_local(
        step(local_github, event(80), **{"dry-run": "true"}), RunnerSandbox.create(tmp_path / "a")
    )
    assert result.returncode == 0 and local_github.writes() == []
    assert "dry-run: would rerun failed jobs(80)" in result.stdout
    bad = run_local(
        step(local_github, event(80), **{"retry-on": "network,astrology"}),
        RunnerSandbox.create(tmp_path / "b"),
    )
    assert bad.returncode == 2 and "retry-on has unknown categories: astrology" in bad.stderr
    bad = run_local(
        step(local_github, event(80), **{"max-attempts": "0"}), RunnerSandbox.create(tmp_path / "c")
    )
    assert (
        bad.returncode == 2
        and "input 'max-attempts' must be an integer between 1 and 10" in bad.stderr
    )


def test_the_comment_names_the_failing_step_and_quotes_the_deciding_lines(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    log = (
        "2026-11-20T10:00:00.0000000Z ##[group]Run pip install -e .\n"
        "2026-11-20T10:00:01.0000000Z Successfully installed app\n"
        "2026-11-20T10:00:02.0000000Z ##[endgroup]\n"
        "2026-11-20T10:00:03.0000000Z ##[group]Run pytest -q\n"
        "2026-11-20T10:00:04.0000000Z E   ConnectionError: Connection refused\n"
        "2026-11-20T10:00:05.0000000Z ==== 1 failed, 9 passed in 0.3s ====\n"
        "2026-11-20T10:00:06.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    local_github.state.add_pull(4, SHA)
    local_github.state.add_run(52, SHA, [("test", "failure", log)], pulls=(4,))
    result = run_local(step(local_github, event(52)), RunnerSandbox.create(tmp_path))
    assert result.returncode == 0, result.log
    assert result.outputs["retried"] == "false" and result.outputs["category"] == "test-failure"
    (comment,) = local_github.state.comments[4]
    assert "failed in step `pytest -q`" in comment["body"]
    assert "1 failed, 9 passed" in comment["body"]
    assert "Process completed with exit code" not in comment["body"].split("```")[1]


def test_a_github_that_does_not_answer_is_one_line_exit_1(tmp_path: Path) -> None:
    github = {
        "GITHUB_API_URL": "http://127.0.0.1:9",
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "workflow_run",
    }
    result = run_local(
        Step(ACTION, {}, event=event(60), github=github, token="ghs_" + "x" * 36),
        RunnerSandbox.create(tmp_path),
    )
    assert result.returncode == 1, result.log
    assert "GitHub did not answer GET" in result.log and "internal error" not in result.log


def test_a_strangers_comment_with_the_marker_is_never_edited(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    local_github.state.add_pull(5, SHA)
    local_github.state.add_run(53, SHA, [("build", "failure", RESET)], pulls=(5,))
    forged = {
        **local_github.state._comment_template,
        "id": 77,
        "body": "<!-- oasis:ci-retry -->\nI am OASIS",
    }
    local_github.state.comments[5] = [forged]
    result = run_local(step(local_github, event(53)), RunnerSandbox.create(tmp_path))
    assert result.returncode == 0, result.log
    first, second = local_github.state.comments[5]
    assert (
        first["body"] == "<!-- oasis:ci-retry -->\nI am OASIS"
    ), "the stranger's text stays theirs"
    assert second["user"]["login"] == "github-actions[bot]" and "run 53 failed" in second["body"]
