"""`oasis doctor`: diagnose a repository and report findings with file and line."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oasis_action.errors import InputError
from oasis_action.fsutil import atomic_write
from oasis_action.health import Finding, known_checks, run_checks
from oasis_action.health.repo import RepoContext
from oasis_action.options import Kind, Option
from oasis_action.runner import Annotation, Reporter

OPTIONS = (
    Option("path", default=".", positional=True, help="repository root to examine"),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print findings as JSON"),
    Option(
        "checks",
        Kind.LIST,
        default=(),
        help="comma list of checks to run (all when empty): "
        + ", ".join(("python-syntax", "yaml", "gpu", "dependencies", "git")),
    ),
    Option(
        "fail-on",
        Kind.CHOICE,
        default="error",
        choices=("error", "warning", "never"),
        help="lowest severity that makes doctor exit 1",
    ),
    Option("output", help="also write the findings as JSON to this file (atomically)"),
)


@dataclass(frozen=True)
class Config:
    path: str
    json: bool
    checks: tuple[str, ...]
    fail_on: str
    output: str | None


def _validate(config: Config, workspace: Path) -> Path:
    root = (workspace / config.path).resolve()
    if not root.is_dir():
        raise InputError(f"path {config.path!r} is not a directory")
    unknown = sorted(set(config.checks) - set(known_checks()))
    if unknown:
        raise InputError(
            f"unknown check(s) {', '.join(unknown)}; known: {', '.join(known_checks())}"
        )
    return root


def render_table(findings: Sequence[Finding]) -> str:
    """Findings as a Markdown table (step summary)."""
    if not findings:
        return "No findings: the repository is healthy."
    rows = ["| severity | check | file | line | message |", "|---|---|---|---|---|"]
    for finding in findings:
        message = finding.message.replace("|", "\\|").replace("\n", " ")
        rows.append(
            f"| {finding.severity} | {finding.check} | {finding.file or ''} "
            f"| {finding.line or ''} | {message} |"
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


def failed(counts: Counter[str], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    if fail_on == "warning":
        return counts["error"] + counts["warning"] > 0
    return counts["error"] > 0


def run(config: Config, reporter: Reporter) -> int:
    root = _validate(config, reporter.context.workspace)
    findings = run_checks(RepoContext(root), config.checks)
    counts = Counter(finding.severity for finding in findings)
    payload = [finding.to_json() for finding in findings]
    if config.output:
        workspace = reporter.context.workspace
        atomic_write(
            workspace / config.output, json.dumps(payload, indent=2) + "\n", owner_of=workspace
        )
    if config.json:
        reporter.result(json.dumps(payload, indent=2))
    else:
        if findings:
            reporter.result(render_text(findings))
        reporter.result(verdict(counts))
    if reporter.actions:
        for finding in findings:
            if finding.severity in ("error", "warning"):
                reporter.annotate(
                    Annotation(
                        finding.severity,
                        finding.message,
                        finding.file,
                        finding.line,
                        title=f"doctor: {finding.check}",
                    )
                )
    reporter.summary(
        "## OASIS doctor\n\n" + render_table(findings) + f"\n\n**{verdict(counts)}**\n"
    )
    reporter.set_output("findings", payload)
    reporter.set_output("errors", counts["error"])
    reporter.set_output("warnings", counts["warning"])
    reporter.set_output("reason", verdict(counts))
    return 1 if failed(counts, config.fail_on) else 0
