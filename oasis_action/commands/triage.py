"""`oasis triage`: classify CI failure logs, and its subcommands.

    oasis triage LOG [LOG...] [--json]        category, retryable, confidence, excerpt, signature
    oasis triage train [--from DIR] [--history FILE] [--output PATH]
    oasis triage flaky REPORTS... [--json] [--quarantine FILE]
    oasis triage cluster LOG... [--json] [--similarity 0.6]

As an action: `run-id` (from the event) classifies that run's failed jobs, or `log` a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from oasis_action.errors import InputError
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.runner import Reporter

SUBCOMMANDS = ("train", "flaky", "cluster")

OPTIONS = (
    Option(
        "args",
        Kind.LIST,
        positional=True,
        many=True,
        default=(),
        cli_only=True,
        metavar="LOG|SUBCOMMAND",
        help="log files, or train / flaky / cluster and their files",
    ),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="JSON output (one line per log)"),
    Option(
        "run-id",
        Kind.INT,
        minimum=1,
        help="classify this workflow run's failed jobs (default: from the event)",
    ),
    Option("log", help="classify this log file instead of a run"),
    Option("from", cli_only=True, metavar="DIR", help="train: labelled logs in DIR/<category>/*"),
    Option(
        "history",
        cli_only=True,
        metavar="FILE",
        help="train: JSON lines of labelled logs or rerun outcomes",
    ),
    Option(
        "output",
        cli_only=True,
        default=".oasis/triage-model.npz",
        help="train: where the retrained model goes",
    ),
    Option(
        "quarantine", cli_only=True, metavar="FILE", help="flaky: write the flaky test ids here"
    ),
    Option(
        "runs",
        Kind.INT,
        minimum=1,
        maximum=200,
        cli_only=True,
        help="flaky: read the JUnit reports in the artifacts of the last N runs (GitHub)",
    ),
    Option(
        "artifact-pattern",
        Kind.LIST,
        default=("*junit*", "*test-results*", "*test-report*"),
        cli_only=True,
        help="flaky: artifact names to read (glob patterns)",
    ),
    Option(
        "similarity",
        Kind.FLOAT,
        default=0.6,
        minimum=0,
        maximum=1,
        cli_only=True,
        help="cluster: cosine similarity that joins a cluster",
    ),
    Option(
        "events",
        cli_only=True,
        metavar="FILE",
        help="record each classification in this events file (default: none; only reads logs)",
    ),
    *GITHUB_OPTIONS,
)


@dataclass(frozen=True)
class Config:
    args: tuple[str, ...]
    json: bool
    run_id: int | None
    log: str | None
    from_: str | None
    history: str | None
    output: str
    quarantine: str | None
    runs: int | None
    artifact_pattern: tuple[str, ...]
    similarity: float
    events: str | None
    dry_run: bool
    max_api_calls: int
    repo: str | None


def read_log(path: Path, shown: str | None = None) -> str:
    """The tail of a log file (what triage reads), never the whole of a huge one."""
    from oasis_action.triage.steps import read_tail

    if not path.is_file():
        raise InputError(f"log {shown or path} does not exist")
    return read_tail(path)


def classify_files(config: Config, reporter: Reporter, paths: list[str]) -> int:
    from oasis_action import events
    from oasis_action.triage.classifier import classify_files as classify

    workspace = reporter.context.workspace
    for path in paths:
        if not (workspace / path).is_file():
            raise InputError(f"log {path} does not exist")
    verdicts = classify([workspace / p for p in paths], read_log, workspace)
    for path, verdict in zip(paths, verdicts, strict=True):
        data = verdict.to_json()
        if len(paths) > 1:
            data = {"file": path, **data}
        if config.json:
            reporter.result(json.dumps(data))
        else:
            prefix = f"{path}: " if len(paths) > 1 else ""
            reporter.result(
                f"{prefix}{verdict.category} (retryable: {'yes' if verdict.retryable else 'no'}, confidence {verdict.confidence:.2f})"
            )
            if verdict.excerpt:
                reporter.result("  " + verdict.excerpt.replace("\n", "\n  "))
        if config.events:
            events.record(
                reporter.context.writable(config.events, "--events"),
                "failure",
                category=verdict.category,
                retryable=verdict.retryable,
                signature=verdict.signature,
                source=path,
            )
    worst = verdicts[0]
    set_verdict_outputs(reporter, worst.category, worst.retryable, worst.confidence)
    return 0


def set_verdict_outputs(
    reporter: Reporter, category: str, retryable: bool, confidence: float
) -> None:
    reporter.set_output("category", category)
    reporter.set_output("retryable", retryable)
    reporter.set_output("confidence", confidence)
    reporter.set_output("action-taken", "classified")
    reporter.set_output("reason", f"classified as {category} (confidence {confidence:.2f})")


def classify_run(config: Config, reporter: Reporter, run_id: int) -> int:
    from oasis_action import events
    from oasis_action.github.client import connect, settings_for
    from oasis_action.markdown import cell
    from oasis_action.triage import HARD_CATEGORIES
    from oasis_action.triage.classifier import classify_many, model_for

    settings = settings_for(reporter.context, config.repo, config.max_api_calls, config.dry_run)
    with connect(settings, reporter.info) as (port, budget):
        run = port.workflow_run(run_id)
        jobs = run.failed_jobs
        texts = [port.job_log(job.id) for job in jobs]
        reporter.set_output("api-calls", budget.used)
    if not jobs:
        reporter.result(f"run {run_id} has no failed jobs")
        set_verdict_outputs(reporter, "unknown", False, 0.0)
        return 0
    verdicts = classify_many(texts, model_for(reporter.context.workspace))
    store = reporter.context.workspace / (config.events or ".oasis/events.jsonl")
    for job, verdict in zip(jobs, verdicts, strict=True):
        events.record(store, "failure", category=verdict.category, run=run_id, job=job.name)
    rows = ["| job | category | retryable | confidence |", "|---|---|---|---|"]
    for job, verdict in zip(jobs, verdicts, strict=True):
        reporter.result(f"{job.name}: {verdict.category} ({verdict.confidence:.2f})")
        rows.append(
            f"| {cell(job.name)} | {verdict.category} | {'yes' if verdict.retryable else 'no'} | {verdict.confidence:.2f} |"
        )
    deciding = max(
        verdicts, key=lambda v: (v.category in HARD_CATEGORIES, not v.retryable, v.confidence)
    )
    reporter.summary(f"## OASIS triage: run {run_id}\n\n" + "\n".join(rows) + "\n")
    set_verdict_outputs(reporter, deciding.category, deciding.retryable, deciding.confidence)
    return 0


def run(config: Config, reporter: Reporter) -> int:
    args = list(config.args or ())
    if args and args[0] in SUBCOMMANDS:
        from oasis_action.commands import triage_tools

        return int(getattr(triage_tools, args[0])(config, reporter, args[1:]))
    if args:
        return classify_files(config, reporter, args)
    if config.log:
        return classify_files(config, reporter, [config.log])
    from oasis_action.github.events import read_event

    event = read_event(reporter.context.event_name, reporter.context.event_path)
    run_id = config.run_id or event.run_id
    if run_id is None:
        raise InputError("nothing to classify: pass log files, the `log` input, or a `run-id`")
    return classify_run(config, reporter, run_id)
