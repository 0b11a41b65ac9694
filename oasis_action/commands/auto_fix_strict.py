"""`oasis auto-fix-strict`: change nothing; exit 1 listing what auto-fix would change (a CI gate)."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.commands.format import (
    PATHS,
    ROOT,
    TOOLS_OPTION,
    checked_root,
    checked_tools,
    report_problems,
)
from oasis_action.healing import engine
from oasis_action.healing.report import unified_diff
from oasis_action.options import Kind, Option
from oasis_action.runner import Annotation, Reporter

OPTIONS = (
    PATHS,
    TOOLS_OPTION,
    Option("diff", Kind.BOOL, default=False, help="also print a unified diff of what would change"),
    ROOT,
)


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...]
    tools: tuple[str, ...]
    diff: bool
    root: str


def run(config: Config, reporter: Reporter) -> int:
    root = checked_root(reporter, config.root)
    result, _ = engine.plan(
        root, config.paths or (".",), checked_tools(config.tools), use_cache=False
    )
    changed = result.changed
    for fix in changed:
        reporter.result(f"would fix {fix.path} ({', '.join(fix.tools)})")
        if reporter.actions:
            reporter.annotate(
                Annotation(
                    "error",
                    f"would be changed by: {', '.join(fix.tools)}",
                    fix.path,
                    title="oasis auto-fix-strict",
                )
            )
    if config.diff and changed:
        reporter.result(unified_diff(changed).rstrip("\n"))
    report_problems(reporter, result)
    reporter.set_output("changed-files", [f.path for f in changed])
    if changed:
        reporter.result(f"{len(changed)} file(s) would be changed; run `oasis auto-fix`")
        return 1
    reporter.result(f"nothing to fix in {result.examined} file(s)")
    return 0
