"""Reading new history from GitHub within a request budget: failed runs with what their
reruns did (labels without a human), and the JUnit reports in their artifacts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from oasis_action.github.port import FullPort, RunSummary
from oasis_action.learning.state import EXCERPT_CHARS, FailedRun, TestRecord


def failed_run(port: FullPort, run: RunSummary, state_dir: Path) -> FailedRun | None:
    """The run as history: the first attempt's failed jobs and their categories, and what
    the run ended as. A run that passed at its first attempt is not history of a failure."""
    from oasis_action.triage.classifier import classify

    if run.attempt <= 1 and run.conclusion != "failure":
        return None
    jobs = port.run_attempt_jobs(run.id, 1)
    failed = [job for job in jobs if job.conclusion == "failure"]
    if not failed:
        return None
    logs = [port.job_log(job.id) for job in failed]
    verdicts = tuple(
        (job.name, classify(log, state_dir=state_dir).category)
        for job, log in zip(failed, logs, strict=True)
    )
    excerpts = tuple(log[-EXCERPT_CHARS:] for log in logs) if run.attempt > 1 else ()
    return FailedRun(run.id, run.head_sha, run.attempt, run.conclusion or "", verdicts, excerpts)


def test_records(
    port: FullPort,
    runs: list[RunSummary],
    patterns: tuple[str, ...],
    warn: Callable[[str], None],
) -> dict[str, TestRecord]:
    """Each test's outcomes in the JUnit artifacts of `runs` (same-repository runs only)."""
    import fnmatch

    from oasis_action.triage.artifacts import MAX_ARTIFACT_BYTES, unpack_reports
    from oasis_action.triage.flaky import find_flaky, read_reports

    with tempfile.TemporaryDirectory(prefix="oasis-learn-") as scratch:
        folder = Path(scratch)
        found = 0
        for run in runs:
            for artifact in port.run_artifacts(run.id):
                wanted = any(fnmatch.fnmatch(artifact.name, p) for p in patterns)
                if not wanted or artifact.expired or artifact.size > MAX_ARTIFACT_BYTES:
                    continue
                target = folder / run.head_sha / f"{run.id}-{artifact.id}"
                found += unpack_reports(port.download_artifact(artifact.id), target, warn)
        if not found:
            return {}
        outcomes = read_reports([folder], warn, trust_properties=False)
    flaky = {f.test: f for f in find_flaky(outcomes)}
    records: dict[str, TestRecord] = {}
    for outcome in outcomes:
        seen = records.get(outcome.test, TestRecord())
        records[outcome.test] = TestRecord(
            seen.runs + 1,
            seen.failures + (not outcome.passed),
            0,
            0,
            (*seen.seconds, outcome.seconds)[-50:],
        )
    for name, test in flaky.items():
        record = records[name]
        records[name] = TestRecord(
            record.runs, record.failures, len(test.shas), test.passed_on_retry, record.seconds
        )
    return records
