"""black, then isort (profile black), then docformatter, with the repository's own configuration.

Each tool runs through its library API on the text in memory: one read and at most one write
per file. The three run until the text stops changing (at most three rounds), so a second
`oasis format` finds nothing to do.
"""

from __future__ import annotations

import io
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOLS = ("black", "isort", "docformatter")
ROUNDS = 3


class FormatError(Exception):
    """A tool could not format the file (e.g. it does not parse)."""


@dataclass(frozen=True)
class RepoStyle:
    """Everything that decides the output, read once per run from the repository's config files."""

    root: str
    black: Any
    isort: Any
    docformatter: Any
    fingerprint: str


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _black_mode(root: Path) -> Any:
    import black

    section = _pyproject(root).get("tool", {}).get("black", {})
    versions = {
        black.TargetVersion[v.upper()]
        for v in section.get("target-version", section.get("target_version", []))
        if v.upper() in black.TargetVersion.__members__
    }
    return black.Mode(
        target_versions=versions,
        line_length=int(section.get("line-length", section.get("line_length", 88))),
        string_normalization=not section.get("skip-string-normalization", False),
        magic_trailing_comma=not section.get("skip-magic-trailing-comma", False),
        preview=bool(section.get("preview", False)),
    )


def _isort_config(root: Path) -> Any:
    import isort

    own = isort.Config(settings_path=str(root))
    return own if own.profile else isort.Config(settings_path=str(root), profile="black")


def _docformatter_args(root: Path) -> Any:
    from docformatter.configuration import Configurater

    argv = ["docformatter"]
    for name in ("pyproject.toml", "setup.cfg", "tox.ini"):
        candidate = root / name
        if candidate.is_file() and "docformatter" in candidate.read_text(errors="replace"):
            argv += ["--config", str(candidate)]
            break
    else:
        argv += ["--config", str(root / ".oasis-no-docformatter-config"), "--black"]
    configurater = Configurater([*argv, "--in-place", "file.py"])
    configurater.do_parse_arguments()
    return configurater.args


def repo_style(root: Path) -> RepoStyle:
    import black
    import docformatter
    import isort

    mode = _black_mode(root)
    isort_config = _isort_config(root)
    doc_args = _docformatter_args(root)
    fingerprint = repr(
        (
            black.__version__,
            isort.__version__,
            docformatter.__version__,
            mode,
            sorted((k, repr(v)) for k, v in vars(doc_args).items()),
            isort_config.line_length,
            isort_config.profile,
            isort_config.multi_line_output,
            isort_config.known_first_party,
        )
    )
    return RepoStyle(str(root), mode, isort_config, doc_args, fingerprint)


def _black(text: str, style: RepoStyle) -> str:
    import black

    try:
        return black.format_str(text, mode=style.black)
    except black.InvalidInput as error:
        raise FormatError(f"black cannot parse it: {str(error).splitlines()[0]}") from None


def _isort(text: str, style: RepoStyle, path: str) -> str:
    import isort

    return isort.code(text, config=style.isort, file_path=Path(style.root) / path)


def _docformatter(text: str, style: RepoStyle) -> str:
    from docformatter.format import Formatter

    sink = io.StringIO()
    return Formatter(style.docformatter, sink, sys.stdin, sink)._do_format_code(text)


def _run_tool(tool: str, text: str, style: RepoStyle, path: str) -> str:
    if tool == "black":
        return _black(text, style)
    if tool == "isort":
        return _isort(text, style, path)
    return _docformatter(text, style)


def format_python(
    text: str, style: RepoStyle, path: str, tools: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    """The formatted text and which tools changed it.

    black and isort (profile black) are idempotent together, and docformatter and isort touch
    disjoint parts (docstrings, imports). So when docformatter, the last tool, changed the text,
    black alone re-checks it; only if black disagrees does a full round run again.
    """
    changed: list[str] = []
    current = text
    order = [tool for tool in TOOLS if tool in tools]
    for _ in range(ROUNDS):
        changed_now = []
        for tool in order:
            new = _run_tool(tool, current, style, path)
            if new != current:
                changed_now.append(tool)
            current = new
        changed += [tool for tool in changed_now if tool not in changed]
        if "docformatter" not in changed_now:
            return current, tuple(changed)
        if "black" in order and _black(current, style) == current:
            return current, tuple(changed)
    raise FormatError("black, isort and docformatter do not agree on this file (no fixed point)")
