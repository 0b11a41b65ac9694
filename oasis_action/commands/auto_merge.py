"""`auto-merge`: merge pull requests that are approved, green and mergeable, each on its head SHA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oasis_action import events
from oasis_action.context import Context
from oasis_action.decisions.merge import MergePlan, MergePolicy, decide_merge
from oasis_action.errors import BudgetExhausted, JobFailed, OasisError
from oasis_action.github.events import (
    NO_PULL,
    EventContext,
    ignored_actor,
    names_no_pull,
    read_supported_event,
)
from oasis_action.github.failures import GitHubError, HeadMoved
from oasis_action.github.port import GitHubPort, MergeResult
from oasis_action.markdown import cell, table
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, PULL_NUMBER, Kind, Option
from oasis_action.outcome import Outcome, Output

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

OUTPUTS = (
    Output("merged", "true when a pull request was merged", False),
    Output("pull-number", "the pull request merged (or the one evaluated, when only one was)"),
    Output("sha", "the head SHA that was merged"),
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
class PullOutcome:
    number: int
    plan: MergePlan
    merged: bool = False
    note: str = ""
    handed_over: str = ""
    """`auto-merge-enabled` or `queued` when GitHub was asked to merge it later."""


def _perform(port: GitHubPort, number: int, config: Config, policy: MergePolicy) -> PullOutcome:
    state = port.pull_request_state(number)
    plan = decide_merge(state, policy)
    outcome = PullOutcome(number, plan)
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
    port: GitHubPort, state: Any, plan: MergePlan, config: Config, outcome: PullOutcome
) -> PullOutcome:
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


def render_summary(outcomes: list[PullOutcome], api_calls: int, stopped: str = "") -> str:
    rows = [
        (f"#{o.number}", o.plan.action, cell(o.plan.reason), cell(o.note or "-")) for o in outcomes
    ]
    text = f"## OASIS auto-merge\n\n{table(('PR', 'decision', 'why', 'result'), rows)}\n\nAPI calls: {api_calls}"
    return text + (f"\n\n**Stopped early:** {stopped}" if stopped else "")


def _policy(config: Config) -> MergePolicy:
    return MergePolicy(
        config.required_approvals,
        config.required_labels,
        config.blocking_labels,
        config.allow_forks,
        config.update_branch,
        config.allowed_bots,
        config.required_checks,
    )


def _nothing_to_do(event: EventContext, config: Config) -> str:
    """Why this event asks for no decision at all; '' when there is work."""
    ignored = ignored_actor(event, config.ignore_actors)
    if ignored or event.name != "merge_group":
        return ignored or (NO_PULL if names_no_pull(event) and not config.pull_number else "")
    return QUEUE_RUN


def run(config: Config, ctx: Context) -> Outcome:
    event = read_supported_event(ctx.runner, EVENTS, "auto-merge")
    nothing = _nothing_to_do(event, config)
    if nothing:
        ctx.reporter.info(nothing)
        return Outcome(reason=nothing)
    outcomes: list[PullOutcome] = []
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        numbers = [config.pull_number] if config.pull_number else list(event.pull_numbers)
        try:
            numbers = numbers or port.open_pull_numbers()
            for number in numbers:
                outcome = _perform(port, number, config, _policy(config))
                outcomes.append(outcome)
                ctx.reporter.info(
                    f"{outcome.plan.reason}: {outcome.plan.action}{' -> ' + outcome.note if outcome.note else ''}"
                )
        except OasisError as error:
            left = [n for n in numbers if n not in {o.number for o in outcomes}]
            stopped = f"{error}; not evaluated: {', '.join(f'#{n}' for n in left) or 'the open pull requests'}"
            partial = _outcome(outcomes, render_summary(outcomes, ctx.api_calls, stopped))
            if isinstance(error, BudgetExhausted):
                raise JobFailed(stopped).with_outcome(partial) from None
            raise error.with_outcome(partial) from error
    for merged in (o for o in outcomes if o.merged):
        events.record(ctx.events_store, "merge", pull=merged.number, sha=merged.plan.sha)
    return _outcome(outcomes, render_summary(outcomes, ctx.api_calls))


def _outcome(outcomes: list[PullOutcome], summary: str) -> Outcome:
    merged = [o for o in outcomes if o.merged]
    handed = [o for o in outcomes if o.handed_over]
    number = merged[0].number if merged else (outcomes[0].number if len(outcomes) == 1 else "")
    return Outcome(
        action_taken="merged" if merged else handed[0].handed_over if handed else "none",
        reason=overall_reason(outcomes),
        outputs={
            "merged": bool(merged),
            "pull-number": number,
            "sha": merged[0].plan.sha if merged else "",
        },
        summary=[summary],
    )


def overall_reason(outcomes: list[PullOutcome]) -> str:
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
