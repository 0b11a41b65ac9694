"""The regression gate: a new model may not fall more than `tolerance` below the released one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GateResult:
    passed: bool
    metric: str
    new: float
    released: float | None
    tolerance: float
    refusal: str = ""

    @property
    def reason(self) -> str:
        if self.refusal:
            return self.refusal
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


def schema_signature(metadata: dict[str, Any]) -> dict[str, Any]:
    """What a model's users depend on: task, target, classes and its feature columns."""
    schema = metadata.get("schema") or {}
    features = [c["name"] for c in schema.get("columns", ())] or [
        f["name"] for f in metadata.get("features", ())
    ]
    return {
        "task": metadata.get("task"),
        "target": metadata.get("target"),
        "classes": [str(c) for c in metadata.get("classes", ())],
        "features": sorted(features),
    }


def schema_change(new: dict[str, Any], released: dict[str, Any] | None) -> str:
    """'' when the schemas agree, else what changed (`the feature set changed`)."""
    if released is None:
        return ""
    before, after = schema_signature(released), schema_signature(new)
    words = {"task": "the task", "target": "the target", "classes": "the classes"}
    changed = [words.get(key, "the feature set") for key in after if after[key] != before[key]]
    return " and ".join(changed) + " changed" if changed else ""
