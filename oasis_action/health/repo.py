"""The repository doctor looks at: its root and the files it tracks."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from oasis_action.fsutil import confined_file

SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build", "dist", ".mypy_cache"}
)


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in `root`; never raises for a git failure (check the return code)."""
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )


@dataclass
class RepoContext:
    """A repository root. Files are git's tracked + untracked-not-ignored, or a walk outside git."""

    root: Path

    @cached_property
    def is_git(self) -> bool:
        probe = git(self.root, "rev-parse", "--show-toplevel")
        return probe.returncode == 0

    @cached_property
    def files(self) -> list[str]:
        """Repo-relative POSIX paths of the files to check."""
        if self.is_git:
            listing = git(self.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            names = {name for name in listing.stdout.split("\0") if name}
            return sorted(name for name in names if confined_file(self.root, self.root / name))
        return sorted(name for name in self._walk() if confined_file(self.root, self.root / name))

    def _walk(self) -> list[str]:
        found = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            for name in names:
                found.append((Path(folder) / name).relative_to(self.root).as_posix())
        return found

    def files_with_suffix(self, *suffixes: str) -> list[str]:
        return [name for name in self.files if name.endswith(suffixes)]
