"""What OASIS has learned about one repository, as one JSON document with its own checksum.

Bounded: the newest `MAX_RUNS` failed runs and `MAX_TESTS` tests are kept. The checksum covers
everything else in the document: a state that fails it is treated as missing (and rebuilt from
GitHub), never trusted half-way.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = 1
MAX_RUNS = 500
MAX_TESTS = 2000
EXCERPT_CHARS = 2000


@dataclass(frozen=True)
class FailedRun:
    """A run whose first attempt failed: which jobs failed how, and what reruns did."""

    id: int
    sha: str
    attempts: int
    conclusion: str
    failed: tuple[tuple[str, str], ...]
    """(job name, triage category) of the first attempt's failed jobs."""
    excerpts: tuple[str, ...] = ()
    """The tail of each failed job's log (at most `EXCERPT_CHARS`), when the run was rerun:
    the text labels derived from reruns are trained on."""

    @property
    def rerun(self) -> bool:
        return self.attempts > 1

    @property
    def rerun_passed(self) -> bool:
        return self.rerun and self.conclusion == "success"


@dataclass(frozen=True)
class TestRecord:
    """A test's history across runs: how often it ran, failed, flipped on one commit."""

    runs: int = 0
    failures: int = 0
    flaky_shas: int = 0
    passed_on_retry: int = 0
    seconds: tuple[float, ...] = ()

    def merged(self, other: TestRecord) -> TestRecord:
        return TestRecord(
            self.runs + other.runs,
            self.failures + other.failures,
            self.flaky_shas + other.flaky_shas,
            self.passed_on_retry + other.passed_on_retry,
            (self.seconds + other.seconds)[-50:],
        )


@dataclass(frozen=True)
class LearnedState:
    last_run_id: int = 0
    updated: str = ""
    runs: tuple[FailedRun, ...] = ()
    tests: dict[str, TestRecord] = field(default_factory=dict)

    def with_new(
        self, runs: list[FailedRun], tests: dict[str, TestRecord], last_run_id: int, now: str
    ) -> LearnedState:
        """This state plus what a new read found, bounded."""
        known = {run.id for run in self.runs}
        merged_runs = sorted(
            [*self.runs, *(r for r in runs if r.id not in known)], key=lambda r: r.id
        )[-MAX_RUNS:]
        merged_tests = dict(self.tests)
        for name, record in tests.items():
            merged_tests[name] = (
                merged_tests[name].merged(record) if name in merged_tests else record
            )
        newest = sorted(merged_tests.items(), key=lambda item: -item[1].runs)[:MAX_TESTS]
        return LearnedState(
            max(self.last_run_id, last_run_id), now, tuple(merged_runs), dict(sorted(newest))
        )

    def payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "last_run_id": self.last_run_id,
            "updated": self.updated,
            "runs": [
                {
                    **asdict(run),
                    "failed": [list(pair) for pair in run.failed],
                    "excerpts": list(run.excerpts),
                }
                for run in self.runs
            ],
            "tests": {
                name: {**asdict(record), "seconds": list(record.seconds)}
                for name, record in self.tests.items()
            },
        }

    def to_text(self) -> str:
        payload = self.payload()
        return json.dumps({**payload, "sha256": checksum(payload)}, indent=1, sort_keys=True) + "\n"


def checksum(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def from_text(text: str) -> LearnedState | None:
    """The state in `text`, or None when it is not one (damaged, altered, another format)."""
    try:
        data = json.loads(text)
        recorded = data.pop("sha256")
        if data.get("format") != FORMAT or checksum(data) != recorded:
            return None
        runs = tuple(
            FailedRun(
                int(r["id"]), str(r["sha"]), int(r["attempts"]), str(r["conclusion"]),
                tuple((str(job), str(category)) for job, category in r["failed"]),
                tuple(str(text)[-EXCERPT_CHARS:] for text in r.get("excerpts", ())),
            )
            for r in data["runs"]
        )  # fmt: skip
        tests = {
            str(name): TestRecord(
                int(t["runs"]), int(t["failures"]), int(t["flaky_shas"]),
                int(t["passed_on_retry"]),
                tuple(float(x) for x in t["seconds"] if math.isfinite(float(x))),
            )
            for name, t in data["tests"].items()
        }  # fmt: skip
        return LearnedState(int(data["last_run_id"]), str(data["updated"]), runs, tests)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
