"""Should this pull request be closed for failing CI again and again?"""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.github.port import PullSummary


@dataclass(frozen=True)
class ClosePolicy:
    max_failures: int = 3
    exempt_labels: tuple[str, ...] = ("keep-open",)


@dataclass(frozen=True)
class ClosePlan:
    action: str
    reason: str


def decide_close(pull: PullSummary, failures: int, policy: ClosePolicy) -> ClosePlan:
    """`failures`: failed CI attempts on the pull request's current head SHA."""
    if pull.draft:
        return ClosePlan("none", f"#{pull.number} is a draft")
    exempt = sorted(set(pull.labels) & set(policy.exempt_labels))
    if exempt:
        return ClosePlan("none", f"#{pull.number} is exempt ({', '.join(exempt)})")
    if failures < policy.max_failures:
        return ClosePlan(
            "none",
            f"#{pull.number} has {failures} failed attempt(s) on {pull.head_sha[:7]}, fewer than {policy.max_failures}",
        )
    return ClosePlan(
        "close",
        f"#{pull.number} failed CI {failures} times on {pull.head_sha[:7]} (limit {policy.max_failures})",
    )
