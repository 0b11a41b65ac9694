"""Plots beside the model: feature importance, and ROC (binary), confusion (multiclass) or
residuals (regression) on the holdout. PNG bytes, rendered without a display (Agg)."""

from __future__ import annotations

import io
from typing import Any


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def importance(booster: Any, top: int = 20) -> bytes:
    from matplotlib.figure import Figure

    gains = booster.feature_importance(importance_type="gain")
    names = booster.feature_name()
    ranked = sorted(zip(gains, names, strict=True), reverse=True)[:top][::-1]
    figure = Figure(figsize=(7, 0.3 * len(ranked) + 1.2))
    axes = figure.add_subplot()
    axes.barh([n for _, n in ranked], [g for g, _ in ranked], color="#4c72b0")
    axes.set_xlabel("total gain")
    axes.set_title("Feature importance")
    figure.tight_layout()
    return _png(figure)


def holdout_plot(task: str, y_true: Any, raw: Any) -> tuple[str, bytes]:
    """(file name, PNG) of the task's holdout plot."""
    import numpy as np
    from matplotlib.figure import Figure
    from sklearn import metrics

    figure = Figure(figsize=(5, 4.5))
    axes = figure.add_subplot()
    if task == "binary":
        fpr, tpr, _ = metrics.roc_curve(y_true, raw)
        axes.plot(fpr, tpr, label=f"AUC {metrics.auc(fpr, tpr):.4f}")
        axes.plot([0, 1], [0, 1], linestyle="--", color="grey")
        axes.set_xlabel("false positive rate")
        axes.set_ylabel("true positive rate")
        axes.set_title("ROC on the holdout")
        axes.legend(loc="lower right")
        name = "roc.png"
    elif task == "multiclass":
        matrix = metrics.confusion_matrix(y_true, np.asarray(raw).argmax(axis=1))
        axes.imshow(matrix, cmap="Blues")
        for (i, j), value in np.ndenumerate(matrix):
            axes.text(j, i, str(value), ha="center", va="center")
        axes.set_xlabel("predicted")
        axes.set_ylabel("true")
        axes.set_title("Confusion on the holdout")
        name = "confusion.png"
    else:
        axes.scatter(raw, np.asarray(y_true) - raw, s=8)
        axes.axhline(0, color="grey", linestyle="--")
        axes.set_xlabel("predicted")
        axes.set_ylabel("residual")
        axes.set_title("Residuals on the holdout")
        name = "residuals.png"
    figure.tight_layout()
    return name, _png(figure)
