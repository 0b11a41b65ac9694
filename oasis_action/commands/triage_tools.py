"""`oasis triage train | flaky | cluster` (the subcommands of `oasis triage`)."""

from __future__ import annotations

import json
from typing import Any

from oasis_action.errors import InputError
from oasis_action.fsutil import atomic_write
from oasis_action.runner import Reporter


def train(config: Any, reporter: Reporter, rest: list[str]) -> int:
    """Retrain on the shipped corpus plus the user's labelled logs; report held-out quality."""
    from oasis_action.triage import training

    if rest:
        raise InputError(
            f"triage train takes no files ({rest[0]!r}); use --from DIR or --history FILE"
        )
    workspace = reporter.context.workspace
    own = training.user_samples(
        workspace / config.from_ if config.from_ else None,
        workspace / config.history if config.history else None,
    )
    samples = training.shipped_corpus() + own
    reporter.progress(f"training on {len(samples)} logs ({len(own)} of yours)")
    model = training.train(samples)
    model.info["user_samples"] = len(own)
    target = workspace / config.output
    model.save(target)
    report = training.evaluate(samples, by_tool=False)
    reporter.result(f"model with {len(model.vocabulary)} features saved to {config.output}")
    reporter.result(report.table())
    reporter.summary("## OASIS triage train\n\n" + report.table() + "\n")
    reporter.set_output("action-taken", "trained")
    return 0


def flaky(config: Any, reporter: Reporter, rest: list[str]) -> int:
    from oasis_action import events
    from oasis_action.triage.flaky import find_flaky, read_reports, retry_budget

    if not rest:
        raise InputError("triage flaky needs JUnit XML files or folders")
    workspace = reporter.context.workspace
    outcomes = read_reports([workspace / p for p in rest])
    found = find_flaky(outcomes)
    retried = sum(f.failures for f in found)
    rate = sum(f.passed_on_retry for f in found) / retried if retried else 0.0
    budget = {"test-failure (flaky tests)": retry_budget(rate)}
    for category, passed in _rerun_outcomes(events.read(workspace / config.events)).items():
        budget[category] = retry_budget(sum(passed) / len(passed))
    if config.json:
        reporter.result(
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
        reporter.result(f"{len(found)} flaky test(s) in {len(outcomes)} results")
        for test in found:
            reporter.result(
                f"  {test.test}  flip rate {test.flip_rate:.2f}, {test.failures}/{test.runs} failed, last seen {test.last_seen or '-'}"
            )
        for category, attempts in budget.items():
            reporter.result(f"suggested max attempts for {category}: {attempts}")
    if config.quarantine:
        atomic_write(
            workspace / config.quarantine, "".join(f"{f.test}\n" for f in found), owner_of=workspace
        )
    for test in found:
        events.record(workspace / config.events, "flaky", test=test.test, flip_rate=test.flip_rate)
    reporter.set_output("flaky-tests", [f.test for f in found])
    return 0


def _rerun_outcomes(history: list[dict[str, Any]]) -> dict[str, list[bool]]:
    outcomes: dict[str, list[bool]] = {}
    for event in history:
        if event.get("event") == "rerun-outcome" and event.get("category"):
            outcomes.setdefault(str(event["category"]), []).append(bool(event.get("passed")))
    return outcomes


def cluster(config: Any, reporter: Reporter, rest: list[str]) -> int:
    from oasis_action.commands.triage import read_log
    from oasis_action.triage.classifier import classify_many, model_for
    from oasis_action.triage.cluster import cluster as group

    if not rest:
        raise InputError("triage cluster needs log files")
    workspace = reporter.context.workspace
    texts = [read_log(workspace / p, p) for p in rest]
    model = model_for(workspace)
    verdicts = classify_many(texts, model)
    clusters = group(list(zip(rest, texts, verdicts, strict=True)), model, config.similarity)
    if config.json:
        reporter.result(json.dumps([c.to_json() for c in clusters], indent=2))
    else:
        for c in clusters:
            reporter.result(
                f"{len(c.members):>4}  {c.category:<15} {c.signature[:90]}  e.g. {c.members[0]}"
            )
    return 0
