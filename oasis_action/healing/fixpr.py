"""Put auto-fix's changes on a branch as one commit (Git Data API) and open or update one PR.

The branch is OASIS's only while every commit on it is: its tip must be an OASIS commit (the
trailer below) sitting directly on a commit of the base. A human commit on the branch stops the
run with a comment, and nothing is force-pushed over it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from oasis_action.errors import InputError
from oasis_action.github.port import FileChange, FullPort
from oasis_action.healing import engine
from oasis_action.healing.report import per_tool_table

TRAILER = "Oasis-Auto-Fix: true"
BOT = ("OASIS", "oasis@users.noreply.github.com")
MARKER = "<!-- oasis:auto-fix-pr -->"
NEVER_TOUCHED = (".github/workflows",)
"""A workflow change needs the `workflows` permission, which the job token does not have."""


@dataclass(frozen=True)
class FixRequest:
    workspace: Path
    branch: str
    base: str
    parent: str
    tools: tuple[str, ...]
    paths: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class FixOutcome:
    action: str
    reason: str
    changed_files: tuple[str, ...] = ()
    pull_number: int | None = None


def workspace_head(workspace: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise InputError(
            f"the workspace {workspace} is no git checkout (run actions/checkout first)"
        )
    return done.stdout.strip()


def changes_for(workspace: Path, result: engine.Plan) -> list[FileChange]:
    return [
        FileChange(
            fix.path,
            fix.after,
            "100755" if os.access(workspace / fix.path, os.X_OK) else "100644",
        )
        for fix in result.changed
    ]


def pr_body(result: engine.Plan) -> str:
    problems = "".join(f"\n- `{f.path}`: {f.problem}" for f in result.problems)
    left = f"\n\nLeft untouched (fix by hand):{problems}" if problems else ""
    return (
        f"{MARKER}\n### OASIS auto-fix\n\nFormatting and safe text fixes, one commit on top of the base. "
        f"Every Python rewrite was checked to leave the program's AST unchanged.\n\n"
        f"{per_tool_table(result)}{left}\n\nPush your own commits elsewhere: OASIS rebuilds this branch "
        f"while it holds only its own commit, and stops when someone else has pushed to it."
    )


def _foreign(port: FullPort, tip_sha: str) -> bool:
    tip = port.git_commit(tip_sha)
    return TRAILER not in tip.message or len(tip.parents) != 1


def open_fix_pr(port: FullPort, request: FixRequest) -> FixOutcome:
    result, _ = engine.plan(
        request.workspace, request.paths, request.tools, exclude=NEVER_TOUCHED, use_cache=False
    )
    changes = changes_for(request.workspace, result)
    files = tuple(c.path for c in changes)
    if not changes:
        return FixOutcome("none", "auto-fix found nothing to change")
    existing = port.find_pull(request.branch)
    tip = port.branch_sha(request.branch)
    if tip is not None and _foreign(port, tip):
        reason = f"branch {request.branch} holds commits OASIS did not make; not overwriting them"
        if existing is not None:
            port.create_comment(
                existing.number,
                f"{MARKER}\nOASIS has new fixes for `{request.base}` but did not push them: "
                f"`{request.branch}` has commits OASIS did not make (tip `{tip[:7]}`). "
                "Merge or close this pull request, or delete the branch, and OASIS will start afresh.",
            )
        return FixOutcome("none", reason, files, existing.number if existing else None)
    message = f"style: OASIS auto-fix\n\n{per_tool_table(result)}\n\n{TRAILER}\n"
    sha = port.commit_files(request.parent, changes, message, BOT)
    if tip is None:
        port.create_branch(request.branch, sha or request.parent)
    elif sha is not None and not _same_commit(port, tip, sha):
        if port.branch_sha(request.branch) != tip:
            return FixOutcome(
                "none",
                f"branch {request.branch} moved while OASIS worked; not overwriting it",
                files,
            )
        port.move_branch(request.branch, sha, force=True)
    body = pr_body(result)
    if existing is not None:
        port.edit_pull(existing.number, request.title, body)
        return FixOutcome(
            "pr-updated",
            f"updated pull request #{existing.number} with {len(files)} fixed file(s)",
            files,
            existing.number,
        )
    number = port.create_pull(request.branch, request.base, request.title, body)
    return FixOutcome(
        "pr-opened", f"opened a pull request with {len(files)} fixed file(s)", files, number
    )


def _same_commit(port: FullPort, tip: str, sha: str) -> bool:
    """The branch already holds exactly this fix: same tree on the same parent."""
    old, new = port.git_commit(tip), port.git_commit(sha)
    return old.tree == new.tree and old.parents == new.parents
