"""What a command hands back, and the outputs it declares: the dispatcher writes them all.

A command returns an :class:`Outcome`; it never writes `$GITHUB_OUTPUT` or the step summary
itself. Every declared output is written on every path: from the outcome when the command
finished, from the output's `stopped` value when it failed, so a workflow reading
`steps.x.outputs.merged` sees `false` rather than nothing after a 5xx or a spent budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Output:
    """One declared output of a command: its name, what it holds, its value when stopped early."""

    name: str
    help: str
    stopped: Any = ""


COMMON_OUTPUTS = (
    Output(
        "action-taken", "what the command did on GitHub (`none` when it changed nothing)", "none"
    ),
    Output("reason", "why, in one sentence (the error line when the run failed)"),
    Output("api-calls", "GitHub API requests made, failed ones included", 0),
)


@dataclass
class Outcome:
    """The result of one command: exit code, what it did and why, outputs and summary sections."""

    exit_code: int = 0
    action_taken: str = "none"
    reason: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)


def output_values(
    declared: Sequence[Output], outcome: Outcome | None, failure: str, api_calls: int
) -> dict[str, Any]:
    """Every declared output plus the common ones, as they are to be written.

    Values the command reported (`outcome`, possibly a partial one carried by an error) win;
    any declared output it did not report holds its `stopped` value.
    """
    reported: Mapping[str, Any] = outcome.outputs if outcome else {}
    values = {output.name: reported.get(output.name, output.stopped) for output in declared}
    values["action-taken"] = outcome.action_taken if outcome else "none"
    values["reason"] = failure or (outcome.reason if outcome else "")
    values["api-calls"] = api_calls
    return values
