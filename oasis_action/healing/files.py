"""Which files healing looks at: what git would track (honouring .gitignore), under the paths given."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from oasis_action.errors import InputError

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        "env",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        "build",
        "dist",
    }
)


OWN_STATE = ".oasis/"
"""OASIS's own state in a workspace (event store, retrained triage model): never healed."""


def _git_listing(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or None outside a git work tree."""
    try:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    if done.returncode != 0:
        return None
    return sorted({item for item in done.stdout.decode().split("\0") if item})


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        base = Path(folder).relative_to(root)
        found += [str(base / name) if str(base) != "." else name for name in sorted(names)]
    return found


def candidate_files(root: Path, paths: Iterable[str] = (".",)) -> list[str]:
    """Relative paths (posix) of regular files under `paths`, as git sees the tree."""
    wanted = []
    for raw in paths:
        target = (root / raw).resolve()
        if not target.exists():
            raise InputError(f"path {raw!r} does not exist")
        if root.resolve() not in (target, *target.parents):
            raise InputError(f"path {raw!r} is outside the repository")
        wanted.append(target.relative_to(root.resolve()).as_posix())
    listing = _git_listing(root)
    everything = listing if listing is not None else _walk(root)
    chosen = []
    for rel in everything:
        if rel.startswith(OWN_STATE):
            continue
        if any(w in (".", rel) or rel.startswith(w.rstrip("/") + "/") for w in wanted):
            path = root / rel
            if path.is_file() and not path.is_symlink():
                chosen.append(rel)
    return chosen
