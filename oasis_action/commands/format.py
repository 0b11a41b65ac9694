"""`oasis format`: black, then isort (profile black), then docformatter, honouring the repo's config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oasis_action.errors import InputError
from oasis_action.healing import engine
from oasis_action.healing.pyformat import TOOLS
from oasis_action.healing.report import summary_line
from oasis_action.options import Kind, Option
from oasis_action.runner import Annotation, Reporter

PATHS = Option(
    "paths",
    Kind.LIST,
    positional=True,
    many=True,
    default=(".",),
    help="files or folders (default: the whole repository)",
)
TOOLS_OPTION = Option(
    "tools", Kind.LIST, default=TOOLS, help="formatters to run, in this order: " + ",".join(TOOLS)
)
NO_CACHE = Option(
    "no-cache", Kind.BOOL, default=False, cli_only=True, help="re-examine files known to be clean"
)
ROOT = Option(
    "root", cli_only=True, default=".", help="repository root (configuration is read from here)"
)

OPTIONS = (PATHS, TOOLS_OPTION, NO_CACHE, ROOT)


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...]
    tools: tuple[str, ...]
    no_cache: bool
    root: str


def checked_tools(tools: tuple[str, ...]) -> tuple[str, ...]:
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        raise InputError(f"unknown tool(s) {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    return tools


def checked_root(reporter: Reporter, root: str) -> Path:
    path = (reporter.context.workspace / root).resolve()
    if not path.is_dir():
        raise InputError(f"root {root!r} is not a directory")
    return path


def report_problems(reporter: Reporter, result: engine.Plan) -> None:
    for fix in result.problems:
        reporter.progress(f"left untouched: {fix.path}: {fix.problem}")
        if reporter.actions:
            reporter.annotate(
                Annotation("warning", fix.problem, fix.path, title="oasis: not fixed")
            )


def run(config: Config, reporter: Reporter) -> int:
    root = checked_root(reporter, config.root)
    result, cache = engine.plan(
        root,
        config.paths or (".",),
        checked_tools(config.tools),
        text_fixes=False,
        use_cache=not config.no_cache,
    )
    written = engine.apply(root, result, cache, owner_of=reporter.context.workspace)
    for path in written:
        reporter.result(f"reformatted {path}")
    report_problems(reporter, result)
    reporter.result(summary_line(result, "reformatted"))
    reporter.set_output("changed-files", written)
    return 0
