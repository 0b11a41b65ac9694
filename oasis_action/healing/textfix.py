"""Fixes for text files that cannot change what they mean, each verified where it could.

Trailing whitespace and a missing final newline in YAML and plain text files; tab indentation in
YAML (YAML forbids tabs there). A rewrite of data is kept only when it reads as the same data:
YAML, TOML and JSON parse to equal values, CSV to equal rows (a space inside a quoted field or a
TOML multi-line string is data). Files in test-data folders (`tests/`, `fixtures/`, `testdata/`)
are data a test compares byte for byte: only YAML there is touched, and only as above.
"""

from __future__ import annotations

import re

YAML_SUFFIXES = (".yml", ".yaml")
TEXT_SUFFIXES = (".txt", ".cfg", ".ini", ".toml", ".rst", ".json", ".csv", ".in")
LEADING_TABS = re.compile(r"^([ \t]*)", re.MULTILINE)


DATA_FOLDERS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "test_data"})


def applies_to(path: str) -> bool:
    if not (path.endswith(YAML_SUFFIXES + TEXT_SUFFIXES) or path.endswith(".md")):
        return False
    in_data = any(part in DATA_FOLDERS for part in path.split("/")[:-1])
    return not in_data or path.endswith(YAML_SUFFIXES)


def _loads(path: str, text: str) -> object:
    """The data a file holds, for the formats whose data a whitespace fix could change."""
    import csv
    import io
    import json
    import tomllib

    if path.endswith(".toml"):
        return tomllib.loads(text)
    if path.endswith(".json"):
        return json.loads(text)
    return list(csv.reader(io.StringIO(text)))


def _same_data(path: str, before: str, after: str) -> bool:
    try:
        old = _loads(path, before)
    except ValueError:
        return False  # data that does not parse now is left as it is
    try:
        return bool(_loads(path, after) == old)
    except ValueError:
        return False


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
    if (
        path.endswith((".toml", ".json", ".csv"))
        and applied
        and not _same_data(path, text, current)
    ):
        return text, ()
    return current, tuple(applied)
