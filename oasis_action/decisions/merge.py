"""Should this pull request be merged now? Fail closed: anything unknown means "not yet"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oasis_action.github.port import PullRequestState, Review

PASSING = frozenset({"success", "neutral", "skipped"})
"""Conclusions that do not block; only `success` shows that something was actually checked."""
STATE_CHANGING = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


@dataclass(frozen=True)
class MergePolicy:
    required_approvals: int = 1
    required_labels: tuple[str, ...] = ()
    blocking_labels: tuple[str, ...] = ("do-not-merge", "wip")
    allow_forks: bool = False
    update_branch: bool = False
    allowed_bots: tuple[str, ...] = ()
    required_checks: tuple[str, ...] = ()
    """Checks that must be there and succeed; others still must not fail. (GitHub's own branch
    protection is honoured through `mergeable_state`: `blocked` waits.)"""


@dataclass(frozen=True)
class MergePlan:
    """`merge`, `update-branch`, `wait` (may pass later) or `skip` (needs a human), and why."""

    action: str
    reason: str
    sha: str


Stop = Callable[[str, str], MergePlan]


def latest_reviews(reviews: tuple[Review, ...]) -> dict[str, str]:
    """Each reviewer's latest state-changing review (a later comment does not undo an approval)."""
    latest: dict[str, str] = {}
    for review in sorted(reviews, key=lambda r: r.submitted_at):
        if review.state in STATE_CHANGING:
            latest[review.user] = review.state
    return latest


def _gate(pr: PullRequestState, policy: MergePolicy) -> MergePlan | None:
    """The first condition that stops a merge, checked in the order a human would."""

    def stop(action: str, reason: str) -> MergePlan:
        return MergePlan(action, f"#{pr.number} {reason}", pr.head_sha)

    if pr.state != "open" or pr.merged:
        return stop("skip", "is not open")
    if pr.draft:
        return stop("skip", "is a draft")
    if pr.from_fork and not policy.allow_forks:
        return stop("skip", "comes from a fork and allow-forks is false")
    blocking = sorted(set(pr.labels) & set(policy.blocking_labels))
    if blocking:
        return stop("skip", f"has the blocking label {', '.join(blocking)}")
    missing = sorted(set(policy.required_labels) - set(pr.labels))
    if missing:
        return stop("wait", f"lacks the required label {', '.join(missing)}")
    return (
        _reviews_gate(pr, policy, stop)
        or _required_gate(pr, policy, stop)
        or _checks_gate(pr, stop)
        or _mergeable_gate(pr, policy, stop)
    )


def _reviews_gate(pr: PullRequestState, policy: MergePolicy, stop: Stop) -> MergePlan | None:
    on_head = tuple(
        r for r in pr.reviews if r.commit_id == pr.head_sha or r.state == "CHANGES_REQUESTED"
    )
    latest = latest_reviews(on_head)
    blockers = sorted(user for user, state in latest.items() if state == "CHANGES_REQUESTED")
    if blockers:
        return stop("skip", f"has changes requested by {', '.join(blockers)}")
    approvals = sum(
        1 for user, state in latest.items() if state == "APPROVED" and counts(pr, policy, user)
    )
    if approvals < policy.required_approvals:
        return stop(
            "wait",
            f"needs {policy.required_approvals} approval(s) on {pr.head_sha[:7]}, has {approvals}",
        )
    return None


def counts(pr: PullRequestState, policy: MergePolicy, user: str) -> bool:
    """Whether `user`'s approval counts, as a careful maintainer would count it: never the PR's
    author, never someone who pushed its head commit, never a bot unless allowed, and only a
    reviewer with write (or higher) permission on the repository."""
    if user == pr.author or user in pr.pushers:
        return False
    if user.endswith("[bot]") and user not in policy.allowed_bots:
        return False
    return user in pr.write_access


def _required_gate(pr: PullRequestState, policy: MergePolicy, stop: Stop) -> MergePlan | None:
    passed = {c.name for c in pr.checks if c.status == "completed" and c.conclusion == "success"}
    missing = [name for name in policy.required_checks if name not in passed]
    if missing:
        return stop("wait", f"waits for the required check(s) {', '.join(missing)} to succeed")
    return None


def _checks_gate(pr: PullRequestState, stop: Stop) -> MergePlan | None:
    """Green the way branch protection means it: nothing failed, nothing still running or
    waiting for approval, and at least one check actually succeeded."""
    waiting_for_approval = sorted(c.name for c in pr.checks if c.conclusion == "action_required")
    if waiting_for_approval:
        return stop("wait", f"has checks waiting for approval: {', '.join(waiting_for_approval)}")
    for check in sorted(pr.checks, key=lambda c: c.name):
        if check.status == "completed" and check.conclusion not in PASSING:
            return stop("skip", f"has a failing check: {check.name} ({check.conclusion})")
    pending = sorted(c.name for c in pr.checks if c.status != "completed")
    if pending:
        return stop("wait", f"has checks still running: {', '.join(pending)}")
    if not pr.checks:
        return stop("wait", "has no checks yet: nothing says it is green")
    if not any(c.conclusion == "success" for c in pr.checks):
        return stop("wait", "has no successful check (only skipped or neutral ones)")
    return None


def _mergeable_gate(pr: PullRequestState, policy: MergePolicy, stop: Stop) -> MergePlan | None:
    if pr.mergeable is None or pr.mergeable_state in ("unknown", ""):
        return stop("wait", "has no mergeability computed by GitHub yet")
    if pr.mergeable is False or pr.mergeable_state == "dirty":
        return stop("skip", "has merge conflicts")
    if pr.mergeable_state == "behind":
        return (
            stop("update-branch", "is behind its base")
            if policy.update_branch
            else stop("wait", "is behind its base and update-branch is false")
        )
    if pr.mergeable_state in ("blocked", "draft"):
        return stop("wait", f"is {pr.mergeable_state} by branch protection")
    if pr.mergeable_state == "unstable":
        return stop("wait", "is unstable: a check that is not required is failing or pending")
    return None


def decide_merge(pr: PullRequestState, policy: MergePolicy) -> MergePlan:
    return _gate(pr, policy) or MergePlan(
        "merge", f"#{pr.number} is approved, green and mergeable", pr.head_sha
    )
