"""`oasis auto-fix`: format plus the safe text fixes doctor knows, never changing what code means."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.commands.format import (
    NO_CACHE,
    PATHS,
    ROOT,
    TOOLS_OPTION,
    checked_root,
    checked_tools,
    report_problems,
)
from oasis_action.healing import engine
from oasis_action.healing.report import per_tool_table, summary_line
from oasis_action.runner import Reporter

OPTIONS = (PATHS, TOOLS_OPTION, NO_CACHE, ROOT)


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...]
    tools: tuple[str, ...]
    no_cache: bool
    root: str


def run(config: Config, reporter: Reporter) -> int:
    root = checked_root(reporter, config.root)
    result, cache = engine.plan(
        root, config.paths or (".",), checked_tools(config.tools), use_cache=not config.no_cache
    )
    written = engine.apply(root, result, cache, owner_of=reporter.context.workspace)
    for fix in result.changed:
        reporter.result(f"fixed {fix.path} ({', '.join(fix.tools)})")
    report_problems(reporter, result)
    reporter.result(summary_line(result, "fixed"))
    reporter.summary("## OASIS auto-fix\n\n" + per_tool_table(result) + "\n")
    reporter.set_output("changed-files", written)
    return 0
