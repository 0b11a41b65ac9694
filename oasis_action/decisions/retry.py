"""Is this failed run worth a retry? Only when every failed job is a retryable hiccup."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from oasis_action.github.port import RunState
from oasis_action.learning.rates import RerunHistory, attempts_for
from oasis_action.triage.rules import Classification

MASS_FAILURE_MIN_JOBS = 3
MASS_FAILURE_SHARE = 0.8


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    retry_on: tuple[str, ...] = ("network", "infrastructure", "timeout", "resource")
    min_confidence: float = 0.6
    history: RerunHistory = field(default_factory=RerunHistory)
    """What reruns did on this repository (empty: no learned state yet)."""


@dataclass(frozen=True)
class RetryPlan:
    action: str
    reason: str
    category: str
    attempt: int


def precheck(run: RunState, policy: RetryPolicy, event_attempt: int | None) -> RetryPlan | None:
    """Reasons not to retry that need no log: saves the log downloads."""

    def none(reason: str) -> RetryPlan:
        return RetryPlan("none", reason, "", run.attempt)

    if run.status != "completed":
        return none(f"run {run.id} is {run.status} (attempt {run.attempt})")
    if run.conclusion != "failure":
        return none(f"run {run.id} concluded {run.conclusion}, not failure")
    if event_attempt is not None and run.attempt > event_attempt:
        return none(f"run {run.id} is already at attempt {run.attempt}: another trigger retried it")
    if run.attempt >= policy.max_attempts:
        return none(f"attempt {run.attempt} of {policy.max_attempts}: no retries left")
    if not run.failed_jobs:
        return none(f"run {run.id} has no failed job to rerun")
    return None


def _mass_failure(run: RunState, verdicts: dict[str, Classification]) -> str:
    if len(verdicts) < MASS_FAILURE_MIN_JOBS:
        return ""
    signature, count = Counter(v.signature for v in verdicts.values()).most_common(1)[0]
    if count / max(1, len(run.jobs)) >= MASS_FAILURE_SHARE:
        return (
            f"{count} of {len(run.jobs)} jobs failed the same way ({signature[:80]}): not a flake"
        )
    return ""


def decide_retry(
    run: RunState,
    verdicts: dict[str, Classification],
    policy: RetryPolicy,
    event_attempt: int | None = None,
) -> RetryPlan:
    """`verdicts`: job name -> classification of its log, for every failed job."""
    early = precheck(run, policy, event_attempt)
    if early is not None:
        return early
    worst = min(
        verdicts.items(), key=lambda item: (item[1].category in policy.retry_on, item[1].confidence)
    )
    name, verdict = worst
    if verdict.category not in policy.retry_on:
        return RetryPlan(
            "none",
            f"job {name} failed with {verdict.category}, which is not retried",
            verdict.category,
            run.attempt,
        )
    if verdict.confidence < policy.min_confidence:
        return RetryPlan(
            "none",
            f"job {name} looks like {verdict.category} with confidence {verdict.confidence:.2f} < {policy.min_confidence:.2f}",
            verdict.category,
            run.attempt,
        )
    mass = _mass_failure(run, verdicts)
    if mass:
        return RetryPlan("none", mass, verdict.category, run.attempt)
    learned = _learned(run, verdicts, policy)
    if isinstance(learned, RetryPlan):
        return learned
    limit, evidence = learned
    categories = ", ".join(sorted({v.category for v in verdicts.values()}))
    return RetryPlan(
        "rerun",
        f"attempt {run.attempt + 1} of {limit}: every failed job is retryable ({categories}){evidence}",
        verdict.category,
        run.attempt + 1,
    )


def _learned(
    run: RunState, verdicts: dict[str, Classification], policy: RetryPolicy
) -> RetryPlan | tuple[int, str]:
    """What this repository's history says: no rerun for a job (or category) whose reruns
    never pass; otherwise the attempts its rerun rate calls for, within max-attempts."""
    limit, evidence = policy.max_attempts, ""
    for job, verdict in sorted(verdicts.items()):
        found = policy.history.rate_for(job, verdict.category)
        if found is None:
            continue
        label, rate = found
        if rate.passed == 0:
            reason = f"job {job} failed with {verdict.category}; reruns of {label} never pass here ({rate})"
            return RetryPlan("none", reason, verdict.category, run.attempt)
        wanted = attempts_for(rate.rate, policy.max_attempts)
        if wanted < limit or not evidence:
            limit, evidence = min(limit, wanted), f"; {label}: {rate}"
    if run.attempt >= limit:
        return RetryPlan(
            "none",
            f"attempt {run.attempt} of {limit} (from this repository's rerun rate{evidence}): no retries left",
            "",
            run.attempt,
        )
    return limit, evidence
