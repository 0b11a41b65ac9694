"""`oasis triage`: classify CI failure logs, and its subcommands.

    oasis triage [classify] LOG [LOG...] [--json]  category, retryable, confidence, excerpt
    oasis triage train [--from DIR] [--history FILE] [--output FILE]
    oasis triage flaky REPORTS... [--json] [--quarantine FILE]
    oasis triage cluster LOG... [--json] [--similarity 0.6]

As an action: `run-id` (from the event) classifies that run's failed jobs, or `log` a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.outcome import Outcome, Output

SUBCOMMANDS = ("train", "flaky", "cluster")

OPTIONS = (
    Option(
        "logs",
        Kind.LIST,
        positional=True,
        many=True,
        default=(),
        cli_only=True,
        metavar="LOG",
        help="log files to classify",
    ),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="JSON output (one line per log)"),
    Option(
        "run-id",
        Kind.INT,
        minimum=1,
        help="classify this workflow run's failed jobs (default: from the event)",
    ),
    Option("log", metavar="FILE", help="classify this log file instead of a run"),
    Option(
        "events",
        cli_only=True,
        metavar="FILE",
        help="record each classification in this events file (default: none; only reads logs)",
    ),
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("category", "the failure category (of the deciding failed job for a run)", "unknown"),
    Output("retryable", "true when the failure is worth a retry", False),
    Output("confidence", "confidence of the category, 0 to 1", 0),
)


@dataclass(frozen=True)
class Config:
    logs: tuple[str, ...]
    json: bool
    run_id: int | None
    log: str | None
    events: str | None
    dry_run: bool
    max_api_calls: int
    repo: str | None


def _verdict_outcome(category: str, retryable: bool, confidence: float) -> Outcome:
    return Outcome(
        action_taken="classified",
        reason=f"classified as {category} (confidence {confidence:.2f})",
        outputs={"category": category, "retryable": retryable, "confidence": confidence},
    )


def classify_files(config: Config, ctx: Context, paths: list[str]) -> Outcome:
    from oasis_action import events
    from oasis_action.triage.classifier import classify_files as classify
    from oasis_action.triage.logs import read_log

    workspace = ctx.runner.workspace
    for path in paths:
        if not (workspace / path).is_file():
            raise InputError(f"log {path} does not exist")
    verdicts = classify([workspace / p for p in paths], read_log, ctx.state_dir)
    for path, verdict in zip(paths, verdicts, strict=True):
        data = verdict.to_json()
        if len(paths) > 1:
            data = {"file": path, **data}
        if config.json:
            ctx.reporter.result(json.dumps(data))
        else:
            prefix = f"{path}: " if len(paths) > 1 else ""
            ctx.reporter.result(
                f"{prefix}{verdict.category} (retryable: {'yes' if verdict.retryable else 'no'}, confidence {verdict.confidence:.2f})"
            )
            if verdict.excerpt:
                ctx.reporter.result("  " + verdict.excerpt.replace("\n", "\n  "))
        if config.events:
            events.record(
                ctx.runner.writable(config.events, "--events"),
                "failure",
                category=verdict.category,
                retryable=verdict.retryable,
                signature=verdict.signature,
                source=path,
            )
    first = verdicts[0]
    return _verdict_outcome(first.category, first.retryable, first.confidence)


def classify_run(config: Config, ctx: Context, run_id: int) -> Outcome:
    from oasis_action import events
    from oasis_action.markdown import cell, table
    from oasis_action.triage import HARD_CATEGORIES
    from oasis_action.triage.classifier import classify_many, model_for

    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        run = port.workflow_run(run_id)
        jobs = run.failed_jobs
        texts = [port.job_log(job.id) for job in jobs]
    if not jobs:
        ctx.reporter.result(f"run {run_id} has no failed jobs")
        return _verdict_outcome("unknown", False, 0.0)
    verdicts = classify_many(texts, model_for(ctx.state_dir))
    store = ctx.runner.writable(config.events, "--events") if config.events else ctx.events_store
    for job, verdict in zip(jobs, verdicts, strict=True):
        events.record(store, "failure", category=verdict.category, run=run_id, job=job.name)
    rows = []
    for job, verdict in zip(jobs, verdicts, strict=True):
        ctx.reporter.result(f"{job.name}: {verdict.category} ({verdict.confidence:.2f})")
        retryable = "yes" if verdict.retryable else "no"
        rows.append((cell(job.name), verdict.category, retryable, f"{verdict.confidence:.2f}"))
    deciding = max(
        verdicts, key=lambda v: (v.category in HARD_CATEGORIES, not v.retryable, v.confidence)
    )
    outcome = _verdict_outcome(deciding.category, deciding.retryable, deciding.confidence)
    headers = ("job", "category", "retryable", "confidence")
    outcome.summary.append(f"## OASIS triage: run {run_id}\n\n{table(headers, rows)}\n")
    return outcome


def run(config: Config, ctx: Context) -> Outcome:
    if config.logs:
        return classify_files(config, ctx, list(config.logs))
    if config.log:
        return classify_files(config, ctx, [config.log])
    from oasis_action.github.events import read_event

    event = read_event(ctx.runner.event_name, ctx.runner.event_path)
    run_id = config.run_id or event.run_id
    if run_id is None:
        raise InputError("nothing to classify: pass log files, the `log` input, or a `run-id`")
    return classify_run(config, ctx, run_id)
