"""The step splitter: each CI's framing, the failing step found, its name, its lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from oasis_action.triage.rules import classify
from oasis_action.triage.steps import (
    MAX_LINE,
    failing_regions,
    normalise,
    read_tail,
)

ACTIONS = (
    "2026-11-20T10:15:01.0000000Z ##[group]Run pip install -e .\n"
    "2026-11-20T10:15:02.0000000Z Successfully installed app\n"
    "2026-11-20T10:15:03.0000000Z ##[endgroup]\n"
    "2026-11-20T10:15:04.0000000Z ##[group]Run pytest -q\n"
    "2026-11-20T10:15:05.0000000Z FAILED tests/test_a.py::test_x - assert 1 == 2\n"
    "2026-11-20T10:15:06.0000000Z ##[error]Process completed with exit code 1.\n"
)
TRAVIS = (
    "travis_time:start:0a1b\r\x1b[0K$ make lint\n"
    "all good\n"
    'travis_time:end:0a1b:start=1,finish=2\r\x1b[0K\x1b[32;1mThe command "make lint" exited with 0.\x1b[0m\n'
    "travis_time:start:0a1c\r\x1b[0K$ go test ./...\n"
    "--- FAIL: TestSeparator (0.03s)\n"
    "FAIL\tgithub.com/x/y\t0.178s\n"
    'travis_time:end:0a1c:start=1,finish=2\r\x1b[0K\x1b[31;1mThe command "go test ./..." exited with 1.\x1b[0m\n'
    "travis_fold:start:cache.2\r\x1b[0Kstore build cache\n"
    "Done. Your build exited with 1.\n"
)
GITLAB = (
    'section_start:1700000000:step_script\r\x1b[0KExecuting "step_script" stage\n'
    "$ cargo test\n"
    "test result: FAILED. 3 passed; 1 failed\n"
    "section_end:1700000001:step_script\r\x1b[0K\n"
    "ERROR: Job failed: exit code 101\n"
)
JENKINS = (
    "[Pipeline] { (Test)\n"
    "[Pipeline] sh\n"
    "+ mvn test\n"
    "[ERROR] Tests run: 12, Failures: 2, Errors: 0, Skipped: 0\n"
    "ERROR: script returned exit code 1\n"
    "Finished: FAILURE\n"
)
AZURE = (
    "##[section]Starting: Lint\n"
    "would reformat src/app.py\n"
    "##[error]Bash exited with code '1'.\n"
    "##[section]Finishing: Lint\n"
)
CIRCLE = (
    "#!/bin/bash -eo pipefail\n" "npm test\n" "  2 failing\n" "Exited with code exit status 1\n"
)
BUILDKITE = (
    "--- :pytest: Run tests\n"
    "==== 2 failed, 10 passed in 1.2s ====\n"
    "\U0001f6a8 Error: The command exited with status 1\n"
)


@pytest.mark.parametrize(
    ("log", "step", "category"),
    [
        (ACTIONS, "pytest -q", "test-failure"),
        (TRAVIS, "go test ./...", "test-failure"),
        (GITLAB, "cargo test", "test-failure"),
        (JENKINS, "[Pipeline] sh", "test-failure"),
        (AZURE, "Lint", "lint-format"),
        (CIRCLE, "#!/bin/bash -eo pipefail", "test-failure"),
        (BUILDKITE, ":pytest: Run tests", "test-failure"),
    ],
    ids=["actions", "travis", "gitlab", "jenkins", "azure", "circleci", "buildkite"],
)
def test_each_ci_format_gives_its_failing_step(log: str, step: str, category: str) -> None:
    regions = failing_regions(normalise(log))
    assert len(regions) == 1
    assert regions[0].name == step
    verdict = classify(log)
    assert (verdict.category, verdict.step) == (category, step)


def test_passing_steps_before_the_failure_are_not_read() -> None:
    regions = failing_regions(normalise(TRAVIS))
    assert not any("all good" in line for line in regions[0].lines)
    assert regions[0].exit_code == 1


def test_a_plain_log_is_read_from_its_tail() -> None:
    regions = failing_regions(normalise("compiling\nsrc/a.c:3:1: error: expected ';'\n"))
    assert regions[0].name == "" and regions[0].exit_code is None
    assert classify("compiling\nsrc/a.c:3:1: error: expected ';'\n").category == "compile-error"


def test_redraws_colours_and_stamps_are_gone() -> None:
    text = normalise("\x1b[31mred\x1b[0m\n 10%\r 50%\r100% done\n")
    assert text.split("\n")[:2] == ["red", "100% done"]


def test_a_512_kib_single_line_log_is_classified_in_under_a_second() -> None:
    hostile = "SSL: " + "x" * (512 * 1024) + "\nProcess completed with exit code 1.\n"
    started = time.perf_counter()
    verdict = classify(hostile)
    assert time.perf_counter() - started < 1.0
    assert verdict.category == "unknown" and not verdict.retryable
    regions = failing_regions(normalise(hostile))
    assert max(len(line) for region in regions for line in region.lines) == MAX_LINE


def test_read_tail_keeps_only_the_end(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    log.write_bytes(b"noise\n" * 200_000 + b"No space left on device\n")
    text = read_tail(log, limit=4096)
    assert len(text) <= 4096 and text.endswith("No space left on device\n")
