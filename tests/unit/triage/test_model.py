"""The learned layer: numpy predictions equal scikit-learn's, decisions stay safe."""

from __future__ import annotations

import numpy as np
import pytest

from oasis_action.triage import HARD_CATEGORIES
from oasis_action.triage.classifier import classify, classify_many, decide, load_model
from oasis_action.triage.flaky import retry_budget
from oasis_action.triage.model import prepare
from oasis_action.triage.training import Sample, _fit, shipped_corpus, train


@pytest.fixture(scope="module")
def corpus() -> list[Sample]:
    return shipped_corpus()


def test_numpy_predictor_matches_scikit_learn(corpus: list[Sample]) -> None:
    texts = [prepare(s.text) for s in corpus]
    labels = [s.category for s in corpus]
    vectorizer, classifier = _fit(texts, labels)
    model = train(corpus[:0] or corpus, folds=5)
    ours = model.probabilities(texts[:50]) ** model.temperature
    ours /= ours.sum(axis=1, keepdims=True)
    theirs = classifier.predict_proba(vectorizer.transform(texts[:50]))
    assert np.allclose(ours, theirs, atol=1e-4)


def test_shipped_model_loads_without_pickle_and_covers_every_category(corpus: list[Sample]) -> None:
    model = load_model()
    assert set(model.classes) == {s.category for s in corpus}
    assert model.temperature > 0.5, "calibrated on held-out tools, not over-confident"
    assert model.info["samples"] > len(corpus), "trained on the synthetic corpus and real logs"
    grouped = model.info["grouped_by_repository"]
    assert grouped["retry_precision"] >= 0.95 and grouped["macro_f1"] >= 0.85


def test_no_hard_failure_in_the_corpus_is_called_retryable(corpus: list[Sample]) -> None:
    verdicts = classify_many([s.text for s in corpus])
    unsafe = [
        (s.tool, s.scenario if hasattr(s, "scenario") else "", v.category, v.confidence)
        for s, v in zip(corpus, verdicts, strict=True)
        if s.category in HARD_CATEGORIES and v.retryable and v.confidence >= 0.6
    ]
    assert unsafe == []
    right = sum(v.category == s.category for s, v in zip(corpus, verdicts, strict=True))
    assert right / len(corpus) >= 0.9


def test_model_decides_when_no_rule_matches() -> None:
    log = (
        "$ npm ci\n"
        "npm error code ETARGET\n"
        "npm error notarget No matching version found for left-pad@^99.0.0.\n"
        "npm error notarget In most cases you or one of your dependencies are requesting\n"
        "npm error notarget a package version that doesn't exist.\n"
        "npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log\n"
        "ERROR: Job failed: exit code 1\n"
    )
    verdict = classify(log)
    assert verdict.category == "dependency" and not verdict.retryable
    assert verdict.signature.startswith("npm error"), "the CI footer is never the explanation"
    vague = classify("step done\nError: something odd happened\n")
    assert vague.category == "unknown"


def test_the_model_never_makes_a_verdict_retryable() -> None:
    classes = ["compile-error", "network", "test-failure"]
    assert decide([], [0.15, 0.8, 0.05], classes).category == "unknown"
    assert decide([], [0.02, 0.95, 0.03], classes).category == "unknown", "a guess is not a retry"
    assert decide([], [0.3, 0.4, 0.3], classes).category == "unknown"
    sure = decide([], [0.9, 0.05, 0.05], classes)
    assert (sure.category, sure.retryable) == ("compile-error", False)


@pytest.mark.parametrize(("rate", "attempts"), [(0.0, 1), (0.5, 5), (0.9, 3), (1.0, 2)])
def test_retry_budget(rate: float, attempts: int) -> None:
    assert retry_budget(rate) == attempts
