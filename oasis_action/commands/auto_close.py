"""`auto-close`: close pull requests whose CI keeps failing on the same head, with an explanation."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action import events
from oasis_action.context import Context
from oasis_action.decisions.close import ClosePlan, ClosePolicy, decide_close
from oasis_action.errors import BudgetExhausted, JobFailed, OasisError
from oasis_action.github.events import NO_PULL, ignored_actor, names_no_pull, read_supported_event
from oasis_action.github.port import FailedRun, GitHubPort, PullSummary, own_comment
from oasis_action.markdown import cell, code_span, table
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, PULL_NUMBER, Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.triage.classifier import classify

EVENTS = ("workflow_run", "schedule", "workflow_dispatch")
MARKER = "<!-- oasis:auto-close -->"
LABEL = "oasis:closed-failing"

OPTIONS = (
    PULL_NUMBER,
    Option(
        "max-failures",
        Kind.INT,
        default=3,
        minimum=1,
        maximum=100,
        help="failed CI attempts on the head SHA that close a PR",
    ),
    Option("exempt-labels", Kind.LIST, default=("keep-open",), help="labels that keep a PR open"),
    IGNORE_ACTORS,
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("closed", "true when a pull request was closed", False),
    Output("pull-number", "the pull request closed (or the one evaluated)"),
)


@dataclass(frozen=True)
class Config:
    pull_number: int | None
    max_failures: int
    exempt_labels: tuple[str, ...]
    ignore_actors: tuple[str, ...]
    dry_run: bool
    max_api_calls: int
    repo: str | None


def explain(port: GitHubPort, pull: PullSummary, runs: list[FailedRun], plan: ClosePlan) -> str:
    """The closing comment: which jobs failed, their triage category, how to reopen."""
    latest = max(runs, key=lambda r: r.id)
    state = port.workflow_run(latest.id)
    rows = [
        MARKER,
        "### OASIS closed this pull request",
        "",
        plan.reason + ".",
        "",
        "| job | category | failing step | the line that decided |",
        "|---|---|---|---|",
    ]
    for job in state.failed_jobs:
        verdict = classify(port.job_log(job.id))
        line = verdict.excerpt.splitlines()[-1] if verdict.excerpt else ""
        step = code_span(verdict.step[:80]) if verdict.step else ""
        rows.append(f"| {cell(job.name)} | {verdict.category} | {step} | {code_span(line[:120])} |")
    rows += [
        "",
        f"Push a fix to `{pull.head_sha[:7]}`'s branch and reopen the pull request, or add one of the exempt labels to keep it open.",
    ]
    return "\n".join(rows)


def _close(
    port: GitHubPort,
    pull: PullSummary,
    runs: list[FailedRun],
    plan: ClosePlan,
    authors: tuple[str, ...],
) -> None:
    """Comment once, label, close: a re-run after a crash between steps repeats nothing."""
    if own_comment(port.comments(pull.number), MARKER, authors) is None:
        port.create_comment(pull.number, explain(port, pull, runs, plan))
    port.add_labels(pull.number, [LABEL])
    port.close_pull(pull.number)


def _targets(
    config: Config, event_pulls: tuple[int, ...], pulls: list[PullSummary]
) -> list[PullSummary]:
    wanted = {config.pull_number} if config.pull_number else set(event_pulls)
    return [p for p in pulls if not wanted or p.number in wanted]


def run(config: Config, ctx: Context) -> Outcome:
    event = read_supported_event(ctx.runner, EVENTS, "auto-close")
    nothing = ignored_actor(event, config.ignore_actors) or (
        NO_PULL if names_no_pull(event) and not config.pull_number else ""
    )
    if nothing:
        ctx.reporter.info(nothing)
        return Outcome(reason=nothing)
    policy = ClosePolicy(config.max_failures, config.exempt_labels)
    decided: list[tuple[int, ClosePlan]] = []
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        try:
            for pull in _targets(config, event.pull_numbers, port.open_pulls()):
                runs = port.failed_runs(pull)
                plan = decide_close(pull, sum(r.attempts for r in runs), policy)
                if plan.action == "close":
                    _close(port, pull, runs, plan, config.ignore_actors)
                decided.append((pull.number, plan))
                ctx.reporter.info(f"{plan.reason}: {plan.action}")
        except OasisError as error:
            closed = [n for n, plan in decided if plan.action == "close"]
            stopped = f"{error}; closed so far: {', '.join(f'#{n}' for n in closed) or 'none'}"
            partial = _outcome(config, decided, ctx.api_calls, stopped)
            if isinstance(error, BudgetExhausted):
                raise JobFailed(stopped).with_outcome(partial) from None
            raise error.with_outcome(partial) from error
    if not config.dry_run:
        for number, plan in decided:
            if plan.action == "close":
                events.record(ctx.events_store, "close", pull=number)
    return _outcome(config, decided, ctx.api_calls)


def _outcome(
    config: Config, decided: list[tuple[int, ClosePlan]], api_calls: int, stopped: str = ""
) -> Outcome:
    closed = [number for number, plan in decided if plan.action == "close"]
    done = bool(closed) and not config.dry_run
    if closed:
        reason = f"closed {', '.join(f'#{n}' for n in closed)}"
    elif len(decided) == 1:
        reason = decided[0][1].reason
    else:
        reason = f"no pull request reached {config.max_failures} failures"
    rows = [(f"#{number}", plan.action, cell(plan.reason)) for number, plan in decided]
    summary = (
        f"## OASIS auto-close\n\n{table(('PR', 'decision', 'why'), rows)}\n\nAPI calls: {api_calls}"
    )
    return Outcome(
        action_taken="closed" if done else "none",
        reason=reason,
        outputs={
            "closed": done,
            "pull-number": closed[0] if closed else (config.pull_number or ""),
        },
        summary=[summary + (f"\n\n**Stopped early:** {stopped}" if stopped else "")],
    )
