"""High-precision rules: signatures that are unambiguous in real CI logs.

A log is cleaned (Actions timestamps and `##[...]` markers removed), every rule is searched, and
the verdict is the strongest match: a hard category (test, compile, lint, config) anywhere wins,
so a real bug is never retried; otherwise the most confident match, the later one on a tie.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import ahocorasick

from oasis_action.triage import CATEGORIES, HARD_CATEGORIES

ACTIONS_PREFIX = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?", re.MULTILINE)
MARKER_LINE = re.compile(
    r"^##\[(?:group|endgroup|section|command|debug)\][^\n]*(?:\n|$)", re.MULTILINE
)
ERROR_MARKER = re.compile(r"^##\[(?:error|warning)\]", re.MULTILINE)

RULES: tuple[tuple[str, float, str], ...] = (
    (
        "test-failure",
        0.95,
        r"^(?:FAILED|ERROR) \S+::\S+|^=+ .*\b\d+ failed\b|\bAssertionError\b|^--- FAIL: |^FAIL:? \S+ \(|Tests? run:.*Failures: [1-9]|\d+ failing$|^test result: FAILED",
    ),
    (
        "compile-error",
        0.95,
        r"\bSyntaxError: |\bIndentationError: |error\[E\d{4}\]|^\S+\.(?:c|cc|cpp|h|go|java|ts|rs):\d+(?::\d+)?: (?:fatal )?error|\berror TS\d+:|\[ERROR\] COMPILATION ERROR|^ModuleNotFoundError: No module named '(?!pip\b)",
    ),
    (
        "lint-format",
        0.95,
        r"^would reformat |^Oh no! .* files? would be reformatted|^ERROR: \S+ Imports are incorrectly sorted|^Found \d+ errors?\.|^\S+\.py:\d+:\d+: [EWFCN]\d{3} |^error: Incorrect formatting|^Found \d+ errors? in \d+ files? \(checked|Diff in \S+ at line",
    ),
    (
        "config",
        0.9,
        r"Invalid workflow file|The workflow is not valid|Input required and not supplied|secret .* (?:not found|is not set)|Resource not accessible by integration|Permission denied \(publickey\)|Unable to resolve action",
    ),
    (
        "dependency",
        0.85,
        r"ResolutionImpossible|conflicting dependencies|No matching distribution found for|npm ERR! code ERESOLVE|Could not resolve dependencies|version solving failed",
    ),
    (
        "network",
        0.9,
        r"Connection reset by peer|ECONNRESET|ECONNREFUSED|Connection refused|Could not resolve host|Temporary failure in name resolution|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|TLS handshake timeout|SSL: .*(?:EOF|timed out)|(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)|429 Too Many Requests|RemoteDisconnected|Read timed out|NewConnectionError|Failed to establish a new connection",
    ),
    (
        "infrastructure",
        0.9,
        r"The runner has received a shutdown signal|lost communication with the server|The hosted runner .* lost|Cannot connect to the Docker daemon|error during connect: .*docker|The operation was canceled\.$|Runner .* did not respond",
    ),
    (
        "timeout",
        0.85,
        r"has exceeded the maximum execution time|timed out after \d+|The job running on runner .* has exceeded|Timeout of \d+ms exceeded|context deadline exceeded|TimeoutError|Timed out waiting",
    ),
    (
        "resource",
        0.9,
        r"No space left on device|Killed\s*$|exit code 137|exited with code 137|MemoryError|out of memory|OOMKilled|ENOSPC|JavaScript heap out of memory",
    ),
)
TRIGGERS: dict[str, tuple[str, ...]] = {
    "test-failure": ("FAIL", "ERROR ", " fail", "AssertionError", "Failures: "),
    "compile-error": ("Error", "error", "ERROR"),
    "lint-format": (
        "would re",
        "Imports are incorrectly",
        "Found ",
        ".py:",
        "Incorrect formatting",
        "Diff in ",
    ),
    "config": (
        "workflow",
        "Input required",
        "secret ",
        "Resource not accessible",
        "Permission denied",
        "Unable to resolve action",
    ),
    "dependency": (
        "Resolution",
        "conflicting dep",
        "No matching dist",
        "ERESOLVE",
        "Could not resolve dep",
        "version solving",
    ),
    "network": (
        "onnection",
        "ECONNRE",
        "resol",
        "getaddrinfo",
        "TLS handshake",
        "SSL: ",
        " Gateway",
        "Service Unavailable",
        "Too Many Requests",
        "RemoteDisconnected",
        "Read timed out",
    ),
    "infrastructure": (
        "unner",
        "lost communication",
        "Docker daemon",
        "error during connect",
        "was canceled.",
    ),
    "timeout": ("exceeded", "timed out after", "Timeout of", "TimeoutError", "Timed out waiting"),
    "resource": ("No space left", "Killed", " 137", "MemoryError", "out of memory", "ENOSPC"),
}
"""Literal strings, one of which every match of a category's pattern contains: a pattern runs
only on the lines holding one of them."""

COMPILED = tuple(
    (category, confidence, re.compile(pattern)) for category, confidence, pattern in RULES
)


@dataclass(frozen=True)
class Classification:
    category: str
    retryable: bool
    confidence: float
    excerpt: str
    signature: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def clean(text: str) -> list[str]:
    """Log lines without Actions timestamps and group markers (whole-text passes: fast on big logs)."""
    text = ACTIONS_PREFIX.sub("", text.replace("\r\n", "\n"))
    return ERROR_MARKER.sub("", MARKER_LINE.sub("", text)).split("\n")


MASKS = (
    (re.compile(r"\b[0-9a-f]{7,64}\b"), "<hash>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?"), "<time>"),
    (re.compile(r"(?:/[\w.@+-]+){2,}"), "<path>"),
    (re.compile(r"\b\d+(?:\.\d+)*\b"), "<n>"),
)


def signature(line: str) -> str:
    """The line with hashes, timestamps, paths and numbers masked, for grouping failures."""
    masked = line.strip()
    for pattern, token in MASKS:
        masked = pattern.sub(token, masked)
    return masked[:200]


def _build_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    by_trigger: dict[str, list[str]] = {}
    for category, triggers in TRIGGERS.items():
        for trigger in triggers:
            by_trigger.setdefault(trigger, []).append(category)
    for trigger, categories in by_trigger.items():
        automaton.add_word(trigger, (len(trigger), tuple(categories)))
    automaton.make_automaton()
    return automaton


AUTOMATON = _build_automaton()
"""Every trigger of every category, found in one pass over the log (Aho-Corasick)."""


def _trigger_lines(text: str) -> dict[str, set[tuple[int, int]]]:
    """For each category, (start, end) of every line holding one of its triggers."""
    spans: dict[str, set[tuple[int, int]]] = {}
    seen: dict[int, tuple[int, int]] = {}
    for last, (length, categories) in AUTOMATON.iter(text):
        at = last - length + 1
        line_start = text.rfind("\n", 0, at) + 1
        span = seen.get(line_start)
        if span is None:
            end = text.find("\n", at)
            span = seen[line_start] = (line_start, len(text) if end == -1 else end)
        for category in categories:
            spans.setdefault(category, set()).add(span)
    return spans


def _clean_line(line: str) -> str | None:
    """One raw line without its Actions timestamp; None for a group/section marker line."""
    line = ACTIONS_PREFIX.sub("", line, count=1)
    if MARKER_LINE.match(line):
        return None
    return ERROR_MARKER.sub("", line, count=1)


def _around(text: str, start: int, before: int = 2, after: int = 2) -> list[str]:
    """The cleaned lines around the line starting at `start` (the matched line in the middle)."""
    head = text[:start].split("\n")[-before - 1 : -1] if start else []
    rest = text[start:].split("\n", after + 1)[: after + 1]
    return [c for c in map(_clean_line, head + rest) if c is not None]


def classify(text: str) -> Classification:
    """The strongest rule match in the log, or `unknown`.

    Every pattern matches within one line, so it only runs on the lines that hold one of its
    category's trigger strings (cleaned one by one): a 64 KiB log costs one Aho-Corasick pass,
    not nine regex scans of the whole text.
    """
    text = text.replace("\r\n", "\n")
    matches: list[tuple[bool, float, int, str, str]] = []
    candidates = _trigger_lines(text)
    for category, confidence, pattern in COMPILED:
        for start, end in candidates.get(category, ()):
            line = _clean_line(text[start:end])
            if line is not None and pattern.search(line):
                matches.append((category in HARD_CATEGORIES, confidence, start, category, line))
    if not matches:
        tail = [line for line in clean(text[-16384:]) if line.strip()][-3:]
        return Classification(
            "unknown", False, 0.0, "\n".join(tail)[:1000], signature(tail[-1]) if tail else ""
        )
    _, confidence, start, category, line = max(matches)
    window = "\n".join(c.rstrip() for c in _around(text, start) if c.strip())[:1000]
    return Classification(category, CATEGORIES[category], confidence, window, signature(line))
