"""`auto-close`: close pull requests whose CI keeps failing on the same head, with an explanation."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action import events
from oasis_action.decisions.close import ClosePlan, ClosePolicy, decide_close
from oasis_action.errors import BudgetExhausted, JobFailed
from oasis_action.github.client import connect, settings_for
from oasis_action.github.events import (
    NO_PULL,
    names_no_pull,
    read_supported_event,
    skip_ignored_actor,
)
from oasis_action.github.port import FailedRun, GitHubPort, PullSummary, own_comment
from oasis_action.markdown import cell, code_span
from oasis_action.options import GITHUB_OPTIONS, IGNORE_ACTORS, PULL_NUMBER, Kind, Option
from oasis_action.runner import Reporter
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


def run(config: Config, reporter: Reporter) -> int:
    context = reporter.context
    event = read_supported_event(context, EVENTS, "auto-close")
    if skip_ignored_actor(event, config.ignore_actors, reporter):
        return 0
    if names_no_pull(event) and not config.pull_number:
        reporter.info(NO_PULL)
        for name, value in (("closed", False), ("pull-number", ""), ("action-taken", "none")):
            reporter.set_output(name, value)
        reporter.set_output("reason", NO_PULL)
        reporter.set_output("api-calls", 0)
        return 0
    policy = ClosePolicy(config.max_failures, config.exempt_labels)
    rows: list[str] = []
    closed: list[int] = []
    with connect(
        settings_for(context, config.repo, config.max_api_calls, config.dry_run), reporter.info
    ) as (port, budget):
        try:
            for pull in _targets(config, event.pull_numbers, port.open_pulls()):
                runs = port.failed_runs(pull)
                plan = decide_close(pull, sum(r.attempts for r in runs), policy)
                if plan.action == "close":
                    _close(port, pull, runs, plan, config.ignore_actors)
                    closed.append(pull.number)
                rows.append(f"| #{pull.number} | {plan.action} | {plan.reason} |")
                reporter.info(f"{plan.reason}: {plan.action}")
        except BudgetExhausted as spent:
            reporter.summary(_summary(rows, budget.used) + f"\n\n**Stopped early:** {spent}")
            reporter.set_output("api-calls", budget.used)
            raise JobFailed(
                f"{spent}; closed so far: {', '.join(f'#{n}' for n in closed) or 'none'}"
            ) from None
        api_calls = budget.used
    if not config.dry_run:
        for number in closed:
            events.record(context.workspace / events.DEFAULT_STORE, "close", pull=number)
    reporter.summary(_summary(rows, api_calls))
    reporter.set_output("closed", bool(closed) and not config.dry_run)
    reporter.set_output("pull-number", closed[0] if closed else (config.pull_number or ""))
    reporter.set_output("action-taken", "closed" if closed and not config.dry_run else "none")
    reporter.set_output(
        "reason",
        (
            f"closed {', '.join(f'#{n}' for n in closed)}"
            if closed
            else (
                rows[0].split(" | ")[2]
                if len(rows) == 1
                else f"no pull request reached {config.max_failures} failures"
            )
        ),
    )
    reporter.set_output("api-calls", api_calls)
    return 0


def _summary(rows: list[str], api_calls: int) -> str:
    return "\n".join(
        [
            "## OASIS auto-close",
            "",
            "| PR | decision | why |",
            "|---|---|---|",
            *rows,
            "",
            f"API calls: {api_calls}",
        ]
    )
