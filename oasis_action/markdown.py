"""Markdown that untrusted text (file, job and step names, log lines, messages) cannot break
out of: it never closes a fence, ends a table cell, opens HTML, or mentions a person or team."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

BACKTICKS = re.compile(r"`+")


def fence_for(text: str) -> str:
    """A code fence longer than any run of backticks in `text` (it cannot be closed early)."""
    longest = max((len(run) for run in BACKTICKS.findall(text)), default=0)
    return "`" * max(3, longest + 1)


def code_span(text: str) -> str:
    """`text` as one inline code span: backticks and line breaks cannot end it or start a block,
    and a `|` cannot end the table cell it sits in."""
    flat = " ".join(text.split()).replace("`", "'").replace("|", "\u2502")
    return f"`{flat}`" if flat else ""


def cell(text: str) -> str:
    """Plain text for a table cell or a sentence: one line; `|`, `<`, `>`, `@`, `[`, `]`, `*`,
    `_` and backticks escaped, so no HTML, link, mention, emphasis or cell break comes of it."""
    flat = " ".join(str(text).split())
    return re.sub(r"([\\|<>@\[\]*_`])", r"\\\1", flat)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table. Cells are written as given: pass untrusted text through :func:`cell`
    or :func:`code_span` first (a caller may want a code span or a link in a cell)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
