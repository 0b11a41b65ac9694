"""Rules first, the model for the rest, `unknown` when neither is confident.

The rules are high precision: when one matches, it decides. Otherwise the calibrated model
speaks if its top probability reaches MODEL_THRESHOLD. A retryable verdict from the model is
withheld (-> unknown) while the hard categories (test, compile, lint, config) still hold
HARD_MASS_VETO of the probability: a real bug must not be retried on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from oasis_action.triage import CATEGORIES, HARD_CATEGORIES, rules
from oasis_action.triage.model import TriageModel, prepare
from oasis_action.triage.rules import Classification, clean, signature

MODEL_THRESHOLD = 0.5
HARD_MASS_VETO = 0.1
ERRORISH = re.compile(
    r"error|fail|exception|fatal|denied|refused|timed? ?out|killed|cannot|unable|not found",
    re.IGNORECASE,
)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> TriageModel:
    return TriageModel.load(Path(path) if path else None)


def model_for(workspace: Path | None) -> TriageModel:
    """The workspace's own retrained model (`.oasis/triage-model.npz`) if it has one, else the shipped one."""
    own = workspace / ".oasis" / "triage-model.npz" if workspace else None
    return load_model(str(own) if own and own.is_file() else None)


FOOTERS = re.compile(
    r"^(?:Process completed with exit code|ERROR: Job failed|Finished: FAILURE|ERROR: script returned"
    r"|The command .* exited with|Done\. Your build exited|make: \*\*\*)"
)


def _excerpt(text: str, model: TriageModel | None, category: str) -> tuple[str, str]:
    """The few lines a human would quote: the line that sets the category apart most (its
    weight for the category above the average class) or else the last error-looking line."""
    lines = [line.rstrip() for line in clean(text) if line.strip()][-60:]
    candidates = [i for i, line in enumerate(lines) if not FOOTERS.match(line.strip())]
    if not candidates:
        chosen = lines[-3:]
        return "\n".join(chosen)[:1000], signature(chosen[-1]) if chosen else ""
    if model is not None and category in model.classes:
        row = model.classes.index(category)

        def evidence(i: int) -> float:
            index, weights = model.features(prepare(lines[i]))
            if not len(index):
                return -1e9
            scores = model.coef[:, index] @ weights
            return float(scores[row] - scores.mean())

        best = max(candidates, key=evidence)
    else:
        hits = [i for i in candidates if ERRORISH.search(lines[i])]
        best = hits[-1] if hits else candidates[-1]
    return "\n".join(lines[max(0, best - 1) : best + 2])[:1000], signature(lines[best])


def decide(
    text: str, probabilities: list[float], classes: list[str], model: TriageModel | None = None
) -> Classification:
    ranked = sorted(zip(probabilities, classes, strict=True), reverse=True)
    confidence, category = ranked[0]
    hard_mass = sum(p for p, c in ranked if c in HARD_CATEGORIES)
    vetoed = CATEGORIES.get(category, False) and hard_mass >= HARD_MASS_VETO
    if confidence < MODEL_THRESHOLD or vetoed or category not in CATEGORIES:
        excerpt, sig = _excerpt(text, None, "unknown")
        return Classification("unknown", False, round(float(confidence), 3), excerpt, sig)
    excerpt, sig = _excerpt(text, model, category)
    return Classification(category, CATEGORIES[category], round(float(confidence), 3), excerpt, sig)


PARALLEL_FROM = 512
"""Batches at least this big are split over the CPUs (a worker pool costs ~0.3 s to start)."""


def classify_files(
    paths: list[Path], read: Callable[[Path], str], workspace: Path | None = None
) -> list[Classification]:
    """Classify log files; big batches are split over the CPUs, each worker reading its own
    files (shipping 64 KiB logs to workers would cost more than classifying them)."""
    if len(paths) >= PARALLEL_FROM:
        from joblib import Parallel, cpu_count, delayed

        workers = cpu_count()
        if workers > 1:
            size = -(-len(paths) // (workers * 2))
            chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
            done = Parallel(n_jobs=workers)(
                delayed(_classify_paths)(chunk, read, workspace) for chunk in chunks
            )
            return [verdict for chunk in done for verdict in chunk]
    return _classify_paths(paths, read, workspace)


def _classify_paths(
    paths: list[Path], read: Callable[[Path], str], workspace: Path | None
) -> list[Classification]:
    return classify_many([read(path) for path in paths], workspace=workspace)


def classify_many(
    texts: list[str], model: TriageModel | None = None, workspace: Path | None = None
) -> list[Classification]:
    verdicts = [rules.classify(text) for text in texts]
    pending = [i for i, v in enumerate(verdicts) if v.category == "unknown"]
    if pending:
        model = model or model_for(workspace)
        rows = model.probabilities([prepare(texts[i]) for i in pending])
        for i, row in zip(pending, rows, strict=True):
            verdicts[i] = decide(texts[i], row.tolist(), model.classes, model)
    return verdicts


def classify(
    text: str, model: TriageModel | None = None, workspace: Path | None = None
) -> Classification:
    return classify_many([text], model, workspace)[0]
