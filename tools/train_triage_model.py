"""Train the shipped triage model on the corpus and print its evaluation.

    python tools/train_triage_model.py    # writes oasis_action/triage/data/model.npz

The evaluation is rules + model on out-of-fold predictions: stratified 5-fold, and 5 folds
that hold out whole source tools (a tool's logs are never seen in training when tested).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oasis_action.triage.training import evaluate, shipped_corpus, train  # noqa: E402

TARGET = Path(__file__).resolve().parents[1] / "oasis_action" / "triage" / "data" / "model.npz"


def main() -> None:
    samples = shipped_corpus()
    model = train(samples)
    model.save(TARGET)
    print(
        f"{len(samples)} logs, {len(model.vocabulary)} features, temperature {model.temperature:.3f} -> {TARGET}"
    )
    for by_tool in (False, True):
        print()
        print(evaluate(samples, by_tool).table())


if __name__ == "__main__":
    main()
