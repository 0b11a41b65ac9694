"""`oasis fix`: the one fixer. black, isort and docformatter plus the safe text fixes doctor
knows, never changing what code means; `--check` changes nothing and exits 1 listing what it
would change (a CI gate).

`format` (formatters only), `auto-fix` and `auto-fix-strict` (`fix --check`) are the same
command with other defaults (see the registry).
"""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.healing import engine
from oasis_action.healing.options import (
    CACHE,
    PATHS,
    ROOT,
    TOOLS_OPTION,
    checked_root,
    checked_tools,
    report_problems,
)
from oasis_action.healing.report import per_tool_table, summary_line, unified_diff
from oasis_action.options import Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.runner import Annotation

OPTIONS = (
    PATHS,
    TOOLS_OPTION,
    Option(
        "text-fixes",
        Kind.BOOL,
        default=True,
        help="also fix whitespace, line endings and final newlines in text files",
    ),
    Option(
        "docstring-text",
        Kind.BOOL,
        default=False,
        help="let docformatter reword docstrings (re-wrap, capitalise, add the closing period);"
        " off, only their indentation and trailing whitespace change, since __doc__ and"
        " doctests are part of the program",
    ),
    Option("check", Kind.BOOL, default=False, help="change nothing; exit 1 if a file would change"),
    Option("diff", Kind.BOOL, default=False, help="print a unified diff of what changes"),
    CACHE,
    ROOT,
)

OUTPUTS = (Output("changed-files", "JSON list of the files changed (or that would be)", []),)


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...]
    tools: tuple[str, ...]
    text_fixes: bool
    docstring_text: bool
    check: bool
    diff: bool
    cache: bool
    root: str


def _check(ctx: Context, result: engine.Plan, command: str) -> Outcome:
    changed = result.changed
    for fix in changed:
        ctx.reporter.result(f"would fix {fix.path} ({', '.join(fix.tools)})")
        if ctx.reporter.actions:
            message = f"would be changed by: {', '.join(fix.tools)}"
            ctx.reporter.annotate(Annotation("error", message, fix.path, title=f"oasis {command}"))
    paths = [fix.path for fix in changed]
    if changed:
        ctx.reporter.result(f"{len(changed)} file(s) would be changed; run `oasis auto-fix`")
        return Outcome(
            1, reason=f"{len(changed)} file(s) would be changed", outputs={"changed-files": paths}
        )
    ctx.reporter.result(f"nothing to fix in {result.examined} file(s)")
    return Outcome(reason="nothing to fix", outputs={"changed-files": paths})


def run(config: Config, ctx: Context) -> Outcome:
    root = checked_root(ctx, config.root)
    tools = checked_tools(config.tools)
    use_cache = config.cache and not config.check
    result, cache = engine.plan(
        root,
        config.paths or (".",),
        tools,
        text_fixes=config.text_fixes,
        use_cache=use_cache,
        docstring_text=config.docstring_text,
    )
    if config.diff and result.changed:
        ctx.reporter.result(unified_diff(result.changed).rstrip("\n"))
    report_problems(ctx, result)
    if config.check:
        return _check(ctx, result, "fix --check")
    written = engine.apply(root, result, cache, owner_of=ctx.workspace)
    verb = "fixed" if config.text_fixes else "reformatted"
    for fix in result.changed:
        ctx.reporter.result(f"{verb} {fix.path} ({', '.join(fix.tools)})")
    ctx.reporter.result(summary_line(result, verb))
    return Outcome(
        reason=summary_line(result, verb),
        outputs={"changed-files": written},
        summary=[f"## OASIS fix\n\n{per_tool_table(result)}\n"],
    )
