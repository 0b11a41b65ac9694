"""The one error hierarchy: what a failure means decides the exit code."""

from __future__ import annotations

from typing import Any


class OasisError(Exception):
    """A failure OASIS understands; its message is one line meant for a human.

    `outcome` carries what the command had done before it stopped (an `Outcome`), so the
    outputs and the summary still tell the truth about it.
    """

    exit_code = 1
    outcome: Any = None

    def with_outcome(self, outcome: Any) -> OasisError:
        """This error, carrying the partial outcome."""
        self.outcome = outcome
        return self


class UsageError(OasisError):
    """Bad usage or bad input: exit 2, one line, nothing changed."""

    exit_code = 2


class InputError(UsageError):
    """An action input or CLI flag has a value that cannot be used."""


class JobFailed(OasisError):
    """The job ran and found a failure it must report (a failed gate, an error finding)."""

    exit_code = 1


class BudgetExhausted(JobFailed):
    """The request budget was spent before the work was complete."""
