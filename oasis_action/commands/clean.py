"""`oasis clean`: remove caches, build outputs and logs (model artifacts only with --models).

Never a tracked path: in a git work tree every candidate is checked against `git ls-files`; a
folder holding a tracked file, and a tracked symbolic link to a folder, are not removed; where
git cannot list the tracked files, nothing is.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from oasis_action.context import Context
from oasis_action.errors import InputError, JobFailed
from oasis_action.options import Kind, Option
from oasis_action.outcome import Outcome, Output

CACHE_DIRS = (
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".tox",
    ".nox",
    "htmlcov",
)
BUILD_DIRS = ("build", "dist", "*.egg-info", ".eggs")
FILE_PATTERNS = ("*.pyc", "*.pyo", ".coverage", ".coverage.*", "*.log", "coverage.xml")
MODEL_DIRS = ("models",)
NEVER_ENTER = (".git", ".venv", "venv", "node_modules")

OPTIONS = (
    Option("path", default=".", positional=True, metavar="PATH", help="repository root"),
    Option("models", Kind.BOOL, default=False, help="also remove the model store (models/)"),
    Option("dry-run", Kind.BOOL, default=False, help="list what would be removed, remove nothing"),
)


OUTPUTS = (Output("removed", "JSON list of the paths removed (or that would be)", []),)


@dataclass(frozen=True)
class Config:
    path: str
    models: bool
    dry_run: bool


def _in_git_work_tree(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def _tracked(root: Path) -> set[str]:
    """Tracked paths (symbolic links included: git tracks the link itself). In a checkout git
    will not list (`dubious ownership`, a damaged index) nothing may be removed: exit 1."""
    done = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=False
    )
    if done.returncode == 0:
        return {p for p in done.stdout.decode("utf-8", "replace").split("\0") if p}
    if _in_git_work_tree(root):
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise JobFailed(
            "git cannot list the tracked files here, so nothing is removed: "
            + (why[0][:160] if why else f"git exited {done.returncode}")
        )
    return set()


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def find_targets(root: Path, models: bool) -> list[Path]:
    """Paths to remove (folders whole), none of them tracked or holding a tracked file."""
    dir_patterns = CACHE_DIRS + BUILD_DIRS + (MODEL_DIRS if models else ())
    tracked = _tracked(root)
    tracked_dirs = {str(Path(p).parent) for p in tracked} | {
        str(parent) for p in tracked for parent in Path(p).parents
    }
    targets: list[Path] = []
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        rel_base = base.relative_to(root)
        keep = []
        for name in sorted(dirs):
            rel = (rel_base / name).as_posix()
            at_top_only = name in MODEL_DIRS and rel_base != Path(".")
            mine = rel not in tracked_dirs and rel not in tracked
            if _matches(name, dir_patterns) and mine and not at_top_only:
                targets.append(base / name)
            elif name not in NEVER_ENTER:
                keep.append(name)
        dirs[:] = keep
        for name in sorted(names):
            rel = (rel_base / name).as_posix()
            if _matches(name, FILE_PATTERNS) and rel not in tracked:
                targets.append(base / name)
    return targets


def run(config: Config, ctx: Context) -> Outcome:
    root = ctx.runner.writable(config.path, "path").resolve()
    if not root.is_dir():
        raise InputError(f"path {config.path!r} is not a directory")
    targets = find_targets(root, config.models)
    verb = "would remove" if config.dry_run else "removed"
    for target in targets:
        shown = target.relative_to(root).as_posix() + ("/" if target.is_dir() else "")
        if not config.dry_run:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        ctx.reporter.result(f"{verb} {shown}")
    ctx.reporter.result(
        f"{len(targets)} path(s) {'would be removed' if config.dry_run else 'removed'}"
    )
    return Outcome(outputs={"removed": [t.relative_to(root).as_posix() for t in targets]})
