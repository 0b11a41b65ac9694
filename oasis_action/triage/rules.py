"""The rule layer on its own: steps found, evidence read, a verdict judged, no model.

`classify` is what the classifier runs first on every log (and what benchmarks compare the
whole triage with); `Classification` is the verdict every caller receives.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from oasis_action.markdown import code_span, fence_for  # noqa: F401  (re-exported)
from oasis_action.triage import evidence, judge, steps


@dataclass(frozen=True)
class Classification:
    category: str
    retryable: bool
    confidence: float
    excerpt: str
    signature: str
    step: str = ""
    """The failing step the verdict was read from (its command or name), when the log has steps."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


MASKS = (
    (re.compile(r"\b[0-9a-f]{7,64}\b"), "<hash>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?"), "<time>"),
    (re.compile(r"(?:/[\w.@+-]+){2,}"), "<path>"),
    (re.compile(r"\b\d+(?:\.\d+)*\b"), "<n>"),
)


def signature(line: str) -> str:
    """The line with hashes, timestamps, paths and numbers masked, for grouping failures."""
    masked = line.strip()[:400]
    for pattern, token in MASKS:
        masked = pattern.sub(token, masked)
    return masked[:200]


MARKER = re.compile(r"^##\[(?:group|endgroup|section|command|debug)\]")
PREFIX = re.compile(r"^##\[(?:error|warning|notice)\]")


def clean(text: str) -> list[str]:
    """A log's lines as a terminal shows them: no colours, redraws, Actions timestamps, group
    markers or `##[error]` prefixes."""
    lines = steps.normalise(text).split("\n")
    return [PREFIX.sub("", line) for line in lines if not MARKER.match(line)]


def regions_of(text: str) -> list[steps.Region]:
    return steps.failing_regions(steps.normalise(text))


def verdict_of(regions: list[steps.Region]) -> judge.Verdict | None:
    return judge.judge(regions, [evidence.scan(region.lines) for region in regions])


def quote(verdict: judge.Verdict) -> tuple[str, str]:
    """The lines that decided (each with the line before it), and the signature of the first."""
    lines = verdict.region.lines
    chosen: list[str] = []
    for hit in sorted(verdict.deciding, key=lambda h: h.line):
        for index in (hit.line - 1, hit.line):
            if 0 <= index < len(lines) and lines[index].strip() and lines[index] not in chosen:
                chosen.append(lines[index].rstrip())
    return "\n".join(chosen)[:1000], signature(verdict.deciding[0].text)


def tail_excerpt(regions: list[steps.Region]) -> tuple[str, str, str]:
    """The last lines of the last failing step: what a person reads when no rule spoke."""
    region = regions[-1] if regions else steps.Region("", (), None)
    tail = [line.rstrip() for line in region.lines if line.strip()][-3:]
    return "\n".join(tail)[:1000], signature(tail[-1]) if tail else "", region.name


def from_verdict(verdict: judge.Verdict) -> Classification:
    excerpt, sig = quote(verdict)
    return Classification(
        verdict.category,
        verdict.retryable,
        round(verdict.confidence, 3),
        excerpt,
        sig,
        verdict.region.name,
    )


def classify(text: str) -> Classification:
    """The rule layer's verdict, `unknown` (confidence 0) when no rule recognised the failure."""
    regions = regions_of(text)
    verdict = verdict_of(regions)
    if verdict is not None:
        return from_verdict(verdict)
    excerpt, sig, step = tail_excerpt(regions)
    return Classification("unknown", False, 0.0, excerpt, sig, step)
