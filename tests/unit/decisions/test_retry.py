from __future__ import annotations

from dataclasses import replace

import pytest

from oasis_action.decisions.retry import RetryPolicy, decide_retry
from oasis_action.github.port import Job, RunState
from oasis_action.triage.rules import Classification

RUN = RunState(
    id=9,
    attempt=1,
    status="completed",
    conclusion="failure",
    head_sha="a" * 40,
    event="pull_request",
    pull_numbers=(3,),
    jobs=(
        Job(1, "build", "completed", "failure"),
        Job(2, "lint", "completed", "success"),
        Job(3, "docs", "completed", "success"),
    ),
)


def verdict(category: str, confidence: float = 0.9, sig: str = "x") -> Classification:
    return Classification(
        category,
        category in ("network", "infrastructure", "timeout", "resource"),
        confidence,
        "",
        sig,
    )


@pytest.mark.parametrize("attempt", [1, 2, 3, 4])
def test_attempt_boundaries(attempt: int) -> None:
    plan = decide_retry(
        replace(RUN, attempt=attempt), {"build": verdict("network")}, RetryPolicy(max_attempts=3)
    )
    assert plan.action == ("rerun" if attempt < 3 else "none")
    if attempt < 3:
        assert plan.attempt == attempt + 1 and plan.reason.startswith(f"attempt {attempt + 1} of 3")
    else:
        assert "no retries left" in plan.reason


@pytest.mark.parametrize(
    "category", ["test-failure", "compile-error", "lint-format", "config", "dependency", "unknown"]
)
def test_never_retried_categories(category: str) -> None:
    plan = decide_retry(RUN, {"build": verdict(category, 0.99)}, RetryPolicy())
    assert plan.action == "none" and f"failed with {category}" in plan.reason


@pytest.mark.parametrize("category", ["network", "infrastructure", "timeout", "resource"])
def test_retried_categories(category: str) -> None:
    assert decide_retry(RUN, {"build": verdict(category)}, RetryPolicy()).action == "rerun"


def test_one_bad_job_among_flakes_blocks_the_retry() -> None:
    plan = decide_retry(
        RUN, {"build": verdict("network"), "unit": verdict("test-failure")}, RetryPolicy()
    )
    assert plan.action == "none" and "job unit failed with test-failure" in plan.reason


def test_confidence_threshold_and_retry_on() -> None:
    assert (
        "confidence 0.50 < 0.60"
        in decide_retry(RUN, {"build": verdict("network", 0.5)}, RetryPolicy()).reason
    )
    assert (
        decide_retry(RUN, {"build": verdict("timeout")}, RetryPolicy(retry_on=("network",))).action
        == "none"
    )


def test_mass_failure_is_not_a_flake() -> None:
    jobs = tuple(Job(i, f"job{i}", "completed", "failure") for i in range(5))
    run = replace(RUN, jobs=jobs)
    plan = decide_retry(run, {j.name: verdict("network", sig="same") for j in jobs}, RetryPolicy())
    assert plan.action == "none" and "5 of 5 jobs failed the same way" in plan.reason
    mixed = {j.name: verdict("network", sig=f"s{j.id}") for j in jobs}
    assert decide_retry(run, mixed, RetryPolicy()).action == "rerun"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "in_progress"}, "is in_progress"),
        ({"conclusion": "success"}, "concluded success"),
        ({"conclusion": "cancelled"}, "concluded cancelled"),
        ({"jobs": ()}, "no failed job"),
    ],
)
def test_nothing_to_retry(change: dict[str, object], reason: str) -> None:
    assert reason in decide_retry(replace(RUN, **change), {}, RetryPolicy()).reason  # type: ignore[arg-type]


def test_stale_trigger_does_not_retry_again() -> None:
    plan = decide_retry(
        replace(RUN, attempt=2), {"build": verdict("network")}, RetryPolicy(), event_attempt=1
    )
    assert plan.action == "none" and "another trigger" in plan.reason
