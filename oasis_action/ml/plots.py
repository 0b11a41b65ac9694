"""Plots beside the model: feature importance, and ROC (binary), confusion (multiclass) or
residuals (regression) on the holdout. PNG bytes, rendered without a display (Agg)."""

from __future__ import annotations

import functools
import io
from typing import Any


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """The code points matplotlib's default font has glyphs for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def label(text: Any, most: int = 40) -> str:
    """A name the default font can draw: characters it has no glyph for (CJK, emoji) are
    written as `\\uXXXX` escapes instead of boxes and a warning per character."""
    drawable = _drawable()
    shown = "".join(
        c if ord(c) in drawable or c.isspace() else f"\\u{ord(c):04x}" for c in str(text)
    )
    return shown if len(shown) <= most else shown[: most - 1] + "..."


def importance(booster: Any, names_by_model: dict[str, str] | None = None, top: int = 20) -> bytes:
    """Total gain per feature, labelled with the data's column names (not LightGBM's)."""
    from matplotlib.figure import Figure

    gains = booster.feature_importance(importance_type="gain")
    names = [label((names_by_model or {}).get(n, n)) for n in booster.feature_name()]
    ranked = sorted(zip(gains, names, strict=True), reverse=True)[:top][::-1]
    figure = Figure(figsize=(7, 0.3 * len(ranked) + 1.2))
    axes = figure.add_subplot()
    axes.barh([n for _, n in ranked], [g for g, _ in ranked], color="#4c72b0")
    axes.set_xlabel("total gain")
    axes.set_title("Feature importance")
    figure.tight_layout()
    return _png(figure)


def holdout_plot(
    task: str, y_true: Any, raw: Any, classes: list[Any] | None = None
) -> tuple[str, bytes]:
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
        names = [label(c, 15) for c in (classes or [])]
        matrix = metrics.confusion_matrix(
            y_true, np.asarray(raw).argmax(axis=1), labels=list(range(len(names) or raw.shape[1]))
        )
        image = axes.imshow(matrix, cmap="Blues")
        figure.colorbar(image, ax=axes, label="rows")
        for (i, j), value in np.ndenumerate(matrix):
            color = "white" if value > matrix.max() / 2 else "black"
            axes.text(j, i, str(value), ha="center", va="center", color=color)
        if names:
            axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
            axes.set_yticks(range(len(names)), names)
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
