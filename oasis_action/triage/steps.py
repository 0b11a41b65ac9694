"""Find the failure in a CI log before classifying it.

A log is normalised (ANSI colours, `\\r` progress redraws and Actions timestamps removed, every
line capped) and split into the steps of the CI that wrote it: GitHub Actions, Travis, GitLab,
Jenkins, Azure Pipelines, CircleCI, Buildkite, or plain output. The steps that failed (a
non-zero exit announced by the CI) are what triage reads; a log with no such marker is read
from its tail. Every pattern here is anchored or bounded, so the cost is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TAIL_BYTES = 256 * 1024
"""How much of a log is kept: the end, where the failure and the CI's verdict are."""
MAX_LINE = 1000
"""Longer lines are cut before any pattern sees them (a 512 KiB line costs what 1 KiB does)."""
REGION_LINES = 1500
"""At most this many lines at the end of a failing step are read."""

ANSI = re.compile(
    r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)|[()][0-9A-Za-z])"
)
ACTIONS_STAMP = re.compile(r"\n\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z ?")
GLUED_MARKER = re.compile(
    r"\n((?:travis_fold|travis_time|section_start|section_end):[^\n\r]{0,300})\r"
)
"""A CI marker that the CI glued in front of the next line with a `\r`: kept on its own line."""
REDRAW = re.compile(r"\n[^\n]*\r(?=[^\n\r]*\S)")
"""A line up to its last `\r` followed by something visible: what the terminal overwrote."""

START = re.compile(
    r"\n(?:##\[group\]Run (?P<gha>[^\n]{1,300})"
    r"|##\[section\]Starting: (?P<azure>[^\n]{1,300})"
    r"|section_start:\d+:(?P<gitlab>[\w.-]{1,100})"
    r"|travis_fold:start:(?P<fold>[\w.-]{1,100})"
    r"|\$ (?P<shell>[^\n]{1,300})"
    r"|\[Pipeline\] (?:\{ \((?P<stage>[^\n)]{1,200})\)|sh$)"
    r"|(?:---|\+\+\+|~~~) (?P<buildkite>(?::\w+: |Running |Preparing )[^\n]{1,200})"
    r"|#!/bin/(?:ba)?sh -eo pipefail$"
    r")",
    re.MULTILINE,
)
"""Every pattern that finds lines starts with a newline: the engine then jumps from newline to
newline instead of trying each character (the text is searched with one newline in front)."""
FAIL = re.compile(
    r"\n(?:##\[error\]Process completed with exit code (?P<gha>\d{1,3})\."
    r"|The command \"(?P<travis>[^\n]{0,300}?)\" (?:exited with|failed and exited with) (?P<travis_code>\d{1,3})"
    r"|\" (?:exited with|failed and exited with) (?P<travis_tail>\d{1,3})\."
    r"|The command \"(?P<travis_retry>[^\n]{0,300}?)\" failed(?: \d{1,2} times)?\."
    r"|ERROR: Job failed: (?P<gitlab>[^\n]{0,200})"
    r"|ERROR: script returned exit code (?P<jenkins>\d{1,3})"
    r"|Finished: FAILURE$"
    r"|##\[error\](?:Bash|Cmd|PowerShell|Script) (?:exited with code|failed with exit code)[: ']{0,3}(?P<azure>\d{1,3})"
    r"|Exited with code (?:exit status )?(?P<circle>\d{1,3})"
    r"|\U0001f6a8 Error: The command exited with status (?P<buildkite>-?\d{1,3})"
    r"|\*\*\* Failed \*\*\*$"
    r")",
    re.MULTILINE,
)
HOUSEKEEPING = re.compile(
    r"\n(?:travis_fold:start:cache\.2|Done\. Your build exited with|Post job cleanup\.|Cleaning up project directory"
    r"|Uploading artifacts|Saving cache|store build cache|travis_fold:start:after_script)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Region:
    """The text of one failing step (or the log's tail): its name and its last lines."""

    name: str
    lines: tuple[str, ...]
    exit_code: int | None


def read_tail(path: Path, limit: int = TAIL_BYTES) -> str:
    """The last `limit` bytes of a file, decoded leniently; memory is bounded by `limit`."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - limit))
        data = handle.read(limit)
    return data.decode("utf-8", errors="replace")


def normalise(text: str) -> str:
    """The log as a terminal would show it: no colours, no Actions timestamps, and of a line
    redrawn with `\r` only its last non-empty part (a CI marker glued in front of it kept on a
    line of its own). Whole-text passes only: no Python loop over lines."""
    if len(text) > TAIL_BYTES:
        text = text[-TAIL_BYTES:]
    text = "\n" + text.replace("\r\n", "\n")
    if "\x1b" in text:
        text = ANSI.sub("", text)
    if ACTIONS_STAMP.search(text[:4096]):
        text = ACTIONS_STAMP.sub("\n", text)
    if "\r" in text:
        text = GLUED_MARKER.sub("\n\\1\n", text)
        text = REDRAW.sub("\n", text).replace("\r", "")
    return text[1:]


def _exit_code(match: re.Match[str]) -> int | None:
    for group in ("gha", "travis_code", "travis_tail", "jenkins", "azure", "circle", "buildkite"):
        value = match.group(group)
        if value is not None:
            return int(value)
    return None


def _start_name(match: re.Match[str]) -> str:
    for group in ("gha", "azure", "gitlab", "fold", "shell", "stage", "buildkite"):
        value = match.group(group)
        if value:
            return value.strip()
    return match.group(0).strip()


CI_PREFIX = re.compile(r"^##\[(?:error|notice)\]")
QUIET = ("##[warning]", "##[debug]", "##[endgroup]", "travis_time:", "travis_fold:", "section_end:")
"""Lines that never decide: CI warnings and debug output, and the CI's own bookkeeping."""


def _region(text: str, start: int, end: int, name: str, code: int | None) -> Region:
    lines = [
        (CI_PREFIX.sub("", line) if line.startswith("##[") else line)[:MAX_LINE]
        for line in text[start:end].split("\n")[-2 * REGION_LINES :]
        if line and not line.startswith(QUIET) and not line.isspace()
    ]
    return Region(name[:200], tuple(lines[-REGION_LINES:]), code)


def failing_regions(text: str) -> list[Region]:
    """The failing steps of a normalised log, earliest first; the tail when no step says it failed.

    A step runs from the last step start before its failure marker (and after the previous
    failure marker) to that marker. A marker with exit code 0 is a step that passed.
    """
    text = "\n" + text
    starts = [(m.start(), _start_name(m)) for m in START.finditer(text)]
    regions: list[Region] = []
    previous_end = 0
    for match in FAIL.finditer(text):
        code = _exit_code(match)
        if code == 0:
            previous_end = match.end()
            continue
        begin, name = previous_end, ""
        for position, start_name in starts:
            if previous_end <= position < match.start():
                begin, name = position, start_name
        named = match.group("travis") or match.group("travis_retry")
        if named:
            name = named
        regions.append(_region(text, begin, match.end(), name, code))
        previous_end = match.end()
    if regions:
        return _drop_empty(regions, text)
    return [_tail_region(text, starts)]


def _drop_empty(regions: list[Region], text: str) -> list[Region]:
    """Failing steps with output; the log's tail instead when every failing step is silent."""
    kept = [region for region in regions if len(region.lines) > 1]
    return kept or regions


def _tail_region(text: str, starts: list[tuple[int, str]]) -> Region:
    """The end of a log with no failure marker, without the CI's housekeeping after the work."""
    end = len(text)
    for match in HOUSEKEEPING.finditer(text):
        if match.start() > len(text) // 2:
            end = match.start()
    name = ""
    for position, start_name in starts:
        if position < end:
            name = start_name
    return _region(text, 0, end, name, None)
