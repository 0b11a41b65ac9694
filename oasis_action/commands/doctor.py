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
from oasis_action.markdown import cell, code_span
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
    Option(
        "fix", Kind.BOOL, default=False, help="apply auto-fix for what can be fixed, then re-check"
    ),
    Option("commit", Kind.BOOL, default=False, help="with --fix: commit the fixes (one commit)"),
    Option("push", Kind.BOOL, default=False, help="with --commit: push the commit to origin"),
    Option(
        "allow-dirty",
        Kind.BOOL,
        default=False,
        help="with --fix: run on a tree with uncommitted changes",
    ),
)


@dataclass(frozen=True)
class Config:
    path: str
    json: bool
    checks: tuple[str, ...]
    fail_on: str
    output: str | None
    fix: bool = False
    commit: bool = False
    push: bool = False
    allow_dirty: bool = False


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


def failed(counts: Counter[str], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    if fail_on == "warning":
        return counts["error"] + counts["warning"] > 0
    return counts["error"] > 0


def _fix(config: Config, root: Path, reporter: Reporter) -> list[str]:
    """auto-fix over the repository (and a commit / push when asked); the paths it changed."""
    from oasis_action.healing import engine, gitops
    from oasis_action.healing.report import per_tool_table, summary_line

    if (config.commit or config.push) and not config.fix:
        raise InputError("--commit and --push need --fix")
    if config.push and not config.commit:
        raise InputError("--push needs --commit")
    if config.commit:
        gitops.require_work_tree(root)
    dirty = gitops.dirty_paths(root)
    if dirty and not config.allow_dirty:
        raise InputError(
            f"the work tree has uncommitted changes ({', '.join(dirty[:3])}); commit them or pass --allow-dirty"
        )
    result, cache = engine.plan(root)
    written = engine.apply(root, result, cache, owner_of=reporter.context.workspace)
    reporter.progress(summary_line(result, "fixed"))
    if written and config.commit:
        message = "style: oasis doctor --fix\n\n" + per_tool_table(result) + "\n"
        sha = gitops.commit(root, written, message)
        reporter.result(f"committed {len(written)} fixed file(s) as {sha[:7]}")
        reporter.set_output("commit", sha)
        if config.push:
            reporter.result(f"pushed to origin/{gitops.push(root)}")
    return written


def run(config: Config, reporter: Reporter) -> int:
    root = _validate(config, reporter.context.workspace)
    if config.fix or config.commit or config.push:
        fixed = _fix(config, root, reporter)
        for path in fixed:
            reporter.result(f"fixed {path}")
        reporter.set_output("fixed-files", fixed)
    findings = run_checks(RepoContext(root), config.checks)
    counts = Counter(finding.severity for finding in findings)
    payload = [finding.to_json() for finding in findings]
    if config.output:
        workspace = reporter.context.workspace
        atomic_write(
            reporter.context.writable(config.output, "output"),
            json.dumps(payload, indent=2) + "\n",
            owner_of=workspace,
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
