"""The learned state's integrity and bounds, rerun rates, attempts, test parameters, and the
triage model gate: decisions without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oasis_action.decisions.retry import RetryPolicy, decide_retry
from oasis_action.github.port import Job, RunState
from oasis_action.learning import params
from oasis_action.learning.rates import RerunHistory, RerunRate, attempts_for, rerun_history
from oasis_action.learning.state import MAX_RUNS, FailedRun, LearnedState, TestRecord, from_text
from oasis_action.triage.rules import Classification
from oasis_action.triage.versions import GateScore, passes


def failed(run_id: int, attempts: int, conclusion: str, job: str = "build") -> FailedRun:
    return FailedRun(run_id, "a" * 40, attempts, conclusion, ((job, "network"),), ("log",))


def test_the_state_round_trips_and_refuses_any_change() -> None:
    state = LearnedState(
        7, "now", (failed(7, 2, "success"),), {"t::a": TestRecord(3, 1, 1, 1, (0.5,))}
    )
    text = state.to_text()
    assert from_text(text) == state
    data = json.loads(text)
    data["runs"][0]["conclusion"] = "failure"
    assert from_text(json.dumps(data)) is None
    assert from_text("not json") is None and from_text(json.dumps({"format": 9})) is None


def test_the_state_stays_bounded_and_merges() -> None:
    many = [failed(n, 2, "success") for n in range(MAX_RUNS + 50)]
    state = LearnedState().with_new(many, {"t::a": TestRecord(1, 0)}, MAX_RUNS + 49, "now")
    assert len(state.runs) == MAX_RUNS and state.runs[0].id == 50
    again = state.with_new([failed(1, 2, "success")], {"t::a": TestRecord(2, 1)}, 3, "later")
    assert again.last_run_id == MAX_RUNS + 49 and again.tests["t::a"].runs == 3


def test_rates_by_job_and_category() -> None:
    state = LearnedState(
        runs=(failed(1, 2, "success"), failed(2, 2, "failure"), failed(3, 1, "failure"))
    )
    history = rerun_history(state)
    assert history.by_job["build"] == RerunRate(2, 1) and history.by_category[
        "network"
    ] == RerunRate(2, 1)
    assert history.rate_for("build", "network") is None, "two reruns are not evidence yet"


@pytest.mark.parametrize(
    ("rate", "cap", "attempts"), [(0.0, 3, 1), (1.0, 5, 2), (0.5, 10, 6), (0.5, 3, 3), (0.9, 5, 3)]
)
def test_attempts_from_the_rate(rate: float, cap: int, attempts: int) -> None:
    assert attempts_for(rate, cap) == attempts


def run_state(attempt: int = 1) -> RunState:
    job = Job(1, "deploy", "completed", "failure")
    return RunState(9, attempt, "completed", "failure", "a" * 40, "push", (), (job,))


def test_retry_decision_uses_the_history() -> None:
    verdict = {"deploy": Classification("network", True, 0.9, "reset", "sig")}
    never = RerunHistory({"deploy": RerunRate(4, 0)})
    plan = decide_retry(run_state(), verdict, RetryPolicy(history=never))
    assert plan.action == "none" and "never pass here (0 of 4 reruns passed)" in plan.reason
    usually = RerunHistory({}, {"network": RerunRate(10, 10)})
    plan = decide_retry(run_state(), verdict, RetryPolicy(max_attempts=5, history=usually))
    assert plan.action == "rerun" and plan.reason.startswith("attempt 2 of 2:")
    assert "category network: 10 of 10 reruns passed" in plan.reason
    plan = decide_retry(run_state(2), verdict, RetryPolicy(max_attempts=5, history=usually))
    assert plan.action == "none" and "no retries left" in plan.reason


def test_parameters_and_labels() -> None:
    flaky = TestRecord(10, 3, 1, 1, (1.0, 2.0, 3.0))
    assert params.parameters(flaky) == {"quarantined": True, "reruns": 4, "timeout": 30}
    assert params.parameters(TestRecord(5, 0, 0, 0, (100.0,) * 3)) == {"timeout": 500}
    assert params.parameters(TestRecord(5, 0)) == {}
    state = LearnedState(
        runs=(
            FailedRun(1, "s", 2, "success", (("a", "network"),), ("reset",)),
            FailedRun(2, "s", 2, "success", (("b", "test-failure"),), ("assert",)),
            FailedRun(3, "s", 2, "failure", (("c", "compile-error"),), ("error:",)),
            FailedRun(4, "s", 2, "failure", (("d", "network"),), ("refused",)),
        )
    )
    lines = [json.loads(line) for line in params.labels(state).splitlines()]
    assert [(line["job"], line.get("category")) for line in lines] == [
        ("a", "network"),
        ("b", None),
        ("c", "compile-error"),
    ]


def test_the_triage_gate() -> None:
    assert passes(GateScore(0.9, 0, 10), GateScore(0.9, 0, 10))
    assert not passes(GateScore(0.95, 1, 10), GateScore(0.9, 0, 10))
    assert not passes(GateScore(0.8, 0, 10), GateScore(0.9, 0, 10))


def test_the_versions_refuse_a_missing_model(tmp_path: Path) -> None:
    from oasis_action.errors import JobFailed
    from oasis_action.triage.versions import ModelRegistry

    with pytest.raises(JobFailed, match="is not in"):
        ModelRegistry(tmp_path).use(3)
