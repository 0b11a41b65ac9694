"""Per-test parameters learned from history, for the pytest plugin and other runners.

A plain JSON file: `{"format": 1, "tests": {test id: {"reruns": n, "timeout": seconds,
"quarantined": bool}}}`. Test ids are JUnit's `classname::name` (what CI artifacts hold), which
the plugin also matches against pytest node ids.
"""

from __future__ import annotations

import json
import math
from typing import Any

from oasis_action.learning.state import LearnedState, TestRecord

MIN_DURATIONS = 3
TIMEOUT_FACTOR = 5.0
MIN_TIMEOUT = 30.0


def parameters(record: TestRecord) -> dict[str, Any]:
    """What a test needs: reruns when it flips on one commit (enough for a 99 % pass of a
    flake), quarantine when it is flaky, a timeout from its observed durations."""
    found: dict[str, Any] = {}
    if record.flaky_shas:
        failing = record.failures / max(1, record.runs)
        found["quarantined"] = True
        found["reruns"] = min(5, max(1, math.ceil(math.log(0.01) / math.log(max(failing, 0.01)))))
    if len(record.seconds) >= MIN_DURATIONS:
        longest = max(record.seconds)
        found["timeout"] = int(math.ceil(max(MIN_TIMEOUT, longest * TIMEOUT_FACTOR)))
    return found


def export(state: LearnedState) -> str:
    tests = {name: p for name, record in state.tests.items() if (p := parameters(record))}
    return json.dumps({"format": 1, "tests": tests}, indent=1, sort_keys=True) + "\n"


def labels(state: LearnedState) -> str:
    """Labelled logs derived from what reruns did, as `oasis triage train --history` reads
    them: a failure whose rerun on the same commit passed is transient evidence (its category
    when that is a retryable one, else `infrastructure`); one that a rerun did not fix is kept
    only when triage called it a hard failure (it was right). Nothing else is labelled."""
    from oasis_action.triage import CATEGORIES

    lines = []
    for run in state.runs:
        for (job, category), text in zip(run.failed, run.excerpts, strict=False):
            retryable = CATEGORIES.get(category, False)
            if run.rerun_passed:
                entry: dict[str, Any] = {"event": "rerun", "passed": True, "text": text}
                if retryable:
                    entry["category"] = category
            elif run.rerun and category in CATEGORIES and not retryable and category != "unknown":
                entry = {"category": category, "text": text}
            else:
                continue
            lines.append(json.dumps({**entry, "job": job, "run": run.id}, sort_keys=True))
    return "".join(line + "\n" for line in lines)
