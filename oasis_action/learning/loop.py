"""One pass of the learning loop: read the state, read what is new on GitHub, save the state.
`oasis learn` and nightly-heal both run it."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.github.port import FullPort
from oasis_action.learning import collect, remote
from oasis_action.learning.state import LearnedState

DEFAULT_PATTERNS = ("*junit*", "*test-results*", "*test-report*")


@dataclass(frozen=True)
class LearnRequest:
    runs: int = 200
    test_runs: int = 30
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    branch: str = remote.BRANCH
    write: bool = True


@dataclass(frozen=True)
class LearnResult:
    state: LearnedState
    read: int
    failed: int
    written: str | None


def learn(port: FullPort, request: LearnRequest, ctx: Context) -> LearnResult:
    """Read only runs newer than the state's last one (same repository, default branch); a
    missing or damaged state is rebuilt from GitHub."""
    from oasis_action.ml.store import utc_now

    state, why = remote.read_state(port, request.branch)
    if state is None:
        ctx.reporter.info(f"{why}: reading the history from GitHub")
        state = LearnedState()
    branch = port.default_branch()
    new = [
        r
        for r in port.branch_runs(branch, request.runs, after_id=state.last_run_id)
        if r.same_repository
    ]
    failed = [f for r in new if (f := collect.failed_run(port, r, ctx.state_dir))]
    tests = collect.test_records(
        port, new[: request.test_runs], request.patterns, ctx.reporter.progress
    )
    newest = max((r.id for r in new), default=state.last_run_id)
    learned = state.with_new(failed, tests, newest, utc_now())
    written = remote.write_state(port, learned, request.branch) if request.write else None
    return LearnResult(learned, len(new), len(failed), written)
