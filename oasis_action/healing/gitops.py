"""The local git steps of `doctor --fix --commit --push`: dirty check, one commit, push."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from oasis_action.errors import InputError, JobFailed

BOT = ("OASIS", "oasis@users.noreply.github.com")


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise JobFailed(
            f"git {args[0]} failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
        )
    return done


def require_work_tree(root: Path) -> None:
    if _git(root, "rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        raise InputError(f"{root} is not a git work tree; --commit needs one")


def dirty_paths(root: Path) -> list[str]:
    done = _git(root, "status", "--porcelain", check=False)
    return [line[3:] for line in done.stdout.splitlines()] if done.returncode == 0 else []


def commit(root: Path, paths: Sequence[str], message: str) -> str:
    """One commit of exactly `paths`; the repo's own identity, or OASIS's when it has none."""
    _git(root, "add", "--", *paths)
    identity: list[str] = []
    if _git(root, "config", "user.email", check=False).returncode != 0:
        identity = ["-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}"]
    _git(root, *identity, "commit", "-q", "-m", message, "--", *paths)
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def push(root: Path) -> str:
    branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    done = _git(root, "push", "-q", "origin", f"HEAD:refs/heads/{branch}", check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise JobFailed(f"git push to origin/{branch} failed: {last}")
    return branch
