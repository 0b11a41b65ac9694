"""Plan and apply healing over a tree: files in parallel (joblib), unchanged files skipped by a cache.

`plan()` computes every file's new text without writing anything; `apply()` writes the ones
that changed, each atomically with its mode kept. A Python rewrite whose AST differs beyond
what formatters may change is refused: the file stays as it was and is reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oasis_action.fsutil import atomic_write
from oasis_action.healing import astguard, textfix
from oasis_action.healing.files import candidate_files
from oasis_action.healing.pyformat import (
    TOOLS,
    FormatError,
    Memo,
    NoFixedPoint,
    RepoStyle,
    config_fingerprint,
    format_python,
    repo_style,
)

PARALLEL_FROM = 16
"""Below this many files, a process pool costs more to start than it saves."""
FILES_PER_WORKER = 8


@dataclass(frozen=True)
class FileFix:
    path: str
    before: str
    after: str
    tools: tuple[str, ...]
    problem: str = ""
    note: str = ""
    """What was not applied to a file that was still fixed (a tool's change that was refused)."""

    @property
    def changed(self) -> bool:
        return self.after != self.before and not self.problem


@dataclass
class Plan:
    fixes: list[FileFix] = field(default_factory=list)
    examined: int = 0
    skipped_by_cache: int = 0

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.fixes if f.changed]

    @property
    def problems(self) -> list[FileFix]:
        return [f for f in self.fixes if f.problem]

    def by_tool(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for fix in self.changed:
            for tool in fix.tools:
                table.setdefault(tool, []).append(fix.path)
        return table


MAX_BYTES = 1_000_000
"""A file larger than this (generated code, vendored bundles) is skipped, with the reason:
one huge file must not hold the whole run."""


@dataclass(frozen=True)
class Source:
    """A file's text as the tools see it, and how to give it back in its own form."""

    text: str
    crlf: bool
    bom: bool

    def restore(self, text: str) -> str:
        text = text.replace("\n", "\r\n") if self.crlf else text
        return "\ufeff" + text if self.bom else text


def _read(path: Path) -> Source | str:
    """The file as LF text with its BOM set aside, or why it is not read ('' for a binary)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return f"skipped: {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB per-file budget"
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "skipped: not UTF-8 text"
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    return Source(text.replace("\r\n", "\n") if crlf else text, crlf, bom)


def _subsets(tools: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tools, then smaller sets that always converge: black + isort with the project's
    configuration is a fixed point; black alone is the last resort."""
    found = [tools]
    for subset in (tuple(t for t in tools if t != "docformatter"), ("black",)):
        if subset and all(t in tools for t in subset) and subset not in found:
            found.append(subset)
    return found


def _format_safely(source: Source, style: RepoStyle, path: str, tools: tuple[str, ...]) -> FileFix:
    """The largest set of tools whose result converges and keeps the program (docstring text
    and doctests included); a note says what was dropped and why."""
    refused: list[str] = []
    memo: Memo = {}
    fighting: set[str] = set()
    for subset in _subsets(tools):
        if len(fighting) > 1 and fighting <= set(subset):
            continue  # isort and black fought without docformatter: they would again
        try:
            formatted = format_python(source.text, style, path, subset, memo)
        except NoFixedPoint as error:
            refused.append(str(error))
            fighting = set(error.fighting)
            continue
        except FormatError as error:
            return FileFix(
                path, source.restore(source.text), source.restore(source.text), (), str(error)
            )
        after = formatted.text
        reworded = style.docstring_text
        if after != source.text and not astguard.equivalent(source.text, after, reworded):
            refused.append(
                f"{'+'.join(subset)} would change the program (its AST, docstring text or source it quotes)"
            )
            continue
        refused += [f"{failure} (the other tools applied)" for failure in formatted.failures]
        if formatted.left_out:
            refused.append(
                f"left out {formatted.left_out} docformatter change(s) beyond docstring"
                " whitespace (rewording, other strings, code layout)"
            )
        note = "; ".join(refused)
        return FileFix(
            path, source.restore(source.text), source.restore(after), formatted.tools, note=note
        )
    original = source.restore(source.text)
    return FileFix(path, original, original, (), "; ".join(refused) + "; left untouched")


def _fix_one(
    root: str, path: str, style: RepoStyle, tools: tuple[str, ...], text_fixes: bool
) -> FileFix:
    try:
        source = _read(Path(root) / path)
    except OSError as error:
        return FileFix(path, "", "", (), f"unreadable: {error.strerror or type(error).__name__}")
    if isinstance(source, str):
        return FileFix(path, "", "", (), source)
    if path.endswith((".py", ".pyi")) and not _excluded(path, style):
        return _format_safely(source, style, path, tools)
    original = source.restore(source.text)
    if text_fixes and textfix.applies_to(path):
        after, used = textfix.fix_text(path, source.text)
        return FileFix(path, original, source.restore(after), used)
    return FileFix(path, original, original, ())


def _excluded(path: str, style: RepoStyle) -> bool:
    import re

    return any(re.search(pattern, "/" + path) for pattern in style.excludes)


def _fix_batch(
    root: str, paths: Sequence[str], style: RepoStyle, tools: tuple[str, ...], text_fixes: bool
) -> list[FileFix]:
    return [_fix_one(root, path, style, tools, text_fixes) for path in paths]


class CleanCache:
    """Files known to need nothing (or known to be left untouched, and why), by size and mtime,
    under one fingerprint of the configuration and the tools (like black's cache)."""

    def __init__(self, root: Path, config: str, cache_dir: Path, run: str = "") -> None:
        """`config` fingerprints the configuration and the tools' versions (see
        config_fingerprint); `run` names what this run does (the tools and fixes): a file clean
        for `--tools black` is not known clean for all three."""
        fingerprint = f"{root.resolve()}\0{config}\0{run}"
        key = hashlib.sha256(fingerprint.encode()).hexdigest()[:24]
        self.path = cache_dir / f"format-{key}.json"
        try:
            self.entries: dict[str, list[int | str]] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        self.root = root

    def _stamp(self, rel: str) -> list[int | str]:
        info = (self.root / rel).stat()
        return [info.st_size, info.st_mtime_ns]

    def known(self, rel: str) -> FileFix | None:
        """The remembered outcome of an unchanged file: nothing to do, or the problem it had."""
        entry = self.entries.get(rel)
        if entry is None or entry[:2] != self._stamp(rel):
            return None
        return FileFix(rel, "", "", (), str(entry[2]) if len(entry) > 2 else "")

    def remember(self, fixes: Iterable[FileFix]) -> None:
        for fix in fixes:
            self.entries[fix.path] = self._stamp(fix.path) + ([fix.problem] if fix.problem else [])
        try:
            atomic_write(self.path, json.dumps(self.entries))
        except OSError:
            return


def _cache_dir() -> Path:
    return Path.home() / ".cache" / "oasis"


def plan(
    root: Path,
    paths: Iterable[str] = (".",),
    tools: tuple[str, ...] = TOOLS,
    text_fixes: bool = True,
    exclude: tuple[str, ...] = (),
    use_cache: bool = True,
    docstring_text: bool = False,
) -> tuple[Plan, CleanCache | None]:
    """Every file's healed text (nothing written). The cache is returned so apply() can update
    it. `docstring_text` lets docformatter change what docstrings say."""
    files = [
        rel
        for rel in candidate_files(root, paths)
        if not any(rel == e or rel.startswith(e.rstrip("/") + "/") for e in exclude)
    ]
    run = f"{','.join(tools)};text-fixes={text_fixes};docstring-text={docstring_text}"
    cache = CleanCache(root, config_fingerprint(root), _cache_dir(), run) if use_cache else None
    known = [k for k in (cache.known(rel) for rel in files) if k] if cache else []
    done = {k.path for k in known}
    todo = [rel for rel in files if rel not in done]
    result = Plan(examined=len(files), skipped_by_cache=len(known))
    if not todo:  # a warm run never imports the formatters
        result.fixes = known
        return result, cache
    style = repo_style(root, docstring_text)
    if len(todo) < PARALLEL_FROM:
        result.fixes = known + _fix_batch(str(root), todo, style, tools, text_fixes)
        return result, cache
    result.fixes = known + _fix_in_parallel(root, todo, style, tools, text_fixes)
    return result, cache


_job: tuple[str, RepoStyle, tuple[str, ...], bool] | None = None
"""What every file of a parallel run is fixed with, set once per worker process."""


def _start_worker(job: tuple[str, RepoStyle, tuple[str, ...], bool]) -> None:
    global _job
    _job = job


def _fix_in_worker(path: str) -> FileFix:
    assert _job is not None
    root, style, tools, text_fixes = _job
    return _fix_one(root, path, style, tools, text_fixes)


def _fix_in_parallel(
    root: Path, todo: list[str], style: RepoStyle, tools: tuple[str, ...], text_fixes: bool
) -> list[FileFix]:
    """One file per task, largest first, so no worker is left with the biggest file at the
    end. On Linux the workers are forked: they start with the tools already imported, where a
    fresh interpreter spends most of a second importing black, isort and docformatter."""
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    from joblib import cpu_count

    method = "fork" if sys.platform == "linux" else multiprocessing.get_start_method()
    workers = max(1, min(cpu_count(), len(todo) // FILES_PER_WORKER))
    largest_first = sorted(todo, key=lambda rel: -_size(root / rel))
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=((str(root), style, tools, text_fixes),),
    ) as pool:
        fixed = {fix.path: fix for fix in pool.map(_fix_in_worker, largest_first)}
    return [fixed[rel] for rel in todo]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def apply(
    root: Path, result: Plan, cache: CleanCache | None, owner_of: Path | None = None
) -> list[str]:
    """Write the changed files (atomically, mode kept); remember the clean ones. Returns written paths."""
    written = []
    for fix in result.changed:
        target = root / fix.path
        atomic_write(target, fix.after, owner_of=owner_of)
        written.append(fix.path)
    if cache is not None:
        cache.remember(
            f for f in result.fixes if not f.problem.startswith(("unreadable", "skipped"))
        )
    return written
