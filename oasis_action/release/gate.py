"""The regression gate: a new model may not fall more than `tolerance` below the released one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GateResult:
    passed: bool
    metric: str
    new: float
    released: float | None
    tolerance: float

    @property
    def reason(self) -> str:
        if self.released is None:
            return f"no released model to compare with; {self.metric}={self.new:.4f}"
        verdict = "passes" if self.passed else "fails"
        return (
            f"{self.metric} {self.new:.4f} vs released {self.released:.4f} "
            f"(tolerance {self.tolerance:g}): the regression gate {verdict}"
        )


def check(
    metric: str, new: float, released: float | None, tolerance: float, higher_is_better: bool
) -> GateResult:
    if released is None:
        return GateResult(True, metric, new, None, tolerance)
    worse_by = released - new if higher_is_better else new - released
    return GateResult(worse_by <= tolerance, metric, new, released, tolerance)
