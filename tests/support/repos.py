"""Real git repositories in temp folders, built for a scenario."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def make_repo(root: Path, files: dict[str, str], commit: bool = True) -> Path:
    """A git repo holding `files` (path -> text), committed unless told otherwise."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if commit and files:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root


BROKEN_REPO = {
    "pkg/__init__.py": "",
    "pkg/good.py": "def ok() -> int:\n    return 1\n",
    "pkg/bad.py": "import os\n\n\ndef broken(:\n    return os.getcwd()\n",
    "config/settings.yml": "name: demo\nitems: [1, 2\nother: 3\n",
    "config/fine.yaml": "a: 1\n",
}
