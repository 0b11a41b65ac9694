"""`auto-merge`: merge pull requests that are approved, green and mergeable, each on its head SHA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oasis_action import events
from oasis_action.decisions.merge import MergePlan, MergePolicy, decide_merge
from oasis_action.errors import BudgetExhausted, JobFailed
from oasis_action.github.client import HeadMoved, connect, settings_for
from oasis_action.github.events import (
    NO_PULL,
    names_no_pull,
    read_supported_event,
    skip_ignored_actor,
)
from oasis_action.github.failures import GitHubError
from oasis_action.github.port import GitHubPort, MergeResult
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, PULL_NUMBER, Kind, Option
from oasis_action.runner import Reporter

EVENTS = (
    "pull_request",
    "pull_request_review",
    "check_suite",
    "status",
    "schedule",
    "workflow_dispatch",
    "merge_group",
)
QUEUE_RUN = "merge_group: the merge queue merges this group; auto-merge has nothing to decide"

OPTIONS = (
    PULL_NUMBER,
    Option(
        "merge-method",
        Kind.CHOICE,
        default="squash",
        choices=("merge", "squash", "rebase"),
        help="how to merge",
    ),
    Option(
        "required-approvals",
        Kind.INT,
        default=1,
        minimum=0,
        maximum=100,
        help="approvals on the head SHA from distinct reviewers",
    ),
    Option("required-labels", Kind.LIST, default=(), help="labels a PR must carry"),
    Option(
        "blocking-labels",
        Kind.LIST,
        default=("do-not-merge", "wip"),
        help="labels that stop a merge",
    ),
    Option("allow-forks", Kind.BOOL, default=False, help="also merge pull requests from forks"),
    Option("delete-branch", Kind.BOOL, default=True, help="delete the head branch after the merge"),
    Option(
        "update-branch", Kind.BOOL, default=False, help="update a branch that is behind its base"
    ),
    Option(
        "merge-via",
        Kind.CHOICE,
        default="direct",
        choices=("direct", "auto-merge", "queue"),
        help="direct: merge now; auto-merge: enable GitHub's native auto-merge; queue: add to the merge queue",
    ),
    Option(
        "required-checks",
        Kind.LIST,
        default=(),
        help="checks that must be present and succeed (default: every check on the head must pass)",
    ),
    Option(
        "allowed-bots",
        Kind.LIST,
        default=(),
        help="bot accounts whose approval counts (with write permission); none by default",
    ),
    IGNORE_ACTORS,
    *GITHUB_OPTIONS,
)


@dataclass(frozen=True)
class Config:
    pull_number: int | None
    merge_method: str
    required_approvals: int
    required_labels: tuple[str, ...]
    blocking_labels: tuple[str, ...]
    allow_forks: bool
    delete_branch: bool
    update_branch: bool
    merge_via: str
    required_checks: tuple[str, ...]
    allowed_bots: tuple[str, ...]
    ignore_actors: tuple[str, ...]
    dry_run: bool
    max_api_calls: int
    repo: str | None


@dataclass
class Outcome:
    number: int
    plan: MergePlan
    merged: bool = False
    note: str = ""
    handed_over: str = ""
    """`auto-merge-enabled` or `queued` when GitHub was asked to merge it later."""


def _perform(port: GitHubPort, number: int, config: Config, policy: MergePolicy) -> Outcome:
    state = port.pull_request_state(number)
    plan = decide_merge(state, policy)
    outcome = Outcome(number, plan)
    if plan.action == "update-branch":
        port.update_branch(number, plan.sha)
        outcome.note = "branch update requested"
    if plan.action != "merge":
        return outcome
    if config.merge_via != "direct":
        return _hand_over(port, state, plan, config, outcome)
    try:
        result = merge_once(port, number, plan.sha, config.merge_method)
    except HeadMoved as moved:
        outcome.note = str(moved)
        return outcome
    except GitHubError as error:
        if "merge queue" not in str(error).lower():
            raise
        outcome.note = "the base branch merges through its merge queue: set merge-via: queue"
        return outcome
    outcome.merged = result.merged
    confirmed = result.merged and result.message.startswith("merged (confirmed")
    outcome.note = result.message if confirmed else "merged" if result.merged else result.message
    if result.merged and config.delete_branch and not state.from_fork:
        keep = port.why_keep_branch(state.head_ref)
        if keep:
            outcome.note += f"; branch kept: {keep}"
        else:
            port.delete_branch(state.head_ref)
    return outcome


def _hand_over(
    port: GitHubPort, state: Any, plan: MergePlan, config: Config, outcome: Outcome
) -> Outcome:
    """Native auto-merge or the merge queue, for the head SHA that was judged: GitHub merges
    when its own requirements pass (OASIS never merges past branch protection)."""
    try:
        if config.merge_via == "queue":
            outcome.note = port.enqueue(state.node_id, plan.sha) or "queued"
            outcome.handed_over = "queued"
        else:
            outcome.note = (
                port.enable_auto_merge(state.node_id, plan.sha, config.merge_method)
                or "auto-merge enabled"
            )
            outcome.handed_over = "auto-merge-enabled"
    except GitHubError as error:
        outcome.note = str(error)
    return outcome


def unclear(error: GitHubError) -> bool:
    """An answer that does not say whether the merge happened: a 5xx, or no answer at all."""
    return error.status is None or error.status >= 500


def merge_once(port: GitHubPort, number: int, sha: str, method: str) -> MergeResult:
    """Merge with the SHA guard; when the answer is lost (a proxy's 502, a timeout), ask GitHub
    whether it merged, and try again (same guard) only if it did not: never twice."""
    try:
        return port.merge(number, sha, method)
    except GitHubError as error:
        if not unclear(error):
            raise
        if port.is_merged(number):
            return MergeResult(True, "", f"merged (confirmed after: {error})")
        return port.merge(number, sha, method)


def render_summary(outcomes: list[Outcome], api_calls: int, stopped: str = "") -> str:
    rows = ["## OASIS auto-merge", "", "| PR | decision | why | result |", "|---|---|---|---|"]
    rows += [
        f"| #{o.number} | {o.plan.action} | {o.plan.reason} | {o.note or '-'} |" for o in outcomes
    ]
    rows += ["", f"API calls: {api_calls}"]
    if stopped:
        rows += ["", f"**Stopped early:** {stopped}"]
    return "\n".join(rows)


def run(config: Config, reporter: Reporter) -> int:
    context = reporter.context
    event = read_supported_event(context, EVENTS, "auto-merge")
    if skip_ignored_actor(event, config.ignore_actors, reporter):
        return 0
    policy = MergePolicy(
        config.required_approvals,
        config.required_labels,
        config.blocking_labels,
        config.allow_forks,
        config.update_branch,
        config.allowed_bots,
        config.required_checks,
    )
    nothing = NO_PULL if names_no_pull(event) and not config.pull_number else ""
    if event.name == "merge_group":
        nothing = QUEUE_RUN
    if nothing:
        reporter.info(nothing)
        reporter.set_output("reason", nothing)
        for name, value in (("merged", False), ("pull-number", ""), ("sha", "")):
            reporter.set_output(name, value)
        reporter.set_output("action-taken", "none")
        reporter.set_output("api-calls", 0)
        return 0
    outcomes: list[Outcome] = []
    settings = settings_for(context, config.repo, config.max_api_calls, config.dry_run)
    with connect(settings, reporter.info) as (port, budget):
        numbers = [config.pull_number] if config.pull_number else list(event.pull_numbers)
        try:
            numbers = numbers or port.open_pull_numbers()
            for number in numbers:
                outcome = _perform(port, number, config, policy)
                outcomes.append(outcome)
                reporter.info(
                    f"{outcome.plan.reason}: {outcome.plan.action}{' -> ' + outcome.note if outcome.note else ''}"
                )
        except BudgetExhausted as spent:
            left = [n for n in numbers if n not in {o.number for o in outcomes}]
            stopped = f"{spent}; not evaluated: {', '.join(f'#{n}' for n in left) or 'the open pull requests'}"
            reporter.summary(render_summary(outcomes, budget.used, stopped))
            reporter.set_output("api-calls", budget.used)
            raise JobFailed(stopped) from None
        reporter.summary(render_summary(outcomes, budget.used))
        reporter.set_output("api-calls", budget.used)
    merged = [o for o in outcomes if o.merged]
    for outcome in merged:
        store = reporter.context.workspace / events.DEFAULT_STORE
        events.record(store, "merge", pull=outcome.number, sha=outcome.plan.sha)
    reporter.set_output("merged", bool(merged))
    reporter.set_output(
        "pull-number",
        merged[0].number if merged else (outcomes[0].number if len(outcomes) == 1 else ""),
    )
    handed = [o for o in outcomes if o.handed_over]
    reporter.set_output("sha", merged[0].plan.sha if merged else "")
    taken = "merged" if merged else handed[0].handed_over if handed else "none"
    reporter.set_output("action-taken", taken)
    reporter.set_output("reason", overall_reason(outcomes))
    return 0


def overall_reason(outcomes: list[Outcome]) -> str:
    """One sentence for the `reason` output: what was merged or handed over, else why not."""
    merged = [o for o in outcomes if o.merged]
    if merged:
        return f"merged {', '.join(f'#{o.number}' for o in merged)}"
    if not outcomes:
        return "no open pull request to evaluate"
    first = next((o for o in outcomes if o.handed_over), outcomes[0])
    if first.handed_over or (first.plan.action == "merge" and first.note):
        return f"#{first.number}: {first.note}"
    return first.plan.reason
