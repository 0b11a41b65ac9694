"""`oasis triage flaky`: flaky tests from JUnit reports (files, or the artifacts of recent runs),
their flip rates, a quarantine list and a retry budget per failure category."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.fsutil import atomic_write
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.triage.artifacts import fetch_reports

OPTIONS = (
    Option(
        "reports",
        Kind.LIST,
        positional=True,
        many=True,
        default=(),
        cli_only=True,
        metavar="PATH",
        help="JUnit XML files or folders",
    ),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print the result as JSON"),
    Option("quarantine", metavar="FILE", help="write the flaky test ids to FILE, one per line"),
    Option(
        "runs",
        Kind.INT,
        minimum=1,
        maximum=200,
        help="read the JUnit reports in the artifacts of the last N runs (GitHub)",
    ),
    Option(
        "artifact-pattern",
        Kind.LIST,
        default=("*junit*", "*test-results*", "*test-report*"),
        help="artifact names to read (glob patterns)",
    ),
    Option(
        "events",
        cli_only=True,
        metavar="FILE",
        help="the OASIS event store to read rerun outcomes from and record flaky tests in",
    ),
    *GITHUB_OPTIONS,
)

OUTPUTS = (Output("flaky-tests", "JSON list of the flaky test ids", []),)


@dataclass(frozen=True)
class Config:
    reports: tuple[str, ...]
    json: bool
    quarantine: str | None
    runs: int | None
    artifact_pattern: tuple[str, ...]
    events: str | None
    dry_run: bool
    max_api_calls: int
    repo: str | None


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action import events
    from oasis_action.triage.flaky import find_flaky, read_reports, retry_budget

    if not config.reports and not config.runs:
        raise InputError("triage flaky needs JUnit XML files or folders, or --runs N")
    workspace = ctx.runner.workspace
    with tempfile.TemporaryDirectory(prefix="oasis-junit-") as scratch:
        outcomes = (
            read_reports([workspace / p for p in config.reports], ctx.reporter.progress)
            if config.reports
            else []
        )
        if config.runs:
            fetched = fetch_reports(config, ctx, Path(scratch))
            outcomes += read_reports([fetched], ctx.reporter.progress, trust_properties=False)
    found = find_flaky(outcomes)
    retried = sum(f.failures for f in found)
    rate = sum(f.passed_on_retry for f in found) / retried if retried else 0.0
    budget = {"test-failure (flaky tests)": retry_budget(rate)}
    store = workspace / config.events if config.events else ctx.events_store
    for category, passed in _rerun_outcomes(events.read(store)).items():
        budget[category] = retry_budget(sum(passed) / len(passed))
    if config.json:
        ctx.reporter.result(
            json.dumps(
                {
                    "flaky": [f.to_json() for f in found],
                    "pass_on_retry_rate": round(rate, 3),
                    "retry_budget": budget,
                },
                indent=2,
            )
        )
    else:
        ctx.reporter.result(f"{len(found)} flaky test(s) in {len(outcomes)} results")
        for test in found:
            ctx.reporter.result(
                f"  {test.test}  flip rate {test.flip_rate:.2f}, {test.failures}/{test.runs} failed, last seen {test.last_seen or '-'}"
            )
        for category, attempts in budget.items():
            ctx.reporter.result(f"suggested max attempts for {category}: {attempts}")
    if config.quarantine:
        atomic_write(
            ctx.runner.writable(config.quarantine, "--quarantine"),
            "".join(f"{f.test}\n" for f in found),
            owner_of=workspace,
        )
    for test in found:
        if config.events:
            events.record(
                workspace / config.events, "flaky", test=test.test, flip_rate=test.flip_rate
            )
    return Outcome(
        reason=f"{len(found)} flaky test(s) in {len(outcomes)} results",
        outputs={"flaky-tests": [f.test for f in found]},
    )


def _rerun_outcomes(history: list[dict[str, Any]]) -> dict[str, list[bool]]:
    outcomes: dict[str, list[bool]] = {}
    for event in history:
        if event.get("event") == "rerun-outcome" and event.get("category"):
            outcomes.setdefault(str(event["category"]), []).append(bool(event.get("passed")))
    return outcomes
