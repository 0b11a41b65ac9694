"""Rules first, the model for the rest, `unknown` when neither is confident.

The rule layer (steps -> evidence -> judge) decides whenever a tool in a failing step said why
it failed. Otherwise the calibrated model reads the failing steps' last lines and speaks if its
top probability reaches MODEL_THRESHOLD, for the categories a retry cannot fix: a guess never
makes a verdict retryable (a retryable guess is `unknown`), so a real bug is not retried on one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from oasis_action.triage import CATEGORIES, rules
from oasis_action.triage.model import TriageModel, prepare_regions
from oasis_action.triage.rules import Classification
from oasis_action.triage.steps import Region

MODEL_THRESHOLD = 0.6


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> TriageModel:
    return TriageModel.load(Path(path) if path else None)


def model_for(state_dir: Path | None) -> TriageModel:
    """The repository's own retrained model (`triage-model.npz` in OASIS's state folder) if it
    has one, else the shipped one."""
    own = state_dir / "triage-model.npz" if state_dir else None
    return load_model(str(own) if own and own.is_file() else None)


def decide(regions: list[Region], probabilities: list[float], classes: list[str]) -> Classification:
    """The model's verdict for a log the rules could not read."""
    confidence, category = max(zip(probabilities, classes, strict=True))
    excerpt, sig, step = rules.tail_excerpt(regions)
    guess_ok = category in CATEGORIES and not CATEGORIES[category]
    if confidence < MODEL_THRESHOLD or not guess_ok:
        return Classification("unknown", False, round(float(confidence), 3), excerpt, sig, step)
    return Classification(category, False, round(float(confidence), 3), excerpt, sig, step)


def classify_files(
    paths: list[Path], read: Callable[[Path], str], state_dir: Path | None = None
) -> list[Classification]:
    """Classify log files, one at a time: memory holds one log's tail, never a whole batch."""
    return [classify(read(path), state_dir=state_dir) for path in paths]


def classify_many(
    texts: list[str], model: TriageModel | None = None, state_dir: Path | None = None
) -> list[Classification]:
    return [classify(text, model, state_dir) for text in texts]


def classify(
    text: str, model: TriageModel | None = None, state_dir: Path | None = None
) -> Classification:
    regions = rules.regions_of(text)
    verdict = rules.verdict_of(regions)
    if verdict is not None:
        return rules.from_verdict(verdict)
    model = model or model_for(state_dir)
    row = model.probabilities([prepare_regions(regions)])[0]
    return decide(regions, row.tolist(), model.classes)
