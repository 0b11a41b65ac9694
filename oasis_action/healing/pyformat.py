"""isort, docformatter, then black, with the repository's own configuration.

Each tool runs through its library API on the text in memory: one read and at most one write
per file. They run until the text stops changing (at most three rounds), so a second
`oasis format` finds nothing to do. docformatter's output is kept docstring by docstring
(docmerge).
"""

from __future__ import annotations

import dataclasses
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOLS = ("black", "isort", "docformatter")
ORDER = ("isort", "docformatter", "black")
"""The order they run in (see format_python)."""
ROUNDS = 3


class FormatError(Exception):
    """A tool could not format the file (e.g. it does not parse)."""


class NoFixedPoint(FormatError):
    """The tools keep changing each other's output."""

    def __init__(self, message: str, fighting: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fighting = fighting
        """The tools that still changed the text in the last round."""


@dataclass(frozen=True)
class RepoStyle:
    """Everything that decides the output, read once per run from the repository's config files."""

    root: str
    black: Any
    isort: Any
    docformatter: Any
    excludes: tuple[str, ...] = ()
    docstring_text: bool = False
    """docformatter may change what docstrings say (re-wrap, capitalise, add the period)."""


def _black_config(root: Path) -> dict[str, Any]:
    """`[tool.black]` exactly as black's command line reads it: its own parser, which also
    infers the target versions from `project.requires-python` when none are set."""
    import black

    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return dict(black.parse_pyproject_toml(str(path)))
    except (OSError, ValueError):
        return {}


def _black_mode(root: Path) -> Any:
    import black

    config = _black_config(root)
    versions = {
        black.TargetVersion[str(v).upper()]
        for v in config.get("target_version", [])
        if str(v).upper() in black.TargetVersion.__members__
    }
    return black.Mode(
        target_versions=versions,
        line_length=int(config.get("line_length", 88)),
        string_normalization=not config.get("skip_string_normalization", False),
        magic_trailing_comma=not config.get("skip_magic_trailing_comma", False),
        preview=bool(config.get("preview", False)),
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
    config = _black_config(root)
    keys = ("exclude", "extend_exclude", "force_exclude")
    return tuple(str(config[key]) for key in keys if config.get(key))


CONFIG_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".isort.cfg", ".editorconfig")
"""Every file at the root that black, isort or docformatter read their settings from."""


def config_fingerprint(root: Path) -> str:
    """The tools' versions and their configuration files, byte for byte: what decides every
    output, read without importing the tools (a warm run that finds every file known clean
    stops here)."""
    from importlib.metadata import version

    parts = [f"{tool} {version(tool)}" for tool in TOOLS]
    for name in CONFIG_FILES:
        try:
            parts.append(f"{name} {(root / name).read_bytes()!r}")
        except OSError:
            parts.append(f"{name} -")
    return "\n".join(parts)


def repo_style(root: Path, docstring_text: bool = False) -> RepoStyle:
    import docformatter.format  # noqa: F401 - imported once here, not in every worker

    import oasis_action.healing.docmerge  # noqa: F401

    mode = _black_mode(root)
    isort_config = _isort_config(root, mode.line_length)
    doc_args = _docformatter_args(root, mode.line_length)
    return RepoStyle(str(root), mode, isort_config, doc_args, black_excludes(root), docstring_text)


def _black(text: str, style: RepoStyle, path: str = "") -> str:
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


@dataclass(frozen=True)
class ToolRun:
    """One tool's run on one text."""

    output: str
    left_out: int = 0
    """How many of docformatter's rewrites were left out (a program would notice them)."""
    failure: str = ""
    docstrings: tuple[str, ...] | None = None
    """docformatter's: the lines holding each docstring of `output` (see docmerge.Merged)."""

    def settles(self, text: str) -> bool:
        """Whether docformatter would leave `text` as it is: it holds this run's docstring
        lines, in the same order, unchanged (black or isort changed only code around them)."""
        if self.docstrings is None or self.failure:
            return False
        at = 0
        for block in self.docstrings:
            at = text.find(block, at)
            if at < 0:
                return False
            at += len(block)
        return True


Memo = dict[tuple[str, str], ToolRun]


def _docformatter(text: str, style: RepoStyle) -> ToolRun:
    """docformatter's output with every rewrite a program could notice undone, and how many
    were undone."""
    from docformatter.format import Formatter

    from oasis_action.healing.docmerge import keep_safe

    sink = io.StringIO()
    merged = keep_safe(
        text,
        Formatter(style.docformatter, sink, sys.stdin, sink)._do_format_code(text),
        reword=style.docstring_text,
    )
    return ToolRun(merged.text, merged.left_out, docstrings=merged.docstrings)


def _run_tool(tool: str, text: str, style: RepoStyle, path: str) -> ToolRun:
    """One tool's run; whatever goes wrong inside a tool (a tokenizer error, an assertion)
    is that file's problem, never the run's."""
    try:
        if tool == "black":
            return ToolRun(_black(text, style, path))
        if tool == "isort":
            return ToolRun(_isort(text, style, path))
        return _docformatter(text, style)
    except FormatError:
        raise
    except Exception as error:  # noqa: BLE001 - the tool's reason is reported for this file
        reason = str(error).splitlines()[0][:200] if str(error) else ""
        raise FormatError(f"{tool} failed: {type(error).__name__}: {reason}") from None


def _run_or_pass(tool: str, given: str, style: RepoStyle, path: str) -> ToolRun:
    """A file black cannot format is that file's problem. isort or docformatter failing on
    one text leaves that text as it is, with the reason: docformatter's tokenizer trips over
    some code before black has formatted it and not after."""
    try:
        return _run_tool(tool, given, style, path)
    except FormatError as error:
        if tool == "black":
            raise
        return ToolRun(given, failure=str(error))


@dataclass(frozen=True)
class Formatted:
    text: str
    tools: tuple[str, ...]
    """The tools that changed the file, in TOOLS order."""
    left_out: int = 0
    """How many of docformatter's rewrites the result leaves out (a program would notice
    them)."""
    failures: tuple[str, ...] = ()
    """Why a tool did nothing to the result (isort or docformatter failed on it)."""


def format_python(
    text: str,
    style: RepoStyle,
    path: str,
    tools: tuple[str, ...],
    memo: Memo | None = None,
) -> Formatted:
    """The formatted text once it is a fixed point, and which tools changed it.

    isort and docformatter run first and black last: black's second pass is then its own
    stability check, where running it first would need a third pass after the other two.
    black is idempotent, isort and docformatter are too, and docformatter only re-lays out
    docstrings, which isort leaves alone; so a round in which black changed nothing ends at a
    fixed point, and a round in which it did is followed by one that checks the other two.
    """
    changed: list[str] = []
    current = text
    order = [tool for tool in ORDER if tool in tools]
    seen: Memo = {} if memo is None else memo
    latest: dict[str, ToolRun] = {}

    def run(tool: str, given: str) -> str:
        """One tool on one text, computed once per file (a fallback to fewer tools repeats
        the first steps of the full run)."""
        earlier = latest.get(tool)
        if (tool, given) not in seen and earlier and earlier.settles(given):
            seen[(tool, given)] = dataclasses.replace(earlier, output=given)
        if (tool, given) not in seen:
            seen[(tool, given)] = _run_or_pass(tool, given, style, path)
        latest[tool] = seen[(tool, given)]
        return latest[tool].output

    made_by_black = None
    changed_now: list[str] = []
    for _ in range(ROUNDS):
        changed_now = []
        for tool in order:
            if tool == "black" and current == made_by_black:
                continue
            new = run(tool, current)
            if new != current:
                changed_now.append(tool)
            made_by_black = new if tool == "black" else made_by_black
            current = new
        changed += [tool for tool in changed_now if tool not in changed]
        if "black" not in changed_now:
            return Formatted(
                current,
                tuple(t for t in TOOLS if t in changed),
                latest["docformatter"].left_out if "docformatter" in latest else 0,
                tuple(run.failure for run in latest.values() if run.failure),
            )
    named = ", ".join(tool for tool in TOOLS if tool in changed_now)
    raise NoFixedPoint(f"{named} do not agree on this file (no fixed point)", tuple(changed_now))
