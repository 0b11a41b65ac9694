from __future__ import annotations

import pytest

from oasis_action.decisions.close import ClosePolicy, decide_close
from oasis_action.github.port import PullSummary

PULL = PullSummary(8, "c" * 40, False, ())


@pytest.mark.parametrize(
    ("pull", "failures", "action", "reason"),
    [
        (PULL, 0, "none", "0 failed attempt(s) on ccccccc, fewer than 3"),
        (PULL, 2, "none", "fewer than 3"),
        (PULL, 3, "close", "failed CI 3 times on ccccccc (limit 3)"),
        (PULL, 7, "close", "7 times"),
        (PullSummary(8, "c" * 40, True, ()), 9, "none", "is a draft"),
        (PullSummary(8, "c" * 40, False, ("keep-open", "x")), 9, "none", "exempt (keep-open)"),
    ],
)
def test_close_decision(pull: PullSummary, failures: int, action: str, reason: str) -> None:
    plan = decide_close(pull, failures, ClosePolicy())
    assert plan.action == action and reason in plan.reason
