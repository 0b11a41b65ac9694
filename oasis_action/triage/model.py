"""The learned layer: TF-IDF over a log's masked tail + a multinomial logistic regression,
temperature-calibrated. Trained with scikit-learn (triage/training.py), shipped as plain arrays
in a `.npz` (read with allow_pickle=False: no code runs on load) and applied here with numpy
alone, so a single triage starts fast.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from oasis_action.triage.steps import Region, failing_regions, normalise

TAIL_LINES = 150
TAIL_CHARS = 32768
TOKEN = re.compile(r"<[a-z]+>|[a-z_][a-z0-9_]{1,30}")
MASKS = (
    (re.compile(r"\b[0-9a-f]{7,64}\b"), " <hash> "),
    (re.compile(r"(?:/[\w.@+-]+){2,}"), " <path> "),
    (re.compile(r"\b\d+(?:\.\d+)*\b"), " <n> "),
)


def prepare(text: str) -> str:
    """The part of a log the model reads: the last lines of its failing steps (the tail when
    no step says it failed), lower-cased, ids masked."""
    return prepare_regions(failing_regions(normalise(text[-4 * TAIL_CHARS :])))


def prepare_regions(regions: list[Region]) -> str:
    """`prepare` for a log already split into its failing steps."""
    lines = [line for region in regions for line in region.lines][-TAIL_LINES:]
    tail = "\n".join(lines)[-TAIL_CHARS:].lower()
    for pattern, token in MASKS:
        tail = pattern.sub(token, tail)
    return tail


def analyse(document: str) -> list[str]:
    """Unigrams and bigrams of a prepared document (the same function trains and predicts)."""
    words = TOKEN.findall(document)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass
class TriageModel:
    classes: list[str]
    vocabulary: dict[str, int]
    idf: Any
    coef: Any
    intercept: Any
    temperature: float
    info: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> TriageModel:
        import numpy as np

        source = path or resources.files("oasis_action.triage") / "data" / "model.npz"
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            vocabulary = {term: index for index, term in enumerate(arrays["vocabulary"].tolist())}
            return cls(
                classes=arrays["classes"].tolist(),
                vocabulary=vocabulary,
                idf=arrays["idf"],
                coef=arrays["coef"],
                intercept=arrays["intercept"],
                temperature=float(arrays["temperature"]),
                info=json.loads(str(arrays["info"])),
            )

    def save(self, path: Path) -> None:
        import io

        import numpy as np

        from oasis_action.fsutil import atomic_write

        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            classes=np.array(self.classes),
            vocabulary=np.array(terms),
            idf=np.asarray(self.idf, dtype=np.float32),
            coef=np.asarray(self.coef, dtype=np.float32),
            intercept=np.asarray(self.intercept, dtype=np.float32),
            temperature=np.array(self.temperature),
            info=np.array(json.dumps(self.info, sort_keys=True)),
        )
        atomic_write(path, buffer.getvalue())

    def features(self, document: str) -> tuple[Any, Any]:
        """Column indices and L2-normalised sublinear TF-IDF weights of one prepared document."""
        import numpy as np

        counts = Counter(t for t in analyse(document) if t in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(
            (1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts)
        )
        weights = tf * self.idf[index]
        return index, weights / np.linalg.norm(weights)

    def probabilities(self, documents: list[str]) -> Any:
        """Calibrated class probabilities, one row per prepared document."""
        import numpy as np

        scores = np.tile(self.intercept.astype(np.float64), (len(documents), 1))
        for row, document in enumerate(documents):
            index, weights = self.features(document)
            if len(index):
                scores[row] += self.coef[:, index] @ weights
        scores /= self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)
