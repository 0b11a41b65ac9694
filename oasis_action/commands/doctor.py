"""`oasis doctor`: diagnose a repository and report findings with file and line."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.fsutil import atomic_write
from oasis_action.health import Finding, known_checks, run_checks
from oasis_action.health.repo import RepoContext
from oasis_action.health.report import render_table, render_text, verdict
from oasis_action.options import Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.runner import Annotation

OPTIONS = (
    Option("path", default=".", positional=True, metavar="PATH", help="repository root to examine"),
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
    Option(
        "output", metavar="FILE", help="also write the findings as JSON to this file (atomically)"
    ),
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

OUTPUTS = (
    Output("findings", "JSON list of the findings (severity, check, file, line, message)", []),
    Output("errors", "number of error findings", 0),
    Output("warnings", "number of warning findings", 0),
    Output("fixed-files", "JSON list of the files --fix changed", []),
    Output("commit", "the commit --fix --commit made"),
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


def failed(counts: Counter[str], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    if fail_on == "warning":
        return counts["error"] + counts["warning"] > 0
    return counts["error"] > 0


def _fix(config: Config, root: Path, ctx: Context) -> dict[str, object]:
    """auto-fix over the repository (and a commit / push when asked): the `fixed-files` and
    `commit` outputs."""
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
    written = engine.apply(root, result, cache, owner_of=ctx.runner.workspace)
    ctx.reporter.progress(summary_line(result, "fixed"))
    if written and config.commit:
        message = "style: oasis doctor --fix\n\n" + per_tool_table(result) + "\n"
        sha = gitops.commit(root, written, message)
        ctx.reporter.result(f"committed {len(written)} fixed file(s) as {sha[:7]}")
        if config.push:
            ctx.reporter.result(f"pushed to origin/{gitops.push(root)}")
        return {"fixed-files": written, "commit": sha}
    return {"fixed-files": written}


def _annotate(ctx: Context, findings: list[Finding]) -> None:
    for finding in findings:
        if finding.severity in ("error", "warning"):
            ctx.reporter.annotate(
                Annotation(
                    finding.severity,
                    finding.message,
                    finding.file,
                    finding.line,
                    title=f"doctor: {finding.check}",
                )
            )


def run(config: Config, ctx: Context) -> Outcome:
    root = _validate(config, ctx.workspace)
    outputs: dict[str, object] = {}
    if config.fix or config.commit or config.push:
        outputs = _fix(config, root, ctx)
        for path in outputs["fixed-files"]:  # type: ignore[attr-defined]
            ctx.reporter.result(f"fixed {path}")
    findings = run_checks(RepoContext(root), config.checks)
    counts = Counter(finding.severity for finding in findings)
    payload = [finding.to_json() for finding in findings]
    if config.output:
        atomic_write(
            ctx.runner.writable(config.output, "output"),
            json.dumps(payload, indent=2) + "\n",
            owner_of=ctx.workspace,
        )
    if config.json:
        ctx.reporter.result(json.dumps(payload, indent=2))
    else:
        if findings:
            ctx.reporter.result(render_text(findings))
        ctx.reporter.result(verdict(counts))
    if ctx.reporter.actions:
        _annotate(ctx, findings)
    return Outcome(
        1 if failed(counts, config.fail_on) else 0,
        reason=verdict(counts),
        outputs={
            **outputs,
            "findings": payload,
            "errors": counts["error"],
            "warnings": counts["warning"],
        },
        summary=["## OASIS doctor\n\n" + render_table(findings) + f"\n\n**{verdict(counts)}**\n"],
    )
