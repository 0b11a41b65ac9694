"""`oasis learn`: read what happened on GitHub since the last read (workflow runs, their
attempts, failed jobs' logs, JUnit artifacts), derive labels without a human (a failure whose
rerun on the same commit passed is transient evidence; one that failed again is not; a test that
both passed and failed on one commit is flaky), and keep it in the learned state that outlives
the job (branch `oasis-state`). ci-retry reads it; `--export` writes per-test parameters for
the pytest plugin and other runners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oasis_action.context import Context
from oasis_action.fsutil import atomic_write
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.outcome import Outcome, Output

if TYPE_CHECKING:
    from oasis_action.learning.state import LearnedState

OPTIONS = (
    Option(
        "runs",
        Kind.INT,
        default=200,
        minimum=1,
        maximum=5000,
        help="most new workflow runs to read (this repository's own, on its default branch)",
    ),
    Option(
        "test-runs",
        Kind.INT,
        default=30,
        minimum=0,
        maximum=500,
        help="of those, the newest whose JUnit artifacts are read",
    ),
    Option(
        "artifact-pattern",
        Kind.LIST,
        default=("*junit*", "*test-results*", "*test-report*"),
        help="artifact names holding JUnit XML (glob patterns)",
    ),
    Option("state-branch", default="oasis-state", help="the branch that holds the learned state"),
    Option(
        "write-state",
        Kind.BOOL,
        default=True,
        help="save what was learned on the state branch (off: read only)",
    ),
    Option(
        "export", metavar="FILE", help="write per-test parameters (reruns, timeout, quarantine)"
    ),
    Option(
        "labels",
        metavar="FILE",
        help="write the labelled logs derived from reruns (for `oasis triage train --history`)",
    ),
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("runs-read", "workflow runs read this time", 0),
    Output("failed-runs", "failed runs in the learned state", 0),
    Output("flaky-tests", "JSON list of the tests the state calls flaky", []),
)


@dataclass(frozen=True)
class Config:
    runs: int
    test_runs: int
    artifact_pattern: tuple[str, ...]
    state_branch: str
    write_state: bool
    export: str | None
    labels: str | None
    dry_run: bool
    max_api_calls: int
    repo: str | None


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.learning import params
    from oasis_action.learning.loop import LearnRequest, learn

    request = LearnRequest(
        config.runs,
        config.test_runs,
        config.artifact_pattern,
        config.state_branch,
        config.write_state,
    )
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        result = learn(port, request, ctx)
    for wanted, render, label in (
        (config.export, params.export, "--export"),
        (config.labels, params.labels, "--labels"),
    ):
        if wanted:
            target = ctx.runner.writable(wanted, label)
            atomic_write(target, render(result.state), owner_of=ctx.workspace)
    return _outcome(result.state, result.read, result.failed, result.written, config)


def _outcome(
    learned: LearnedState, read: int, failed: int, written: str | None, config: Config
) -> Outcome:
    from oasis_action.learning.params import parameters
    from oasis_action.learning.rates import rerun_history
    from oasis_action.markdown import cell, table

    flaky = sorted(n for n, r in learned.tests.items() if parameters(r).get("quarantined"))
    history = rerun_history(learned)
    rows = [(cell(name), rate.reruns, rate.passed) for name, rate in sorted(history.by_job.items())]
    saved = f"saved on {config.state_branch} ({written[:7]})" if written else "not saved"
    reason = f"read {read} new run(s), {failed} failed; {len(flaky)} flaky test(s); state {saved}"
    summary = (
        f"## OASIS learn\n\n{reason}\n\n"
        + (table(("job", "reruns", "passed"), rows) if rows else "No reruns seen yet.")
        + "\n"
    )
    return Outcome(
        action_taken="learned" if written else "none",
        reason=reason,
        outputs={
            "runs-read": read,
            "failed-runs": len(learned.runs),
            "flaky-tests": flaky,
        },
        summary=[summary],
    )
