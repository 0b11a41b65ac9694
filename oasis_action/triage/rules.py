"""High-precision rules: signatures that are unambiguous in real CI logs.

A log is cleaned (Actions timestamps and `##[...]` markers removed), every rule is searched, and
the verdict is the strongest match: a hard category (test, compile, lint, config) anywhere wins,
so a real bug is never retried; otherwise the most confident match, the later one on a tie.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from oasis_action.triage import CATEGORIES, HARD_CATEGORIES

ACTIONS_PREFIX = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
MARKER = re.compile(r"^##\[(?:group|endgroup|section|command|debug)\]")
ERROR_MARKER = re.compile(r"^##\[(?:error|warning)\]")

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
COMPILED = tuple(
    (category, confidence, re.compile(pattern, re.MULTILINE))
    for category, confidence, pattern in RULES
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
    """Log lines without Actions timestamps and group markers."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = ACTIONS_PREFIX.sub("", raw)
        if MARKER.match(line):
            continue
        lines.append(ERROR_MARKER.sub("", line))
    return lines


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


def excerpt(lines: list[str], index: int, before: int = 2, after: int = 2) -> str:
    window = lines[max(0, index - before) : index + after + 1]
    return "\n".join(line.rstrip() for line in window if line.strip())[:1000]


def classify(text: str) -> Classification:
    """The strongest rule match in the log, or `unknown`."""
    lines = clean(text)
    joined = "\n".join(lines)
    matches: list[tuple[bool, float, int, str]] = []
    for category, confidence, pattern in COMPILED:
        for found in pattern.finditer(joined):
            line_index = joined.count("\n", 0, found.start())
            matches.append((category in HARD_CATEGORIES, confidence, line_index, category))
    if not matches:
        tail = [line for line in lines if line.strip()][-3:]
        return Classification(
            "unknown", False, 0.0, "\n".join(tail)[:1000], signature(tail[-1]) if tail else ""
        )
    hard, confidence, index, category = max(matches)
    return Classification(
        category, CATEGORIES[category], confidence, excerpt(lines, index), signature(lines[index])
    )
