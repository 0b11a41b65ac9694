"""Train and evaluate the triage model on the shipped corpus (plus the user's labelled logs).

scikit-learn fits TF-IDF + a multinomial logistic regression with the exact analyser the numpy
predictor uses; a temperature fitted on out-of-fold scores calibrates the probabilities.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from oasis_action.triage import CATEGORIES
from oasis_action.triage.model import TriageModel, analyse, prepare

SEED = 0


@dataclass(frozen=True)
class Sample:
    text: str
    category: str
    tool: str = "user"
    format: str = "plain"
    weight: float = 1.0


def shipped_corpus() -> list[Sample]:
    source = resources.files("oasis_action.triage") / "data" / "corpus.jsonl.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as rows:
        return [
            Sample(r["text"], r["category"], r["tool"], r["format"]) for r in map(json.loads, rows)
        ]


USER_WEIGHT = 5.0
"""A user's own labelled log counts this many corpus logs: it is what their CI really prints."""


def _fit(
    texts: list[str], labels: list[str], weights: list[float] | None = None
) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=2, max_features=20000)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=10.0, max_iter=3000, random_state=SEED)
    classifier.fit(matrix, labels, sample_weight=weights)
    return vectorizer, classifier


def _temperature(scores: Any, labels: list[str], classes: list[str]) -> float:
    import numpy as np
    from scipy.optimize import minimize_scalar

    target = np.array([classes.index(label) for label in labels])

    def nll(t: float) -> float:
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(target)), target].mean())

    return float(minimize_scalar(nll, bounds=(0.005, 20.0), method="bounded").x)


def out_of_fold_scores(
    texts: list[str], labels: list[str], groups: list[str] | None, folds: int
) -> tuple[Any, list[str]]:
    """Decision scores for every sample from a model that never saw it (or its tool, with groups)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    classes = sorted(set(labels))
    scores = np.zeros((len(texts), len(classes)))
    splitter = (
        GroupKFold(n_splits=folds)
        if groups
        else StratifiedKFold(folds, shuffle=True, random_state=SEED)
    )
    for train, test in splitter.split(texts, labels, groups):
        vectorizer, classifier = _fit([texts[i] for i in train], [labels[i] for i in train])
        fold = classifier.decision_function(vectorizer.transform([texts[i] for i in test]))
        for j, cls in enumerate(classifier.classes_):
            scores[test, classes.index(cls)] = fold[:, j]
        missing = [classes.index(c) for c in classes if c not in classifier.classes_]
        scores[np.ix_(test, missing)] = -1e3
    return scores, classes


def calibration_temperature(
    texts: list[str], labels: list[str], tools: list[str], folds: int
) -> float:
    """Fitted on scores for tools the model never saw: confidence that holds on a new tool's
    logs, not just on more logs like the training ones (random folds give a near-zero T)."""
    groups = tools if len(set(tools)) >= folds else None
    scores, classes = out_of_fold_scores(texts, labels, groups, folds)
    return _temperature(scores, labels, classes)


def train(samples: Iterable[Sample], folds: int = 5) -> TriageModel:
    samples = list(samples)
    texts = [prepare(s.text) for s in samples]
    labels = [s.category for s in samples]
    unknown = sorted(set(labels) - set(CATEGORIES))
    if unknown:
        from oasis_action.errors import InputError

        raise InputError(f"unknown categories in the training data: {', '.join(unknown)}")
    temperature = calibration_temperature(texts, labels, [s.tool for s in samples], folds)
    vectorizer, classifier = _fit(texts, labels, [s.weight for s in samples])
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    return TriageModel(
        classes=[str(c) for c in classifier.classes_],
        vocabulary=vocabulary,
        idf=vectorizer.idf_,
        coef=classifier.coef_,
        intercept=classifier.intercept_,
        temperature=temperature,
        info={"samples": len(samples), "classes": sorted(set(labels)), "temperature": temperature},
    )


def _folder_samples(folder: Path) -> list[Sample]:
    from oasis_action.errors import InputError

    if not folder.is_dir():
        raise InputError(f"--from {folder} is not a directory")
    return [
        Sample(path.read_text(errors="replace"), path.parent.name, weight=USER_WEIGHT)
        for path in sorted(folder.glob("*/*"))
        if path.is_file() and path.parent.name in CATEGORIES
    ]


def _history_sample(entry: dict[str, Any], base: Path) -> Sample | None:
    rerun_passed = entry.get("event") == "rerun" and entry.get("passed")
    category = entry.get("category") or ("infrastructure" if rerun_passed else None)
    text = entry.get("text") or ""
    if not text and entry.get("log"):
        text = (base / entry["log"]).read_text(errors="replace")
    return Sample(text, category, weight=USER_WEIGHT) if category and text else None


def _history_samples(history: Path) -> list[Sample]:
    from oasis_action.errors import InputError

    if not history.is_file():
        raise InputError(f"--history {history} does not exist")
    found = []
    for number, line in enumerate(history.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise InputError(f"{history}:{number}: not a JSON line") from None
        sample = _history_sample(entry, history.parent)
        if sample is not None:
            found.append(sample)
    return found


def user_samples(folder: Path | None, history: Path | None) -> list[Sample]:
    """Labelled logs: DIR/<category>/*, and/or JSON lines {"category", "log" | "text"}.

    A history line may instead record an outcome OASIS saw: {"event": "rerun", "passed": true,
    "log": ...} (a failed job that passed on rerun with the same SHA) is labelled
    `infrastructure` evidence unless it names a category.
    """
    return (_folder_samples(folder) if folder else []) + (
        _history_samples(history) if history else []
    )


@dataclass(frozen=True)
class Evaluation:
    split: str
    rows: list[tuple[str, float, float, int]]
    accuracy: float
    unsafe: int
    """Hard-category logs (test, compile, lint, config) called retryable with confidence >= 0.6."""

    def table(self) -> str:
        lines = [
            f"{self.split}: accuracy {self.accuracy:.3f}, unsafe retry verdicts {self.unsafe}",
            "| category | precision | recall | logs |",
            "|---|---|---|---|",
        ]
        lines += [f"| {c} | {p:.3f} | {r:.3f} | {n} |" for c, p, r, n in self.rows]
        return "\n".join(lines)


def out_of_fold_verdicts(samples: list[Sample], by_tool: bool, folds: int = 5) -> list[Any]:
    """Rules + model on out-of-fold predictions (each log judged by a model that never saw it):
    random stratified folds, or held out by tool."""
    import numpy as np

    from oasis_action.triage.classifier import decide
    from oasis_action.triage.rules import classify as by_rules
    from oasis_action.triage.rules import regions_of

    texts = [prepare(s.text) for s in samples]
    labels = [s.category for s in samples]
    groups = [s.tool for s in samples] if by_tool else None
    scores, classes = out_of_fold_scores(texts, labels, groups, folds)
    temperature = calibration_temperature(texts, labels, [s.tool for s in samples], folds)
    z = scores / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    probabilities = z / z.sum(axis=1, keepdims=True)
    predicted = []
    for sample, row in zip(samples, probabilities, strict=True):
        verdict = by_rules(sample.text)
        predicted.append(
            verdict
            if verdict.category != "unknown"
            else decide(regions_of(sample.text), row.tolist(), classes)
        )
    return predicted


def unsafe_count(
    verdicts: Iterable[Any], labels: Iterable[str], min_confidence: float = 0.6
) -> int:
    """Hard-category logs (test, compile, lint, config) called retryable with confidence."""
    from oasis_action.triage import HARD_CATEGORIES

    return sum(
        1
        for v, label in zip(verdicts, labels, strict=True)
        if label in HARD_CATEGORIES and v.retryable and v.confidence >= min_confidence
    )


def evaluate(
    samples: list[Sample], by_tool: bool, folds: int = 5, min_confidence: float = 0.6
) -> Evaluation:
    """Per-category precision and recall of the out-of-fold verdicts."""
    labels = [s.category for s in samples]
    predicted = out_of_fold_verdicts(samples, by_tool, folds)
    rows = []
    for category in sorted(set(labels)):
        said = [i for i, v in enumerate(predicted) if v.category == category]
        real = [i for i, label in enumerate(labels) if label == category]
        hits = len(set(said) & set(real))
        rows.append((category, hits / len(said) if said else 0.0, hits / len(real), len(real)))
    accuracy = sum(v.category == label for v, label in zip(predicted, labels, strict=True)) / len(
        labels
    )
    split = (
        f"held out by tool ({len({s.tool for s in samples})} tools, {folds} folds)"
        if by_tool
        else f"stratified {folds}-fold"
    )
    return Evaluation(split, rows, accuracy, unsafe_count(predicted, labels, min_confidence))
