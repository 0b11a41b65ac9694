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
    target = reporter.context.writable(config.output, "--output")
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
        outcomes = read_reports([workspace / p for p in rest], reporter.progress) if rest else []
        if config.runs:
            fetched = fetch_reports(config, reporter, Path(scratch))
            outcomes += read_reports([fetched], reporter.progress, trust_properties=False)
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
            reporter.context.writable(config.quarantine, "--quarantine"),
            "".join(f"{f.test}\n" for f in found),
            owner_of=workspace,
        )
    for test in found:
        if config.events:
            events.record(
                workspace / config.events, "flaky", test=test.test, flip_rate=test.flip_rate
            )
    reporter.set_output("flaky-tests", [f.test for f in found])
    return 0


MAX_ARTIFACT_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
"""Caps on what an artifact (which a pull request's tests can fill) may cost: its download, its
members' number, each member's and all members' unpacked bytes, and the compression ratio."""


def fetch_reports(config: Any, reporter: Reporter, target: Path) -> Path:
    """JUnit XML from the artifacts of recent runs of this repository (never a fork's), laid out
    as <run's head SHA>/<run>-<artifact>/*.xml."""
    import fnmatch

    from oasis_action.github.client import connect, settings_for

    settings = settings_for(reporter.context, config.repo, config.max_api_calls, config.dry_run)
    found = 0
    with connect(settings, reporter.info) as (port, _):
        for run in port.recent_runs(config.runs):
            if not run.same_repository:
                reporter.progress(f"skipped run {run.id}: its head is a fork")
                continue
            for artifact in port.run_artifacts(run.id):
                wanted = any(fnmatch.fnmatch(artifact.name, p) for p in config.artifact_pattern)
                if artifact.expired or not wanted:
                    continue
                if artifact.size > MAX_ARTIFACT_BYTES:
                    reporter.progress(f"skipped artifact {artifact.name}: {artifact.size} bytes")
                    continue
                folder = target / run.head_sha / f"{run.id}-{artifact.id}"
                data = port.download_artifact(artifact.id)
                found += unpack_reports(data, folder, reporter.progress)
    reporter.progress(f"read {found} JUnit report(s) from the artifacts of {config.runs} run(s)")
    if not found:
        raise InputError(f"no JUnit XML in artifacts matching {', '.join(config.artifact_pattern)}")
    return target


def unpack_reports(data: bytes, folder: Path, warn: Any) -> int:
    """The artifact's `.xml` members, streamed to `folder` under the caps; a member over a cap
    is skipped with a warning, counting the bytes it really inflates to (never its header)."""
    import io
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    written = total = 0
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        warn(f"skipped an artifact that is not a zip: {error}")
        return 0
    with archive:
        members = [m for m in archive.infolist() if m.filename.endswith(".xml")][:MAX_MEMBERS]
        for index, member in enumerate(members):
            name = Path(member.filename).name
            limit = min(
                MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - total, max(1, member.compress_size) * MAX_RATIO
            )
            size = _copy_capped(archive, member, folder / f"{index}-{name}", limit)
            if size is None:
                warn(f"skipped {name}: it unpacks past {limit} bytes (size or ratio cap)")
                continue
            total += size
            written += 1
    return written


def _copy_capped(archive: Any, member: Any, target: Path, limit: int) -> int | None:
    """Copy one member in chunks; None (and nothing left behind) once it passes `limit`."""
    copied = 0
    with archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                break
            sink.write(chunk)
    if copied > limit:
        target.unlink()
        return None
    return copied


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
