"""Retrained triage models, versioned in the state folder, and the gate a new one must pass.

    <state>/triage-models/<n>/model.npz, metrics.json   every retraining, kept
    <state>/triage-model.npz                            the model in use (a copy of one of them)
    <state>/triage-models/current                       which one (its number)

A new model replaces the one in use only when, on the repository's own labelled logs (which
neither model's evaluation saw: the new one is scored out of fold), it is at least as accurate
and calls no more failures of a hard category retryable. `--revert` goes back one version.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis_action.errors import InputError, JobFailed
from oasis_action.fsutil import atomic_write


@dataclass(frozen=True)
class GateScore:
    accuracy: float
    unsafe: int
    logs: int

    def to_json(self) -> dict[str, Any]:
        return {"accuracy": round(self.accuracy, 4), "unsafe": self.unsafe, "logs": self.logs}


def passes(new: GateScore, current: GateScore) -> bool:
    return new.accuracy >= current.accuracy and new.unsafe <= current.unsafe


class ModelRegistry:
    def __init__(self, state_dir: Path, owner_of: Path | None = None) -> None:
        self.folder = state_dir / "triage-models"
        self.in_use = state_dir / "triage-model.npz"
        self.owner_of = owner_of

    def versions(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        return sorted(int(p.name) for p in self.folder.iterdir() if p.name.isdigit())

    def current(self) -> int | None:
        pointer = self.folder / "current"
        text = pointer.read_text().strip() if pointer.is_file() else ""
        return int(text) if text.isdigit() else None

    def add(self, model: Any, metrics: dict[str, Any]) -> int:
        number = (self.versions() or [0])[-1] + 1
        folder = self.folder / str(number)
        folder.mkdir(parents=True, exist_ok=True)
        model.save(folder / "model.npz")
        atomic_write(folder / "metrics.json", json.dumps(metrics, indent=1) + "\n", self.owner_of)
        return number

    def use(self, number: int) -> None:
        source = self.folder / str(number) / "model.npz"
        if not source.is_file():
            raise JobFailed(f"triage model {number} is not in {self.folder}")
        temporary = self.in_use.with_suffix(".npz.tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(self.in_use)
        atomic_write(self.folder / "current", f"{number}\n", self.owner_of)

    def revert(self) -> int:
        """Use the accepted version before the current one (or the shipped model: none)."""
        current = self.current()
        if current is None or not self.in_use.exists():
            raise InputError("no retrained triage model is in use: nothing to revert")
        earlier = [n for n in self.versions() if self._accepted(n) and n < current]
        if not earlier:
            self.in_use.unlink()
            (self.folder / "current").unlink(missing_ok=True)
            return 0
        self.use(earlier[-1])
        return earlier[-1]

    def _accepted(self, number: int) -> bool:
        metrics = self.folder / str(number) / "metrics.json"
        try:
            return bool(json.loads(metrics.read_text()).get("accepted"))
        except (OSError, ValueError):
            return False
