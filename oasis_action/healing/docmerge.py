"""Keep docformatter's rewrite docstring by docstring, only where no program can notice it.

docformatter works on tokens, not on the AST: it rewords docstrings (capitals, closing periods,
re-wrapping) and takes some ordinary strings for docstrings (a verbose regular expression
passed to `re.compile`). Refusing the whole file for one such string throws away its safe
changes, and its changes between tokens (a line break and a backslash before a string
argument) make black and docformatter undo each other round after round. So each docstring
of docformatter's output is compared with the same docstring before it, and only one whose
text is unchanged up to indentation and trailing whitespace takes the new layout; nothing
else docformatter changed is kept. The AST guard still checks the whole file afterwards.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from oasis_action.healing.astguard import docstring_key, docstring_text, statements


@dataclass(frozen=True)
class Merged:
    text: str
    left_out: int
    """How many of docformatter's rewrites were left out (docstrings reworded, and one for
    everything it changed outside docstrings beyond blank lines)."""
    docstrings: tuple[str, ...] | None = None
    """The lines that hold each docstring of `text`, where they are known: another text with
    the same docstring lines, in the same order, is one docformatter has nothing more to do
    to (black and isort neither add nor remove docstrings)."""


def _docstrings(tree: ast.AST) -> list[tuple[ast.Constant, str]]:
    """Every string that stands alone as a statement, in source order: the docstrings of the
    module, its classes and functions, and the attribute docstrings Sphinx reads after an
    assignment (docformatter formats those too)."""
    found: list[tuple[ast.Constant, str]] = []
    for node in statements(tree):
        if isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.append((value, value.value))
    return found


def _without_blank_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


class _Positions:
    """Character offsets of (line, UTF-8 byte column) positions, as the AST reports them."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1]
        return self.starts[line - 1] + len(text.encode()[:byte_column].decode(errors="ignore"))

    def span(self, node: ast.expr) -> tuple[int, int]:
        end_line, end_column = node.end_lineno or node.lineno, node.end_col_offset or 0
        return self.offset(node.lineno, node.col_offset), self.offset(end_line, end_column)


def _line_block(text: str, start: int, end: int) -> str:
    """The whole lines that hold text[start:end]."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first : len(text) if last < 0 else last]


def keep_safe(before: str, after: str, reword: bool = False) -> Merged:
    """`before` with the docstrings of `after` (docformatter's output for it) whose text is
    unchanged up to indentation and trailing whitespace; nothing else is taken from `after`.
    Blank lines are black's to decide (docformatter removes the one after a class docstring
    and black puts it back), so only other changes outside docstrings count as left out.
    With `reword`, a docstring may also be re-wrapped, capitalised and given its period."""
    same = docstring_key if reword else docstring_text
    if after == before:
        return Merged(after, 0)
    if "\r" in before + after:  # a line break the AST counts and str.split("\n") does not
        return Merged(before, 1)
    try:
        old, new = _docstrings(ast.parse(before)), _docstrings(ast.parse(after))
    except SyntaxError:
        return Merged(before, 1)
    if len(old) != len(new):
        return Merged(before, 1)
    old_at, new_at = _Positions(before), _Positions(after)
    pieces, undone, spans, left_out, cursor, new_cursor, length = [], [], [], 0, 0, 0, 0
    for (old_node, old_text), (new_node, new_text) in zip(old, new, strict=True):
        old_start, old_end = old_at.span(old_node)
        new_start, new_end = new_at.span(new_node)
        undone += [after[new_cursor:new_start], before[old_start:old_end]]
        new_cursor = new_end
        kept = same(old_text) == same(new_text)
        left_out += not kept
        piece = after[new_start:new_end] if kept else before[old_start:old_end]
        pieces += [before[cursor:old_start], piece]
        length += old_start - cursor
        spans.append((length, length + len(piece)))
        length += len(piece)
        cursor = old_end
    relaid = "".join(pieces) + before[cursor:]
    undone.append(after[new_cursor:])
    layout_only = _without_blank_lines("".join(undone)) == _without_blank_lines(before)
    blocks = tuple(_line_block(relaid, start, end) for start, end in spans)
    return Merged(relaid, left_out + (not layout_only), blocks)
