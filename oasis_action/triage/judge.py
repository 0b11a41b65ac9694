"""From evidence to a verdict: a pure function over the hits found in the failing steps.

Order of precedence, which is what makes a retry safe:
1. A transient rule marked `overrides` (a test that failed because it timed out, the runner
   lost, the disk full) decides over failed tests (they failed because of it), never over a
   compiler, a linter, a dependency or the CI configuration.
2. Hard evidence (tests, compiler, linters, CI configuration, dependencies) decides next. A
   dependency failure with a network error beside it is a network failure (a download that
   could not be made, not a package that does not exist).
3. Transient evidence decides only in a step with no hard evidence: retryable.
4. No evidence: None, and the caller may ask the model (which never makes a verdict retryable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oasis_action.triage import CATEGORIES, HARD_CATEGORIES
from oasis_action.triage.evidence import Hit
from oasis_action.triage.steps import Region

NON_RETRYABLE = HARD_CATEGORIES | {"dependency"}
EXIT_CODES = {124: "timeout", 137: "resource"}
"""Exit codes that say why a step ended: timeout(1)'s 124, and 137 (SIGKILL, the OOM killer)."""
STRONG = 0.5
"""Hard evidence at least this heavy vetoes any retry (weaker hard hits only break ties)."""

LINK_ITEM = re.compile(r"^\s{0,8}\d+\. (?:\[L\d+\] )?(?P<status>\d{3})?\s*(?P<rest>.{0,600})$")
TRANSIENT_LINK = re.compile(
    r"Connection refused|Connection reset|timed out|Timeout|Failed to open TCP|getaddrinfo"
    r"|google\.com/sorry|SSL_connect|execution expired"
)


@dataclass(frozen=True)
class Verdict:
    category: str
    retryable: bool
    confidence: float
    region: Region
    deciding: tuple[Hit, ...]


def link_check(lines: tuple[str, ...]) -> str | None:
    """awesome_bot-style reports: `network` when every failing link failed for a transient
    reason (5xx, 429, refused, timed out, rate-limit redirect), `lint-format` when any link is
    simply wrong (404, a redirect to fix, a bad URI); None when the step has no such report."""
    try:
        start = max(i for i, line in enumerate(lines) if line.strip() == "Issues :-(")
    except ValueError:
        return None
    transient = wrong = 0
    for line in lines[start + 1 :]:
        if line.startswith(("> Dupes", "Wrote ")):
            break
        match = LINK_ITEM.match(line)
        if not match:
            continue
        status = match.group("status")
        if (status and (status.startswith("5") or status == "429")) or TRANSIENT_LINK.search(
            match.group("rest")
        ):
            transient += 1
        else:
            wrong += 1
    if transient and not wrong:
        return "network"
    return "lint-format" if wrong else None


def _best(hits: list[Hit], categories: frozenset[str] | set[str]) -> Hit | None:
    chosen = [hit for hit in hits if hit.category in categories]
    return max(chosen, key=lambda hit: (hit.weight, hit.line)) if chosen else None


def judge_region(region: Region, hits: list[Hit]) -> Verdict | None:
    links = link_check(region.lines)
    if links is not None:
        hits = [hit for hit in hits if hit.category not in ("network", "lint-format")]
        anchor = next(i for i, line in enumerate(region.lines) if line.strip() == "Issues :-(")
        hits.append(Hit(links, 0.9, anchor, region.lines[anchor], links == "network"))
    by_exit = EXIT_CODES.get(region.exit_code or 0)
    if by_exit is not None:
        hits = [*hits, Hit(by_exit, 0.9, len(region.lines), f"exit code {region.exit_code}", True)]
    if not hits:
        return None
    transient_categories = {c for c, retry in CATEGORIES.items() if retry}
    hard = _best(hits, NON_RETRYABLE)
    override = _best([hit for hit in hits if hit.overrides], transient_categories)
    transient = _best(hits, transient_categories)
    if override is not None and (hard is None or hard.category == "test-failure"):
        return _verdict(override, region, hits)
    if hard is not None and hard.weight >= STRONG:
        if hard.category == "dependency" and transient and transient.category == "network":
            return _verdict(transient, region, hits)
        if _imports_own_module(hard, region):
            hard = Hit("compile-error", hard.weight, hard.line, hard.text, False)
        return _verdict(hard, region, hits)
    if transient is not None:
        return _verdict(transient, region, hits)
    return None


MISSING_MODULE = re.compile(r"No module named '?(?P<top>\w{1,100})")


def _imports_own_module(hit: Hit, region: Region) -> bool:
    """A Python import of a module that lives in the project (its folder is in the traceback's
    paths) is the project's own bug, not a missing dependency."""
    match = MISSING_MODULE.search(hit.text) if hit.category == "dependency" else None
    if match is None:
        return False
    top = re.escape(match.group("top"))
    folder = re.compile(rf"(?:^|[\s\"'/])(?:src/)?{top}/|^\s{{0,8}}from {top}\.")
    return any(folder.search(line) for line in region.lines[max(0, hit.line - 40) : hit.line])


def _verdict(hit: Hit, region: Region, hits: list[Hit]) -> Verdict:
    others = sorted(
        (h for h in hits if h.category == hit.category and h != hit), key=lambda h: -h.weight
    )
    deciding = (hit, *others[:2])
    return Verdict(hit.category, CATEGORIES[hit.category], hit.weight, region, deciding)


def judge(regions: list[Region], hits_per_region: list[list[Hit]]) -> Verdict | None:
    """The verdict over every failing step: hard evidence in any of them beats transient
    evidence in another (a job with a failed test step is not retried for a flaky download)."""
    verdicts = [
        verdict
        for region, hits in zip(regions, hits_per_region, strict=True)
        if (verdict := judge_region(region, hits)) is not None
    ]
    if not verdicts:
        return None
    hard = [v for v in verdicts if not v.retryable and v.confidence >= STRONG]
    if hard:
        return max(hard, key=lambda v: v.confidence)
    return max(verdicts, key=lambda v: v.confidence)
