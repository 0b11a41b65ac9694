"""Is a rewritten Python file the same program? Compare ASTs, allowing only what formatters may change.

Allowed: whitespace inside docstrings, blank lines included, and sentence-closing periods in
them (docformatter re-wraps docstrings, gives the summary its own paragraph, capitalises it and
ends it with a period) and the order, grouping and
duplication of imports within one block of consecutive import statements (isort sorts, merges
and de-duplicates them). Anything else that differs means the file is left untouched.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

IMPORTS = (ast.Import, ast.ImportFrom)


def docstring_key(text: str) -> str:
    """What a docstring says once whitespace (blank lines included) and closing periods are set
    aside: docformatter re-wraps, splits the summary into its own paragraph and ends it with a
    period."""
    key = " ".join(word.rstrip(".") for word in text.split())
    return key[:1].lower() + key[1:]


def docstring_text(text: str) -> str:
    """A docstring with only its indentation and trailing whitespace set aside."""
    import inspect

    return "\n".join(line.rstrip() for line in inspect.cleandoc(text).splitlines()).strip("\n")


def _normalise_docstring(node: ast.AST, lenient: bool) -> None:
    """A string standing alone as a statement: a docstring (`__doc__`), or an attribute
    docstring that only documentation tools read; its whitespace is not the program's."""
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ):
        text = node.value.value
        node.value.value = docstring_key(text) if lenient else docstring_text(text)


def _bindings(block: list[ast.stmt]) -> ast.stmt | None:
    """Which import binds each name last, for names a block imports more than once: `from b
    import X` then `from a import X` binds X to a's, and sorting the lines would change that."""
    last: dict[str, str] = {}
    sources: dict[str, set[str]] = {}
    for statement in block:
        for alias in getattr(statement, "names", ()):
            if isinstance(statement, ast.Import):
                name, source = alias.asname or alias.name.split(".")[0], f"import {alias.name}"
            else:
                module = "." * statement.level + (statement.module or "")  # type: ignore[attr-defined]
                name, source = alias.asname or alias.name, f"from {module} import {alias.name}"
            sources.setdefault(name, set()).add(source)
            last[name] = source
    twice = sorted((name, last[name]) for name, seen in sources.items() if len(seen) > 1)
    return ast.Expr(ast.Constant(repr(twice))) if twice else None


def _canonical_imports(block: list[ast.stmt]) -> list[ast.stmt]:
    """One statement per imported name, de-duplicated and sorted: what isort may not change."""
    items: dict[str, ast.stmt] = {}
    for statement in block:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                single: ast.stmt = ast.Import(names=[ast.alias(alias.name, alias.asname)])
                items[ast.dump(single)] = single
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                single = ast.ImportFrom(
                    module=statement.module,
                    names=[ast.alias(alias.name, alias.asname)],
                    level=statement.level,
                )
                items[ast.dump(single)] = single
    bound = _bindings(block)
    return [items[key] for key in sorted(items)] + ([bound] if bound else [])


def _normalise_imports(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    block: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, IMPORTS):
            block.append(statement)
            continue
        out += _canonical_imports(block)
        block = []
        out.append(statement)
    return out + _canonical_imports(block)


BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
"""The fields that hold statements."""


def statements(tree: ast.AST) -> Iterator[ast.AST]:
    """The module and every statement-level node in source order, never entering an
    expression: docstrings and import blocks live only there, and a full walk costs three
    times as much."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        yield node
        for name in BLOCKS:
            children = getattr(node, name, None)
            if isinstance(children, list):
                pending.extend(reversed([c for c in children if isinstance(c, ast.AST)]))


def _canonical(tree: ast.AST, lenient: bool) -> str:
    for node in statements(tree):
        _normalise_docstring(node, lenient)
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, name, _normalise_imports(body))
    # black drops the u prefix of a string: `kind='u'` is spelling, not meaning, and ends
    # its node's dump, so it is cut from the text instead of walking every expression.
    return ast.dump(tree, include_attributes=False).replace(", kind='u')", ")")


CODE_PUNCTUATION = frozenset("()[]{}=:,.'\"")


def _looks_like_code(literal: str) -> bool:
    """A literal that could quote a line of code: a name and some punctuation (`ValueError('x')`),
    not a word (`'import'`, which every import line contains) nor indentation."""
    return any(c.isalnum() for c in literal) and any(c in CODE_PUNCTUATION for c in literal)


def self_quotes_kept(tree: ast.AST, before: str, after: str) -> bool:
    """A file that quotes its own source (a test asserting on its traceback's
    `raise ValueError('x')` line) notices any change to the text it quotes: every string
    constant found elsewhere in the file's text must be found at least as often after the
    rewrite (more is other code formatted to look the same, as `f(a, items=b)`)."""
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and 6 <= len(node.value) <= 200
        and "\n" not in node.value
        and _looks_like_code(node.value)
    }
    return all(
        after.count(text) >= before.count(text) for text in literals if before.count(text) > 1
    )


def equivalent(before: str, after: str, lenient_docstrings: bool = False) -> bool:
    """True when `after` is the same program as `before` up to the allowed differences."""
    try:
        old, new = ast.parse(before), ast.parse(after)
    except SyntaxError:
        return False
    if not self_quotes_kept(old, before, after):
        return False
    return _canonical(old, lenient_docstrings) == _canonical(new, lenient_docstrings)
