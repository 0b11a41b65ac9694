"""Where the learned state lives between jobs: one file on a branch of OASIS's own.

`oasis-state` holds `state.json` and nothing else; it shares no history with the code. It is
written through the Git Data API by `oasis learn` (which needs `contents: write`); ci-retry and
the other guardians only read it (`contents: read`, which every job has). A fork's pull request
runs with a read-only token and cannot write it. A missing or damaged state is rebuilt from
GitHub by the next `oasis learn`; until then decisions behave as without history.
"""

from __future__ import annotations

from oasis_action.github.port import FileChange, FullPort
from oasis_action.learning.state import LearnedState, from_text

BRANCH = "oasis-state"
PATH = "state.json"
AUTHOR = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def read_state(port: FullPort, branch: str = BRANCH) -> tuple[LearnedState | None, str]:
    """(state, '') or (None, why there is none)."""
    text = port.file_text(branch, PATH)
    if text is None:
        return None, f"no learned state on branch {branch} yet"
    state = from_text(text)
    if state is None:
        return None, f"the learned state on branch {branch} failed its checksum: it will be rebuilt"
    return state, ""


def write_state(port: FullPort, state: LearnedState, branch: str = BRANCH) -> str | None:
    """Commit the state on top of the branch (creating it); its sha, None in a dry run."""
    parent = port.branch_sha(branch)
    message = f"oasis learn: {len(state.runs)} failed runs, {len(state.tests)} tests (up to run {state.last_run_id})"
    sha = port.commit_files(parent, [FileChange(PATH, state.to_text())], message, AUTHOR)
    if sha is None:
        return None
    if parent is None:
        port.create_branch(branch, sha)
    else:
        port.move_branch(branch, sha, force=False)
    return sha
