#!/usr/bin/env python3
"""Evaluate OASIS triage the way a new user meets it, and (with --ship) rebuild the shipped model.

    python tools/triage_eval.py [--real ../shared/data/triage-real] [--folds 5] [--ship]

1. Real CI logs, cross-validated **grouped by repository**: the model (the layer that speaks
   when no rule does) is retrained on the synthetic corpus plus the real logs of the other
   repositories' folds, and the whole triage (steps -> evidence -> judge, then the model) is
   scored on the held-out repositories' logs. Prints the per-category table, macro-F1 over the
   categories present, and the retry decision's precision and recall.
2. The synthetic corpus held out **by tool**: the model never saw the tool it is scored on.
3. --ship: train on everything (synthetic + all real logs) and write
   oasis_action/triage/data/model.npz with the figures above in its info.

The rules were written by people who read these logs (and many others), so the rule layer's
figures are in-sample for the real set; the grouped evaluation measures what is learned.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oasis_action.triage import CATEGORIES  # noqa: E402
from oasis_action.triage.classifier import classify  # noqa: E402
from oasis_action.triage.model import TriageModel  # noqa: E402
from oasis_action.triage.steps import read_tail  # noqa: E402
from oasis_action.triage.training import Sample, shipped_corpus, train  # noqa: E402

REAL_WEIGHT = 3.0
"""A real log counts as three synthetic ones: it is what CI really prints."""


def real_samples(folder: Path) -> list[Sample]:
    rows = [json.loads(line) for line in (folder / "labels.jsonl").read_text().splitlines() if line]
    return [
        Sample(
            read_tail(folder / row["file"]),
            row["category"],
            tool=Path(row["file"]).name.split("__")[0],
            format="travis",
            weight=REAL_WEIGHT,
        )
        for row in rows
    ]


def scores(gold: list[str], said: list[str], retry: list[bool]) -> dict[str, object]:
    table = {}
    present = sorted(set(gold), key=list(CATEGORIES).index)
    for category in present:
        tp = sum(1 for g, s in zip(gold, said, strict=True) if g == s == category)
        fp = sum(1 for g, s in zip(gold, said, strict=True) if s == category != g)
        fn = sum(1 for g, s in zip(gold, said, strict=True) if g == category != s)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        table[category] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, tp + fn)
    gold_retry = [CATEGORIES[g] for g in gold]
    rtp = sum(1 for g, s in zip(gold_retry, retry, strict=True) if g and s)
    rfp = sum(1 for g, s in zip(gold_retry, retry, strict=True) if s and not g)
    rfn = sum(1 for g, s in zip(gold_retry, retry, strict=True) if g and not s)
    return {
        "table": table,
        "macro_f1": sum(v[2] for v in table.values()) / len(table),
        "retry_precision": rtp / (rtp + rfp) if rtp + rfp else 0.0,
        "retry_recall": rtp / (rtp + rfn) if rtp + rfn else 0.0,
        "retry_counts": (rtp, rfp, rfn),
    }


def grouped(samples: list[Sample], extra: list[Sample], folds: int, name: str) -> dict[str, object]:
    """Out-of-fold verdicts: each group's logs classified by a model trained without that group."""
    from sklearn.model_selection import GroupKFold

    groups = [s.tool for s in samples]
    said: list[str] = [""] * len(samples)
    retry = [False] * len(samples)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(samples, groups=groups):
        model = train([*extra, *(samples[i] for i in train_idx)], folds=3)
        for i in test_idx:
            verdict = classify(samples[i].text, model)
            said[i], retry[i] = verdict.category, verdict.retryable
    result = scores([s.category for s in samples], said, retry)
    result["split"] = name
    return result


def show(result: dict[str, object], out: Callable[[str], None] = print) -> None:
    out(f"\n## {result['split']}\n")
    out("| category | precision | recall | F1 | logs |")
    out("|---|---|---|---|---|")
    for category, (p, r, f, n) in result["table"].items():  # type: ignore[attr-defined]
        out(f"| {category} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
    tp, fp, fn = result["retry_counts"]  # type: ignore[misc]
    out(
        f"\nmacro-F1 {result['macro_f1']:.3f}; retry precision {result['retry_precision']:.3f},"
        f" recall {result['retry_recall']:.3f} (tp={tp} fp={fp} fn={fn})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--real", type=Path, default=ROOT.parent / "shared" / "data" / "triage-real"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--ship", action="store_true", help="write the shipped model")
    args = parser.parse_args()
    real = real_samples(args.real)
    synthetic = shipped_corpus()
    by_repo = grouped(
        real,
        synthetic,
        args.folds,
        f"real logs, grouped by repository ({len(real)} logs, {len({s.tool for s in real})} repositories, {args.folds} folds)",
    )
    show(by_repo)
    by_tool = grouped(
        synthetic,
        real,
        args.folds,
        f"synthetic corpus, held out by tool ({len(synthetic)} logs, {len({s.tool for s in synthetic})} tools, {args.folds} folds)",
    )
    show(by_tool)
    if args.ship:
        model = train([*synthetic, *real])
        info = dict(model.info)
        for key, result in (("grouped_by_repository", by_repo), ("held_out_tool", by_tool)):
            info[key] = {k: result[k] for k in ("macro_f1", "retry_precision", "retry_recall")}
        target = ROOT / "oasis_action" / "triage" / "data" / "model.npz"
        TriageModel(
            model.classes,
            model.vocabulary,
            model.idf,
            model.coef,
            model.intercept,
            model.temperature,
            info,
        ).save(target)
        print(f"\nwrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
