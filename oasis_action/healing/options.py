"""Options and checks shared by the commands that heal files (fix and its aliases, auto-fix-pr,
nightly-heal): declared once here so commands never import one another."""

from __future__ import annotations

from pathlib import Path

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.healing import engine
from oasis_action.healing.pyformat import TOOLS
from oasis_action.options import Kind, Option
from oasis_action.runner import Annotation

PATHS = Option(
    "paths",
    Kind.LIST,
    positional=True,
    many=True,
    default=(".",),
    metavar="PATH",
    help="files or folders (default: the whole repository)",
)
TOOLS_OPTION = Option(
    "tools",
    Kind.LIST,
    default=TOOLS,
    help="formatters to run (isort and docformatter run before black, whose second pass then"
    " checks the result)",
)
CACHE = Option(
    "cache",
    Kind.BOOL,
    default=True,
    cli_only=True,
    help="skip files known to be clean (--no-cache re-examines every file)",
)
ROOT = Option(
    "root",
    cli_only=True,
    default=".",
    metavar="PATH",
    help="repository root, where the configuration is read",
)
BRANCH = Option("branch", default="oasis/auto-fix", help="the branch OASIS owns for its fix PR")
BASE = Option(
    "base",
    default="",
    help="the branch the fix PR targets (default: the repository's default branch)",
)
FIX_PATHS = Option("paths", Kind.LIST, default=(".",), help="files or folders to fix (comma list)")


def checked_tools(tools: tuple[str, ...]) -> tuple[str, ...]:
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        raise InputError(f"unknown tool(s) {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    return tools


def checked_root(ctx: Context, root: str) -> Path:
    path = (ctx.workspace / root).resolve()
    if not path.is_dir():
        raise InputError(f"root {root!r} is not a directory")
    return path


def report_problems(ctx: Context, result: engine.Plan) -> None:
    for fix in result.fixes:
        if fix.note and not fix.problem:
            said = "partly fixed" if fix.changed else "left as it is"
            ctx.reporter.progress(f"{said}: {fix.path}: {fix.note}")
    for fix in result.problems:
        ctx.reporter.progress(f"left untouched: {fix.path}: {fix.problem}")
        if ctx.reporter.actions:
            ctx.reporter.annotate(
                Annotation("warning", fix.problem, fix.path, title="oasis: not fixed")
            )
