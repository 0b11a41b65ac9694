"""`oasis triage train | flaky | cluster` (the subcommands of `oasis triage`)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
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

    if not rest and not config.runs:
        raise InputError("triage flaky needs JUnit XML files or folders, or --runs N")
    workspace = reporter.context.workspace
    with tempfile.TemporaryDirectory(prefix="oasis-junit-") as scratch:
        folders = [workspace / p for p in rest]
        if config.runs:
            folders.append(fetch_reports(config, reporter, Path(scratch)))
        outcomes = read_reports(folders)
    found = find_flaky(outcomes)
    retried = sum(f.failures for f in found)
    rate = sum(f.passed_on_retry for f in found) / retried if retried else 0.0
    budget = {"test-failure (flaky tests)": retry_budget(rate)}
    store = workspace / (config.events or ".oasis/events.jsonl")
    for category, passed in _rerun_outcomes(events.read(store)).items():
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
        if config.events:
            events.record(
                workspace / config.events, "flaky", test=test.test, flip_rate=test.flip_rate
            )
    reporter.set_output("flaky-tests", [f.test for f in found])
    return 0


MAX_MEMBER_BYTES = 50 * 1024 * 1024


def fetch_reports(config: Any, reporter: Reporter, target: Path) -> Path:
    """JUnit XML from the artifacts of recent runs, laid out as <sha>/<run>-<artifact>/*.xml."""
    import fnmatch
    import io
    import zipfile

    from oasis_action.github.client import connect, settings_for

    settings = settings_for(reporter.context, config.repo, config.max_api_calls, config.dry_run)
    found = 0
    with connect(settings, reporter.info) as (port, _):
        for run in port.recent_runs(config.runs):
            for artifact in port.run_artifacts(run.id):
                wanted = any(fnmatch.fnmatch(artifact.name, p) for p in config.artifact_pattern)
                if artifact.expired or not wanted:
                    continue
                folder = target / run.head_sha / f"{run.id}-{artifact.id}"
                folder.mkdir(parents=True, exist_ok=True)
                with zipfile.ZipFile(io.BytesIO(port.download_artifact(artifact.id))) as archive:
                    for index, member in enumerate(archive.infolist()):
                        if (
                            member.filename.endswith(".xml")
                            and member.file_size <= MAX_MEMBER_BYTES
                        ):
                            (folder / f"{index}-{Path(member.filename).name}").write_bytes(
                                archive.read(member)
                            )
                            found += 1
    reporter.progress(f"read {found} JUnit report(s) from the artifacts of {config.runs} run(s)")
    if not found:
        raise InputError(f"no JUnit XML in artifacts matching {', '.join(config.artifact_pattern)}")
    return target


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
