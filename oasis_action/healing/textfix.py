"""Fixes for text files that cannot change what they mean, each verified where it could.

Trailing whitespace and a missing final newline in YAML and plain text files; tab indentation in
YAML (YAML forbids tabs there). A YAML rewrite is kept only when the new text parses and, where
the old text parsed too, to the same data.
"""

from __future__ import annotations

import re

YAML_SUFFIXES = (".yml", ".yaml")
TEXT_SUFFIXES = (".txt", ".cfg", ".ini", ".toml", ".rst", ".json", ".csv", ".in")
LEADING_TABS = re.compile(r"^([ \t]*)", re.MULTILINE)


def applies_to(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES + TEXT_SUFFIXES) or path.endswith(".md")


def _strip_trailing(text: str) -> str:
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def _final_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _untab(text: str) -> str:
    return LEADING_TABS.sub(lambda m: m.group(1).replace("\t", "  "), text)


def _same_yaml(before: str, after: str) -> bool:
    import yaml

    try:
        new = list(yaml.safe_load_all(after))
    except yaml.YAMLError:
        return False
    try:
        old = list(yaml.safe_load_all(before))
    except yaml.YAMLError:
        return True
    return old == new


def fix_text(path: str, text: str) -> tuple[str, tuple[str, ...]]:
    """The fixed text and the names of the fixes that changed it."""
    applied: list[str] = []
    current = text
    steps = [("final-newline", _final_newline)]
    if not path.endswith(".md"):  # two trailing spaces are a Markdown line break
        steps.insert(0, ("trailing-whitespace", _strip_trailing))
    if path.endswith(YAML_SUFFIXES):
        steps.insert(0, ("yaml-tabs", _untab))
    for name, step in steps:
        fixed = step(current)
        if fixed != current:
            applied.append(name)
            current = fixed
    if path.endswith(YAML_SUFFIXES) and applied and not _same_yaml(text, current):
        return text, ()
    return current, tuple(applied)
