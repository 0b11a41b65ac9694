"""Flaky tests from JUnit XML reports across runs and attempts of the same commit.

A report's commit is its `<property name="sha">` (or `commit`), else the name of the folder
above its run folder: `REPORTS/<sha>/<run>-<attempt>/*.xml` is the layout `oasis triage flaky`
expects when the XML says nothing. A test is flaky when it both passed and failed on one SHA.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # noqa: S405 - reports come from the user's own CI
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oasis_action.errors import InputError

MAX_REPORT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    test: str
    sha: str
    run: str
    passed: bool
    when: str
    seconds: float = 0.0


@dataclass
class FlakyTest:
    test: str
    runs: int = 0
    failures: int = 0
    flips: int = 0
    shas: set[str] = field(default_factory=set)
    last_seen: str = ""
    passed_on_retry: int = 0

    @property
    def flip_rate(self) -> float:
        return self.flips / max(1, self.runs - 1)

    def to_json(self) -> dict[str, object]:
        return {
            "test": self.test,
            "runs": self.runs,
            "failures": self.failures,
            "flip_rate": round(self.flip_rate, 3),
            "flaky_shas": sorted(self.shas),
            "last_seen": self.last_seen,
        }


def _sha_of(root: ET.Element, path: Path) -> str:
    for prop in root.iter("property"):
        if prop.get("name") in ("sha", "commit", "git_sha"):
            return prop.get("value", "")
    return path.parent.parent.name if path.parent.parent.name else path.parent.name


def _report_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.xml"))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path} does not exist")
    if not files:
        raise InputError("no JUnit XML reports found")
    return files


def _parse(file: Path) -> ET.Element | str:
    """The report's root element, or why it cannot be read."""
    if file.stat().st_size > MAX_REPORT_BYTES:
        return f"larger than {MAX_REPORT_BYTES // 2**20} MiB"
    try:
        return ET.parse(file).getroot()  # noqa: S314
    except ET.ParseError as error:
        return f"not valid JUnit XML ({error})"


def read_reports(
    paths: list[Path],
    warn: Callable[[str], None] = lambda message: None,
    trust_properties: bool = True,
) -> list[Outcome]:
    """Outcomes of every readable report; an unreadable one is skipped with a warning. With
    `trust_properties` off (reports from CI artifacts) a report's commit is the folder it was
    filed under (the run's own SHA), never a `<property name="sha">` its author wrote."""
    outcomes: list[Outcome] = []
    files = _report_files(paths)
    read = 0
    for file in files:
        root = _parse(file)
        if isinstance(root, str):
            warn(f"skipped {file.name}: {root}")
            continue
        read += 1
        sha = _sha_of(root, file) if trust_properties else file.parent.parent.name
        run = file.parent.name
        for suite in root.iter("testsuite"):
            when = suite.get("timestamp", "")
            for case in suite.iter("testcase"):
                name = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
                failed = case.find("failure") is not None or case.find("error") is not None
                if case.find("skipped") is None:
                    outcomes.append(Outcome(name, sha, run, not failed, when, _seconds(case)))
    if not read:
        raise InputError(f"none of the {len(files)} JUnit report(s) could be read")
    return outcomes


def _seconds(case: ET.Element) -> float:
    try:
        value = float(case.get("time", "0") or 0)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and value >= 0 else 0.0


def find_flaky(outcomes: list[Outcome]) -> list[FlakyTest]:
    by_test: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_test[outcome.test].append(outcome)
    flaky = []
    for test, seen in sorted(by_test.items()):
        seen.sort(key=lambda o: (o.sha, o.run))
        entry = FlakyTest(test, runs=len(seen), failures=sum(not o.passed for o in seen))
        entry.flips = sum(
            a.passed != b.passed for a, b in zip(seen, seen[1:], strict=False) if a.sha == b.sha
        )
        by_sha: dict[str, set[bool]] = defaultdict(set)
        for o in seen:
            by_sha[o.sha].add(o.passed)
        entry.shas = {sha for sha, results in by_sha.items() if results == {True, False}}
        entry.passed_on_retry = sum(
            1
            for a, b in zip(seen, seen[1:], strict=False)
            if a.sha == b.sha and not a.passed and b.passed
        )
        entry.last_seen = max((o.when for o in seen), default="")
        if entry.shas:
            flaky.append(entry)
    return sorted(flaky, key=lambda f: (-f.flip_rate, f.test))


def retry_budget(pass_on_retry_rate: float, miss: float = 0.01) -> int:
    """Attempts so that a flaky failure survives all of them with probability below `miss`."""
    if pass_on_retry_rate <= 0:
        return 1
    if pass_on_retry_rate >= 1:
        return 2
    return min(5, 1 + math.ceil(math.log(miss) / math.log(1 - pass_on_retry_rate)))
