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


class NoFixedPoint(FormatError):
    """The tools keep changing each other's output."""


@dataclass(frozen=True)
class RepoStyle:
    """Everything that decides the output, read once per run from the repository's config files."""

    root: str
    black: Any
    isort: Any
    docformatter: Any
    fingerprint: str
    excludes: tuple[str, ...] = ()


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


def _isort_config(root: Path, line_length: int) -> Any:
    """The project's own isort settings exactly as isort reads them (any profile, or none); a
    project with no isort configuration at all gets profile black at black's line length."""
    import isort

    own = isort.Config(settings_path=str(root))
    if len(own.sources) > 1:
        return own
    return isort.Config(settings_path=str(root), profile="black", line_length=line_length)


def _docformatter_args(root: Path, line_length: int) -> Any:
    """The project's docformatter configuration; without one, black's style at black's line
    length (a project at 79 gets docstrings wrapped at 79, not 88)."""
    from docformatter.configuration import Configurater

    argv = ["docformatter"]
    own = False
    for name in ("pyproject.toml", "setup.cfg", "tox.ini"):
        candidate = root / name
        if candidate.is_file() and "docformatter" in candidate.read_text(errors="replace"):
            argv += ["--config", str(candidate)]
            own = True
            break
    else:
        argv += ["--config", str(root / ".oasis-no-docformatter-config"), "--black"]
    configurater = Configurater([*argv, "--in-place", "file.py"])
    configurater.do_parse_arguments()
    if not own:
        configurater.args.wrap_summaries = line_length
        configurater.args.wrap_descriptions = line_length
    return configurater.args


def black_excludes(root: Path) -> tuple[str, ...]:
    """black's `exclude`, `extend-exclude` and `force-exclude` patterns (regular expressions
    matched against `/`-prefixed relative paths)."""
    section = _pyproject(root).get("tool", {}).get("black", {})
    keys = ("exclude", "extend-exclude", "extend_exclude", "force-exclude", "force_exclude")
    return tuple(str(section[key]) for key in keys if section.get(key))


def repo_style(root: Path) -> RepoStyle:
    import black
    import docformatter
    import isort

    mode = _black_mode(root)
    isort_config = _isort_config(root, mode.line_length)
    doc_args = _docformatter_args(root, mode.line_length)
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
            isort_config.sources[1:],
            black_excludes(root),
        )
    )
    return RepoStyle(str(root), mode, isort_config, doc_args, fingerprint, black_excludes(root))


def _black(text: str, style: RepoStyle, path: str = "") -> str:
    import dataclasses

    import black

    mode = dataclasses.replace(style.black, is_pyi=True) if path.endswith(".pyi") else style.black
    try:
        return black.format_str(text, mode=mode)
    except black.InvalidInput as error:
        raise FormatError(f"black cannot parse it: {str(error).splitlines()[0]}") from None


def _isort(text: str, style: RepoStyle, path: str) -> str:
    import isort
    from isort.exceptions import FileSkipped

    try:
        return isort.code(text, config=style.isort, file_path=Path(style.root) / path)
    except FileSkipped:  # `# isort: skip_file`, or the project's own skip settings
        return text


def _docformatter(text: str, style: RepoStyle) -> str:
    from docformatter.format import Formatter

    sink = io.StringIO()
    return Formatter(style.docformatter, sink, sys.stdin, sink)._do_format_code(text)


def _run_tool(tool: str, text: str, style: RepoStyle, path: str) -> str:
    """One tool's output; whatever goes wrong inside a tool (a tokenizer error, an assertion)
    is that file's problem, never the run's."""
    try:
        if tool == "black":
            return _black(text, style, path)
        if tool == "isort":
            return _isort(text, style, path)
        return _docformatter(text, style)
    except FormatError:
        raise
    except Exception as error:  # noqa: BLE001 - the tool's reason is reported for this file
        reason = str(error).splitlines()[0][:200] if str(error) else ""
        raise FormatError(f"{tool} failed: {type(error).__name__}: {reason}") from None


def format_python(
    text: str,
    style: RepoStyle,
    path: str,
    tools: tuple[str, ...],
    memo: dict[tuple[str, str], str] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The formatted text and which tools changed it, once it is a fixed point.

    black is idempotent; isort (whatever the project's settings) and docformatter can leave
    text black would change again. So after a round in which either changed something, black
    re-checks the result, and only if black disagrees does a full round run again.
    """
    changed: list[str] = []
    current = text
    order = [tool for tool in TOOLS if tool in tools]
    seen = {} if memo is None else memo

    def run(tool: str, given: str) -> str:
        """One tool on one text, computed once per file (a fallback to fewer tools repeats
        the first steps of the full run)."""
        if (tool, given) not in seen:
            seen[(tool, given)] = _run_tool(tool, given, style, path)
        return seen[(tool, given)]

    for _ in range(ROUNDS):
        changed_now = []
        for tool in order:
            new = run(tool, current)
            if new != current:
                changed_now.append(tool)
            current = new
        changed += [tool for tool in changed_now if tool not in changed]
        others = [tool for tool in changed_now if tool != "black"]
        if not others or "black" not in order:
            return current, tuple(changed)
        if run("black", current) == current:
            return current, tuple(changed)
    raise NoFixedPoint(f"{', '.join(order)} do not agree on this file (no fixed point)")
