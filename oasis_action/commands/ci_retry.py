"""`ci-retry`: rerun the failed jobs of a run when every failure is an infrastructure hiccup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oasis_action import events
from oasis_action.context import Context
from oasis_action.decisions.retry import RetryPlan, RetryPolicy, decide_retry, precheck
from oasis_action.errors import InputError
from oasis_action.github.events import read_supported_event
from oasis_action.github.port import FullPort, GitHubPort, RunState, own_comment
from oasis_action.learning.rates import RerunHistory
from oasis_action.markdown import cell, code_span, fence_for, table
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.triage import CATEGORIES
from oasis_action.triage.classifier import classify_many
from oasis_action.triage.rules import Classification

EVENTS = ("workflow_run", "workflow_dispatch", "schedule")
MARKER = "<!-- oasis:ci-retry -->"

OPTIONS = (
    Option(
        "run-id",
        Kind.INT,
        minimum=1,
        help="the workflow run (default: from the workflow_run event)",
    ),
    Option(
        "max-attempts",
        Kind.INT,
        default=3,
        minimum=1,
        maximum=10,
        help="most attempts of a run, the first included",
    ),
    Option(
        "retry-on",
        Kind.LIST,
        default=("network", "infrastructure", "timeout", "resource"),
        help="categories worth a retry",
    ),
    Option(
        "min-confidence",
        Kind.FLOAT,
        default=0.6,
        minimum=0,
        maximum=1,
        help="least confidence for a retry",
    ),
    Option(
        "comment",
        Kind.BOOL,
        default=True,
        help="explain on the run's pull requests (one comment, edited in place)",
    ),
    Option(
        "state-branch",
        default="oasis-state",
        help="branch holding what `oasis learn` learned (rerun rates); empty: ignore history",
    ),
    IGNORE_ACTORS,
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("attempt", "the run's attempt after this step (the new one when it was rerun)"),
    Output("category", "the failure category that decided (see the triage categories)"),
    Output("retried", "true when the failed jobs were rerun", False),
)


@dataclass(frozen=True)
class Config:
    run_id: int | None
    max_attempts: int
    retry_on: tuple[str, ...]
    min_confidence: float
    comment: bool
    state_branch: str
    ignore_actors: tuple[str, ...]
    dry_run: bool
    max_api_calls: int
    repo: str | None


def _verdicts(port: GitHubPort, run: RunState, state_dir: Path) -> dict[str, Classification]:
    texts = [port.job_log(job.id) for job in run.failed_jobs]
    verdicts = classify_many(texts, state_dir=state_dir)
    return {job.name: verdict for job, verdict in zip(run.failed_jobs, verdicts, strict=True)}


def render_comment(
    run: RunState, verdicts: dict[str, Classification], plan: RetryPlan, retried: bool
) -> str:
    rows = [
        MARKER,
        f"### OASIS ci-retry: run {run.id} failed",
        "",
        "| job | category | retryable | confidence |",
        "|---|---|---|---|",
    ]
    rows += [
        f"| {cell(name)} | {v.category} | {'yes' if v.retryable else 'no'} | {v.confidence:.2f} |"
        for name, v in verdicts.items()
    ]
    for name, verdict in verdicts.items():
        fence = fence_for(verdict.excerpt)
        step = f" in step {code_span(verdict.step)}" if verdict.step else ""
        rows += [
            "",
            f"<details><summary>{cell(name)}: failed{step}; the lines that decided</summary>",
            "",
            fence,
            verdict.excerpt,
            fence,
            "",
            "</details>",
        ]
    outcome = (
        f"**OASIS reran the failed jobs** ({plan.reason})."
        if retried
        else f"**Not retried:** {plan.reason}."
    )
    return "\n".join([*rows, "", outcome])


def _comment(
    port: GitHubPort, numbers: tuple[int, ...], body: str, authors: tuple[str, ...]
) -> None:
    for number in numbers:
        existing = own_comment(port.comments(number), MARKER, authors)
        if existing:
            port.edit_comment(number, existing.id, body)
        else:
            port.create_comment(number, body)


def _rerun(port: GitHubPort, run: RunState, plan: RetryPlan) -> tuple[bool, RetryPlan]:
    """Rerun only if the run is still where we saw it: a concurrent trigger may have been faster."""
    fresh = port.workflow_run(run.id)
    if fresh.attempt != run.attempt or fresh.status != "completed":
        return False, RetryPlan(
            "none",
            f"run {run.id} is already at attempt {fresh.attempt} ({fresh.status}): another trigger retried it",
            plan.category,
            fresh.attempt,
        )
    if port.rerun_failed_jobs(run.id) is False:
        return False, RetryPlan(
            "none",
            f"GitHub refused to rerun run {run.id}: another trigger retried it (it is running again)",
            plan.category,
            fresh.attempt,
        )
    return True, plan


def _history(port: FullPort, branch: str, ctx: Context) -> RerunHistory:
    """This repository's rerun rates from the learned state (empty without one)."""
    if not branch:
        return RerunHistory()
    from oasis_action.github.failures import GitHubError
    from oasis_action.learning.rates import rerun_history
    from oasis_action.learning.remote import read_state

    try:
        learned, why = read_state(port, branch)
    except GitHubError as error:  # a token without `contents: read`: decide as before
        learned, why = None, f"the learned state could not be read ({error})"
    if learned is None:
        ctx.reporter.info(f"{why}; deciding without history")
        return RerunHistory()
    return rerun_history(learned)


def record_events(
    store: Path, run_id: int, verdicts: dict[str, Classification], rerun_category: str | None
) -> None:
    for job, verdict in verdicts.items():
        events.record(store, "failure", category=verdict.category, run=run_id, job=job)
    if rerun_category is not None:
        events.record(store, "rerun", category=rerun_category, run=run_id)


def run(config: Config, ctx: Context) -> Outcome:
    unknown = sorted(set(config.retry_on) - set(CATEGORIES))
    if unknown:
        raise InputError(f"retry-on has unknown categories: {', '.join(unknown)}")
    event = read_supported_event(ctx.runner, EVENTS, "ci-retry")
    run_id = config.run_id or event.run_id
    if run_id is None:
        raise InputError("no run to retry: pass run-id (or run on a workflow_run event)")
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        policy = RetryPolicy(
            config.max_attempts,
            config.retry_on,
            config.min_confidence,
            _history(port, config.state_branch, ctx),
        )
        state = port.workflow_run(run_id)
        event_attempt = event.run_attempt if event.run_id == run_id else None
        verdicts: dict[str, Classification] = {}
        plan = precheck(state, policy, event_attempt)
        if plan is None:
            verdicts = _verdicts(port, state, ctx.state_dir)
            plan = decide_retry(state, verdicts, policy, event_attempt)
        retried = False
        if plan.action == "rerun":
            retried, plan = _rerun(port, state, plan)
            retried = retried and not config.dry_run
        lost_race = "another trigger" in plan.reason
        if config.comment and verdicts and state.pull_numbers and not lost_race:
            _comment(
                port,
                state.pull_numbers,
                render_comment(state, verdicts, plan, retried or plan.action == "rerun"),
                config.ignore_actors,
            )
    record_events(ctx.events_store, run_id, verdicts, plan.category if retried else None)
    ctx.reporter.info(plan.reason)
    summary = table(
        ("run", "attempt", "category", "action", "why"),
        [(run_id, plan.attempt, plan.category or "-", plan.action, cell(plan.reason))],
    )
    return Outcome(
        action_taken="rerun" if retried else "none",
        reason=plan.reason,
        outputs={"attempt": plan.attempt, "category": plan.category, "retried": retried},
        summary=[f"## OASIS ci-retry\n\n{summary}\n\nAPI calls: {ctx.api_calls}"],
    )
