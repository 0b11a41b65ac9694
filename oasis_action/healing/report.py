"""How healing results are shown: changed files per tool, problems, a unified diff."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from oasis_action.healing.engine import FileFix, Plan
from oasis_action.markdown import code_span


def unified_diff(fixes: Sequence[FileFix]) -> str:
    chunks: list[str] = []
    for fix in fixes:
        chunks += difflib.unified_diff(
            fix.before.splitlines(keepends=True),
            fix.after.splitlines(keepends=True),
            f"a/{fix.path}",
            f"b/{fix.path}",
        )
    return "".join(chunks)


def per_tool_table(result: Plan) -> str:
    """Markdown: which files each tool changed (the auto-fix PR body and the step summary)."""
    table = result.by_tool()
    if not table:
        return "Nothing to change."
    rows = ["| tool | files |", "|---|---|"]
    for tool, paths in sorted(table.items()):
        shown = ", ".join(code_span(p) for p in paths[:20])
        more = f" and {len(paths) - 20} more" if len(paths) > 20 else ""
        rows.append(f"| {tool} | {shown}{more} |")
    return "\n".join(rows)


def summary_line(result: Plan, verb: str) -> str:
    return (
        f"{len(result.changed)} file(s) {verb}, {len(result.problems)} left untouched, "
        f"{result.examined} examined ({result.skipped_by_cache} known clean)"
    )
