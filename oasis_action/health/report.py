"""How findings read: a Markdown table for summaries and issues, plain lines for a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oasis_action.health import Finding
from oasis_action.markdown import cell, code_span


def render_table(findings: Sequence[Finding]) -> str:
    """Findings as a Markdown table (step summary)."""
    if not findings:
        return "No findings: the repository is healthy."
    rows = ["| severity | check | file | line | message |", "|---|---|---|---|---|"]
    for finding in findings:
        where = code_span(finding.file) if finding.file else ""
        rows.append(
            f"| {finding.severity} | {finding.check} | {where} "
            f"| {finding.line or ''} | {cell(finding.message[:300])} |"
        )
    return "\n".join(rows)


def render_text(findings: Sequence[Finding]) -> str:
    """Findings as plain lines for a terminal."""
    lines = []
    for finding in findings:
        where = ":".join(str(p) for p in (finding.file, finding.line) if p is not None)
        lines.append(
            f"{finding.severity:<7} {finding.check:<13} {where + '  ' if where else ''}{finding.message}"
        )
    return "\n".join(lines)


def verdict(counts: Counter[str]) -> str:
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"
