"""Rerun success rates from the learned history: per job and per failure category."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from oasis_action.learning.state import LearnedState

MIN_EVIDENCE = 3
"""Reruns needed before a rate may stop a retry or shorten the attempts."""


@dataclass(frozen=True)
class RerunRate:
    reruns: int = 0
    passed: int = 0

    @property
    def rate(self) -> float:
        return self.passed / self.reruns if self.reruns else 0.0

    def __str__(self) -> str:
        return f"{self.passed} of {self.reruns} reruns passed"


@dataclass(frozen=True)
class RerunHistory:
    """What reruns did on this repository: by job name and by triage category."""

    by_job: Mapping[str, RerunRate] = field(default_factory=dict)
    by_category: Mapping[str, RerunRate] = field(default_factory=dict)

    def rate_for(self, job: str, category: str) -> tuple[str, RerunRate] | None:
        """The most specific rate with enough evidence: the job's, else its category's."""
        for label, rate in (
            (f"job {job}", self.by_job.get(job)),
            (f"category {category}", self.by_category.get(category)),
        ):
            if rate is not None and rate.reruns >= MIN_EVIDENCE:
                return label, rate
        return None


def rerun_history(state: LearnedState) -> RerunHistory:
    by_job: dict[str, RerunRate] = {}
    by_category: dict[str, RerunRate] = {}
    for run in state.runs:
        if not run.rerun:
            continue
        passed = int(run.rerun_passed)
        for job, _category in set(run.failed):
            seen = by_job.get(job, RerunRate())
            by_job[job] = RerunRate(seen.reruns + 1, seen.passed + passed)
        for category in {category for _, category in run.failed}:
            seen = by_category.get(category, RerunRate())
            by_category[category] = RerunRate(seen.reruns + 1, seen.passed + passed)
    return RerunHistory(by_job, by_category)


def attempts_for(rate: float, cap: int, miss: float = 0.05) -> int:
    """Attempts (the first included) so that a transient failure whose reruns pass with
    probability `rate` survives all of them with probability below `miss`; within `cap`."""
    if rate <= 0:
        return 1
    if rate >= 1:
        return min(cap, 2)
    return min(cap, 1 + math.ceil(math.log(miss) / math.log(1 - rate)))
