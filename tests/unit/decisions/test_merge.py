from __future__ import annotations

from dataclasses import replace

import pytest

from oasis_action.decisions.merge import MergePolicy, decide_merge, latest_reviews
from oasis_action.github.port import Check, PullRequestState, Review

HEAD = "h" * 40
GREEN = PullRequestState(
    number=7,
    head_sha=HEAD,
    head_ref="feature",
    base_ref="main",
    draft=False,
    state="open",
    merged=False,
    mergeable=True,
    mergeable_state="clean",
    from_fork=False,
    author="author",
    labels=(),
    reviews=(Review("alice", "APPROVED", HEAD, "2026-01-01T10:00:00"),),
    checks=(
        Check("tests", "check_run", "completed", "success"),
        Check("lint", "status", "completed", "success"),
    ),
    write_access=("alice", "bob", "carol", "renovate[bot]"),
    pushers=("author",),
)
POLICY = MergePolicy()


def review(user: str, state: str, at: str, commit: str = HEAD) -> Review:
    return Review(user, state, commit, f"2026-01-01T{at}")


def test_green_approved_pull_is_merged_on_its_head() -> None:
    plan = decide_merge(GREEN, POLICY)
    assert (plan.action, plan.sha, plan.reason) == (
        "merge",
        HEAD,
        "#7 is approved, green and mergeable",
    )


@pytest.mark.parametrize(
    ("change", "policy", "action", "reason"),
    [
        ({"state": "closed"}, POLICY, "skip", "is not open"),
        ({"merged": True}, POLICY, "skip", "is not open"),
        ({"draft": True}, POLICY, "skip", "is a draft"),
        ({"from_fork": True}, POLICY, "skip", "comes from a fork"),
        ({"labels": ("wip",)}, POLICY, "skip", "blocking label wip"),
        ({}, MergePolicy(required_labels=("ready",)), "wait", "lacks the required label ready"),
        ({"reviews": ()}, POLICY, "wait", "needs 1 approval(s) on hhhhhhh, has 0"),
        ({"reviews": (review("alice", "APPROVED", "10:00", "o" * 40),)}, POLICY, "wait", "has 0"),
        ({"reviews": (review("author", "APPROVED", "10:00"),)}, POLICY, "wait", "has 0"),
        ({}, MergePolicy(required_approvals=2), "wait", "needs 2 approval(s)"),
        (
            {
                "reviews": (
                    review("alice", "APPROVED", "10:00"),
                    review("bob", "CHANGES_REQUESTED", "11:00", "o" * 40),
                )
            },
            POLICY,
            "skip",
            "changes requested by bob",
        ),
        (
            {"checks": (Check("tests", "check_run", "completed", "failure"),)},
            POLICY,
            "skip",
            "failing check: tests (failure)",
        ),
        (
            {"checks": (Check("ci", "status", "completed", "error"),)},
            POLICY,
            "skip",
            "failing check: ci (error)",
        ),
        (
            {"checks": (Check("tests", "check_run", "completed", "cancelled"),)},
            POLICY,
            "skip",
            "cancelled",
        ),
        (
            {"checks": (Check("tests", "check_run", "completed", "timed_out"),)},
            POLICY,
            "skip",
            "timed_out",
        ),
        (
            {"checks": (Check("tests", "check_run", "in_progress", None),)},
            POLICY,
            "wait",
            "checks still running: tests",
        ),
        (
            {"checks": (Check("ci", "status", "pending", "pending"),)},
            POLICY,
            "wait",
            "still running: ci",
        ),
        ({"mergeable": None}, POLICY, "wait", "no mergeability computed"),
        ({"mergeable_state": "unknown"}, POLICY, "wait", "no mergeability computed"),
        ({"mergeable": False, "mergeable_state": "dirty"}, POLICY, "skip", "merge conflicts"),
        (
            {"mergeable_state": "behind"},
            POLICY,
            "wait",
            "behind its base and update-branch is false",
        ),
        (
            {"mergeable_state": "behind"},
            MergePolicy(update_branch=True),
            "update-branch",
            "is behind its base",
        ),
        ({"mergeable_state": "blocked"}, POLICY, "wait", "blocked by branch protection"),
    ],
)
def test_every_condition_that_blocks_a_merge(
    change: dict[str, object], policy: MergePolicy, action: str, reason: str
) -> None:
    plan = decide_merge(replace(GREEN, **change), policy)  # type: ignore[arg-type]
    assert plan.action == action
    assert reason in plan.reason


def test_neutral_and_skipped_do_not_block_but_something_must_succeed() -> None:
    checks = (
        Check("a", "check_run", "completed", "neutral"),
        Check("b", "check_run", "completed", "skipped"),
    )
    only = decide_merge(replace(GREEN, checks=checks), POLICY)
    assert (only.action, only.reason) == (
        "wait",
        "#7 has no successful check (only skipped or neutral ones)",
    )
    with_success = (*checks, Check("tests", "check_run", "completed", "success"))
    assert decide_merge(replace(GREEN, checks=with_success), POLICY).action == "merge"


@pytest.mark.parametrize(
    ("change", "policy", "reason"),
    [
        (
            {"reviews": (review("mallory", "APPROVED", "10:00"),)},
            POLICY,
            "needs 1 approval(s) on hhhhhhh, has 0",
        ),
        (
            {
                "reviews": (review("dependabot[bot]", "APPROVED", "10:00"),),
                "write_access": ("dependabot[bot]",),
            },
            POLICY,
            "has 0",
        ),
        (
            {"reviews": (review("alice", "APPROVED", "10:00"),), "pushers": ("alice",)},
            POLICY,
            "has 0",
        ),
        ({"checks": ()}, POLICY, "has no checks yet"),
        (
            {
                "checks": (
                    *GREEN.checks,
                    Check(
                        "check suite of github-actions",
                        "check_suite",
                        "completed",
                        "action_required",
                    ),
                )
            },
            POLICY,
            "waiting for approval: check suite of github-actions",
        ),
        (
            {
                "checks": (
                    *GREEN.checks,
                    Check("check suite of github-actions", "check_suite", "queued", None),
                )
            },
            POLICY,
            "still running: check suite of github-actions",
        ),
        (
            {"checks": (*GREEN.checks, Check("combined status", "status", "completed", "failure"))},
            POLICY,
            "failing check: combined status (failure)",
        ),
        ({"mergeable_state": "unstable"}, POLICY, "is unstable"),
    ],
    ids=[
        "outsider",
        "bot",
        "pusher-approves",
        "no-checks",
        "action-required",
        "queued-suite",
        "status-past-page-1",
        "unstable",
    ],
)
def test_what_a_careful_maintainer_would_not_merge(
    change: dict[str, object], policy: MergePolicy, reason: str
) -> None:
    plan = decide_merge(replace(GREEN, **change), policy)  # type: ignore[arg-type]
    assert plan.action in ("wait", "skip") and reason in plan.reason


def test_a_listed_bot_with_write_access_may_approve() -> None:
    pull = replace(GREEN, reviews=(review("renovate[bot]", "APPROVED", "10:00"),))
    assert decide_merge(pull, POLICY).action == "wait"
    assert decide_merge(pull, MergePolicy(allowed_bots=("renovate[bot]",))).action == "merge"


def test_forks_allowed_when_asked() -> None:
    assert (
        decide_merge(replace(GREEN, from_fork=True), MergePolicy(allow_forks=True)).action
        == "merge"
    )


def test_latest_state_changing_review_per_reviewer_counts() -> None:
    reviews = (
        review("bob", "CHANGES_REQUESTED", "09:00"),
        review("bob", "APPROVED", "10:00"),
        review("bob", "COMMENTED", "11:00"),
        review("carol", "APPROVED", "09:30"),
        review("carol", "DISMISSED", "10:30"),
    )
    assert latest_reviews(reviews) == {"bob": "APPROVED", "carol": "DISMISSED"}
    assert decide_merge(
        replace(GREEN, reviews=reviews), MergePolicy(required_approvals=2)
    ).reason.endswith("has 1")


def test_required_checks_must_be_there_and_succeed() -> None:
    policy = MergePolicy(required_checks=("tests", "e2e"))
    plan = decide_merge(GREEN, policy)
    assert (plan.action, plan.reason) == (
        "wait",
        "#7 waits for the required check(s) e2e to succeed",
    )
    with_e2e = replace(
        GREEN, checks=(*GREEN.checks, Check("e2e", "check_run", "completed", "success"))
    )
    assert decide_merge(with_e2e, policy).action == "merge"
