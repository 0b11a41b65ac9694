"""auto-merge end to end against the local GitHub, from real event payloads, as the runner runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.github.server import Fault, LocalGitHub, State
from tests.support.paths import PROJECT_ROOT, load_event
from tests.support.runner import RunnerSandbox, Step, run_inprocess, run_local

ACTION = PROJECT_ROOT / "actions" / "auto-merge" / "action.yml"


def sha(n: int) -> str:
    return f"{n:040x}"


def green(gh: LocalGitHub, number: int) -> None:
    gh.state.add_pull(number, sha(number))
    gh.state.add_review(number, "alice", "APPROVED")
    gh.state.add_check_run(sha(number), "tests")
    gh.state.add_status(sha(number), "ci/lint", "success")


def step(gh: LocalGitHub, event_name: str, event: dict, **inputs: str) -> Step:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": event_name,
    }
    return Step(ACTION, inputs, event=event, github=github, token=gh.token)


def pull_request_event(number: int) -> dict:
    payload = (
        load_event("pull_request", "synchronize.1")
        if (PROJECT_ROOT.parent / "shared/github/events/pull_request/synchronize.1.json").exists()
        else load_event("pull_request", "opened.1")
    )
    payload["pull_request"]["number"] = number
    payload["number"] = number
    return payload


def test_approved_green_pull_is_merged_from_a_real_event(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    green(local_github, 5)
    result = run_local(
        step(local_github, "pull_request", pull_request_event(5)), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "true"
    assert (result.outputs["pull-number"], result.outputs["sha"]) == ("5", sha(5))
    assert result.outputs["action-taken"] == "merged"
    assert local_github.state.pulls[5]["merged"] is True
    assert local_github.state.deleted_refs == ["heads/feature-5"]
    merge = next(r for r in local_github.requests if r.method == "PUT")
    assert merge.body == {"merge_method": "squash", "sha": sha(5)}
    before_merge = local_github.requests[: local_github.requests.index(merge)]
    assert len(before_merge) <= 7, "a safe merge: 7 reads, then the PUT (8 in all)"
    assert (
        int(result.outputs["api-calls"]) == len(local_github.requests) <= 12
    ), "+ 3 reads before deleting the merged branch (default? protected? a base?), the DELETE"
    assert "| #5 | merge |" in result.summary
    assert local_github.token not in result.shown_log


def test_review_event_with_changes_requested_is_not_merged(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    green(local_github, 3)
    local_github.state.add_review(3, "bob", "CHANGES_REQUESTED")
    event = load_event("pull_request_review", "submitted.1")
    event["pull_request"]["number"] = 3
    result = run_local(
        step(local_github, "pull_request_review", event), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "false"
    assert result.outputs["reason"] == "#3 has changes requested by bob"
    assert local_github.writes() == []


def test_head_moving_between_check_and_merge_is_not_merged(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    green(local_github, 4)

    def push(state: State) -> None:
        state.pulls[4]["head"]["sha"] = "f" * 40

    local_github.on("GET", r".*/commits/.*/check-runs", push)
    result = run_inprocess(
        step(local_github, "workflow_dispatch", {}, **{"pull-number": "4"}),
        RunnerSandbox.create(tmp_path),
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "false"
    assert local_github.state.pulls[4]["merged"] is False
    assert [r.status for r in local_github.requests if r.method == "PUT"] == [409]
    assert "moved past" in result.summary


def test_sweep_with_faults_never_merges_on_a_partial_view(
    local_github: LocalGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    for number in (1, 2, 3):
        green(local_github, number)
    local_github.inject(Fault("GET", r".*/pulls/1/reviews", status=502, times=2))
    local_github.inject(
        Fault(
            "GET",
            r".*/commits/.*/status",
            status=403,
            times=1,
            headers={"retry-after": "3"},
            body={"message": "You have exceeded a secondary rate limit"},
        )
    )
    local_github.inject(Fault("GET", rf".*/commits/{sha(2)}/check-runs", status=502, times=100))
    result = run_inprocess(
        step(local_github, "schedule", {"schedule": "*/15 * * * *"}), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 1
    assert local_github.state.pulls[1]["merged"] is True
    assert local_github.state.pulls[2]["merged"] is False
    assert local_github.state.pulls[3]["merged"] is False
    assert 3.0 in waits
    assert "GitHub answered 502" in result.stderr


def test_budget_spent_mid_sweep_stops_cleanly(local_github: LocalGitHub, tmp_path: Path) -> None:
    for number in (1, 2):
        green(local_github, number)
    result = run_inprocess(
        step(local_github, "schedule", {}, **{"max-api-calls": "13"}),
        RunnerSandbox.create(tmp_path),
    )
    assert result.returncode == 1
    assert len(local_github.requests) == 13
    assert local_github.state.pulls[2]["merged"] is False
    assert "Stopped early" in result.summary and "not evaluated: #2" in result.summary
    assert result.outputs["api-calls"] == "13"


def test_dry_run_decides_but_writes_nothing(local_github: LocalGitHub, tmp_path: Path) -> None:
    green(local_github, 9)
    result = run_local(
        step(local_github, "pull_request", pull_request_event(9), **{"dry-run": "true"}),
        RunnerSandbox.create(tmp_path),
    )
    assert result.returncode == 0, result.log
    assert local_github.writes() == []
    assert "dry-run: would merge(9" in result.stdout
    assert result.outputs["merged"] == "false"


def test_unsupported_event_is_exit_2(local_github: LocalGitHub, tmp_path: Path) -> None:
    result = run_local(
        step(local_github, "push", load_event("push", "event.1")), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "::error::auto-merge does not handle `push` events; it runs on: pull_request, pull_request_review, check_suite, status, schedule, workflow_dispatch, merge_group\n"
    )
    assert local_github.requests == []


def test_events_from_oasis_own_account_are_ignored(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    green(local_github, 6)
    payload = pull_request_event(6)
    payload["sender"] = {**payload["sender"], "login": "github-actions[bot]", "type": "Bot"}
    result = run_local(
        step(local_github, "pull_request", payload), RunnerSandbox.create(tmp_path / "a")
    )
    assert result.returncode == 0, result.log
    assert "ignored actor" in result.outputs["reason"] and result.outputs["action-taken"] == "none"
    assert local_github.requests == []
    payload["sender"]["login"] = "dependabot[bot]"
    result = run_local(
        step(local_github, "pull_request", payload), RunnerSandbox.create(tmp_path / "b")
    )
    assert result.outputs["merged"] == "true", "other bots' pull requests are merged as usual"


def test_a_review_event_that_names_no_pull_never_sweeps(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """An empty `pull_request_review` payload used to merge every ready open pull request."""
    green(local_github, 11)
    green(local_github, 12)
    payload = {"action": "submitted", "sender": {"login": "someone", "type": "User"}}
    result = run_local(
        step(local_github, "pull_request_review", payload), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert (
        result.outputs["merged"] == "false" and "names no pull request" in result.outputs["reason"]
    )
    assert local_github.requests == []


@pytest.mark.parametrize(
    "payload",
    [
        {"pull_request": ["not", "a", "mapping"]},
        {"pull_request": {"number": "seven", "head": {"sha": "x"}}},
        {"pull_request": {"number": 3, "head": {"sha": ["x"]}}},
        {"sender": "someone"},
    ],
)
def test_an_event_without_the_events_shape_is_one_line_exit_2(
    local_github: LocalGitHub, tmp_path: Path, payload: dict
) -> None:
    result = run_local(step(local_github, "pull_request", payload), RunnerSandbox.create(tmp_path))
    assert result.returncode == 2, result.log
    assert "does not have a `pull_request` event's shape" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and local_github.requests == []


def test_a_502_on_the_merge_is_checked_then_retried_never_merged_twice(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """The proxy answered 502, but did GitHub merge? OASIS asks, and merges at most once."""
    green(local_github, 21)
    local_github.inject(Fault("PUT", r".*/pulls/21/merge", status=502, times=1))
    result = run_local(
        step(local_github, "pull_request", pull_request_event(21)),
        RunnerSandbox.create(tmp_path / "a"),
    )
    assert result.returncode == 0, result.log
    assert (result.outputs["merged"], result.outputs["action-taken"]) == ("true", "merged")
    puts = [r for r in local_github.requests if r.method == "PUT" and r.path.endswith("/merge")]
    assert [r.status for r in puts] == [
        502,
        200,
    ], "not merged by the first: retried with the SHA guard"
    assert int(result.outputs["api-calls"]) == len(local_github.requests)

    green(local_github, 22)
    local_github.on(
        "PUT",
        r".*/pulls/22/merge",
        lambda state: state.pulls[22].update(merged=True, state="closed"),
    )
    local_github.inject(Fault("PUT", r".*/pulls/22/merge", status=502, times=1))
    result = run_local(
        step(local_github, "pull_request", pull_request_event(22)),
        RunnerSandbox.create(tmp_path / "b"),
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "true" and "confirmed" in result.stdout
    puts = [
        r for r in local_github.requests if r.method == "PUT" and r.path.endswith("/pulls/22/merge")
    ]
    assert len(puts) == 1, "merged behind the 502: never sent again"


@pytest.mark.parametrize(
    ("head", "setup", "kept"),
    [
        ("DEFAULT", lambda state: None, "is the default branch"),
        ("release", lambda state: state.protected_branches.add("release"), "is a protected branch"),
        (
            "develop",
            lambda state: state.add_pull(32, sha(32))["base"].update(ref="develop"),
            "is the base of open pull request(s) #32",
        ),
    ],
    ids=["default", "protected", "base-of-others"],
)
def test_delete_branch_keeps_long_lived_branches(
    local_github: LocalGitHub, tmp_path: Path, head: str, setup: object, kept: str
) -> None:
    green(local_github, 31)
    if head == "DEFAULT":
        head = local_github.state.repository["default_branch"]
    local_github.state.pulls[31]["head"]["ref"] = head
    setup(local_github.state)  # type: ignore[operator]
    result = run_local(
        step(local_github, "pull_request", pull_request_event(31)), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "true" and kept in result.stdout
    assert local_github.state.deleted_refs == []


def outsider(gh: LocalGitHub, n: int) -> None:
    gh.state.reviews[n] = []
    gh.state.add_review(n, "mallory", "APPROVED", association="NONE")


def bot(gh: LocalGitHub, n: int) -> None:
    gh.state.reviews[n] = []
    gh.state.add_review(n, "dependabot[bot]", "APPROVED", association="MEMBER")


def pusher_approves(gh: LocalGitHub, n: int) -> None:
    gh.state.commit_authors[sha(n)] = "alice"


def association_lies(gh: LocalGitHub, n: int) -> None:
    gh.state.permissions["alice"] = "read"


def no_checks(gh: LocalGitHub, n: int) -> None:
    gh.state.check_runs[sha(n)] = []
    gh.state.statuses[sha(n)] = []


def only_skipped(gh: LocalGitHub, n: int) -> None:
    no_checks(gh, n)
    gh.state.add_check_run(sha(n), "deploy", conclusion="skipped")


def waiting_for_approval(gh: LocalGitHub, n: int) -> None:
    gh.state.add_check_suite(sha(n), conclusion="action_required")


def failing_status_past_page_one(gh: LocalGitHub, n: int) -> None:
    for i in range(40):
        gh.state.add_status(sha(n), f"ctx-{i:02d}", "success")
    gh.state.add_status(sha(n), "ctx-00", "failure")


def unstable(gh: LocalGitHub, n: int) -> None:
    gh.state.pulls[n]["mergeable_state"] = "unstable"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (outsider, "has 0"),
        (bot, "has 0"),
        (pusher_approves, "has 0"),
        (association_lies, "has 0"),
        (no_checks, "has no checks yet"),
        (only_skipped, "no successful check"),
        (waiting_for_approval, "waiting for approval"),
        (failing_status_past_page_one, "failing check"),
        (unstable, "is unstable"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_what_github_says_no_to_is_never_merged(
    local_github: LocalGitHub, tmp_path: Path, change: object, reason: str
) -> None:
    green(local_github, 41)
    change(local_github, 41)  # type: ignore[operator]
    result = run_local(
        step(local_github, "pull_request", pull_request_event(41)), RunnerSandbox.create(tmp_path)
    )
    assert result.returncode == 0, result.log
    assert result.outputs["merged"] == "false" and reason in result.outputs["reason"]
    assert local_github.state.pulls[41]["merged"] is False
    assert not [r for r in local_github.requests if r.method == "PUT"]


def test_native_auto_merge_and_the_merge_queue_over_graphql(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """Repositories with a merge queue cannot be merged directly; OASIS hands the PR to GitHub
    (GraphQL mutations validated against GitHub's public schema by the local GitHub)."""
    green(local_github, 51)
    local_github.state.merge_queue_branches.add("main")
    direct = run_local(
        step(local_github, "pull_request", pull_request_event(51)),
        RunnerSandbox.create(tmp_path / "a"),
    )
    assert direct.returncode == 0, direct.log
    assert direct.outputs["merged"] == "false" and "merge-via: queue" in direct.outputs["reason"]
    queued = run_local(
        step(local_github, "pull_request", pull_request_event(51), **{"merge-via": "queue"}),
        RunnerSandbox.create(tmp_path / "b"),
    )
    assert queued.returncode == 0, queued.log
    assert queued.outputs["action-taken"] == "queued" and "position 1" in queued.outputs["reason"]
    assert local_github.state.merge_queues == {"main": [51]}

    green(local_github, 52)
    enabled = run_local(
        step(local_github, "pull_request", pull_request_event(52), **{"merge-via": "auto-merge"}),
        RunnerSandbox.create(tmp_path / "c"),
    )
    assert enabled.returncode == 0, enabled.log
    assert enabled.outputs["action-taken"] == "auto-merge-enabled"
    assert local_github.state.pulls[52]["auto_merge"]["merge_method"] == "squash"
    graphql = [r for r in local_github.requests if r.path == "/graphql"]
    assert len(graphql) == 2 and int(enabled.outputs["api-calls"]) == 8, "7 reads + the mutation"


def test_merge_group_runs_never_block_the_queue(local_github: LocalGitHub, tmp_path: Path) -> None:
    payload = load_event("merge_group", "checks_requested.1")
    result = run_local(step(local_github, "merge_group", payload), RunnerSandbox.create(tmp_path))
    assert result.returncode == 0, result.log
    assert "merge queue merges this group" in result.outputs["reason"]
    assert local_github.requests == []


def test_branch_protection_of_the_base_is_honoured(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    """The base requires an `e2e` check and two approvals: GitHub says `blocked`, OASIS waits."""
    green(local_github, 71)
    local_github.state.branch_protection["main"] = {
        "required_checks": ["e2e"],
        "required_reviews": 2,
    }
    first = run_local(
        step(local_github, "pull_request", pull_request_event(71), **{"required-approvals": "1"}),
        RunnerSandbox.create(tmp_path / "a"),
    )
    assert first.returncode == 0, first.log
    assert (
        first.outputs["merged"] == "false"
        and "blocked by branch protection" in first.outputs["reason"]
    )
    local_github.state.add_check_run(sha(71), "e2e")
    local_github.state.add_review(71, "bob", "APPROVED")
    second = run_local(
        step(local_github, "pull_request", pull_request_event(71)),
        RunnerSandbox.create(tmp_path / "b"),
    )
    assert second.outputs["merged"] == "true", second.log
