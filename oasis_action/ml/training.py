"""LightGBM training: split, early stopping, holdout metrics, deterministic by construction."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn import metrics as skm
from sklearn.model_selection import train_test_split

from oasis_action import gpu
from oasis_action.errors import InputError

DEFAULT_PARAMS: dict[str, Any] = {
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
}
PRIMARY_METRIC = {"binary": "auc", "multiclass": "accuracy", "regression": "rmse"}
HIGHER_IS_BETTER = {"auc": True, "accuracy": True, "rmse": False}


def choose_device(requested: str, report: gpu.GpuReport | None = None) -> tuple[str, str]:
    """(`cpu` or `gpu`, why).

    `auto` takes LightGBM's OpenCL path only for a device of GPU type. `gpu` takes it on any
    OpenCL device (a CPU implementation such as pocl included, which is how the path is tested
    on machines without a GPU); with no OpenCL device at all it is a usage error.
    """
    if requested == "cpu":
        return "cpu", "CPU requested"
    found = report or gpu.detect()
    platforms = ", ".join(found.opencl_platforms)
    if found.gpu_available:
        return "gpu", f"OpenCL GPU on {platforms}"
    if requested == "gpu" and found.opencl_available:
        return (
            "gpu",
            f"OpenCL on {platforms} (no GPU-type device: it runs, but not faster than the CPU)",
        )
    if requested == "gpu":
        raise InputError("--device gpu: no OpenCL GPU found (" + "; ".join(found.notes) + ")")
    return "cpu", "no OpenCL GPU found; training on the CPU"


def lightgbm_params(
    task: str, classes: int, seed: int, device: str, overrides: dict[str, Any]
) -> dict[str, Any]:
    objective = {"binary": "binary", "multiclass": "multiclass", "regression": "regression"}[task]
    params = {
        **DEFAULT_PARAMS,
        **overrides,
        "objective": objective,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
        "device_type": device,
    }
    if task == "multiclass":
        params["num_class"] = classes
    return params


@dataclass(frozen=True)
class Split:
    train: tuple[pd.DataFrame, pd.Series]
    valid: tuple[pd.DataFrame, pd.Series]
    holdout: tuple[pd.DataFrame, pd.Series]


def split(
    x: pd.DataFrame, y: np.ndarray, task: str, seed: int, holdout: float = 0.2, valid: float = 0.2
) -> Split:
    """Train / validation (early stopping) / holdout (metrics), stratified for classification."""
    labels = pd.Series(y, index=x.index)
    stratify = labels if task != "regression" else None
    try:
        x_rest, x_hold, y_rest, y_hold = train_test_split(
            x, labels, test_size=holdout, random_state=seed, stratify=stratify
        )
        stratify_rest = y_rest if stratify is not None else None
        x_train, x_valid, y_train, y_valid = train_test_split(
            x_rest, y_rest, test_size=valid, random_state=seed, stratify=stratify_rest
        )
    except ValueError as error:
        raise InputError(f"the data is too small to split for training: {error}") from None
    return Split((x_train, y_train), (x_valid, y_valid), (x_hold, y_hold))


def evaluate(task: str, y_true: np.ndarray, raw: np.ndarray, classes: int = 0) -> dict[str, float]:
    """Holdout metrics: AUC/accuracy/F1/log-loss for classification; RMSE/MAE/R² for regression.

    A metric that cannot be computed (a holdout holding one class) is an error, never a NaN
    stored as if it were a score."""
    metrics = _metrics(task, np.asarray(y_true), np.asarray(raw), classes)
    undefined = sorted(name for name, value in metrics.items() if not np.isfinite(value))
    if undefined:
        raise InputError(
            f"{', '.join(undefined)} cannot be computed on these rows (does every class appear?): "
            "use more data"
        )
    return metrics


def _metrics(task: str, y_true: np.ndarray, raw: np.ndarray, classes: int) -> dict[str, float]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if task == "regression":
            return {
                "rmse": float(np.sqrt(skm.mean_squared_error(y_true, raw))),
                "mae": float(skm.mean_absolute_error(y_true, raw)),
                "r2": float(skm.r2_score(y_true, raw)) if len(y_true) > 1 else float("nan"),
            }
        if task == "binary":
            labels = (raw >= 0.5).astype(int)
            auc = skm.roc_auc_score(y_true, raw) if len(set(y_true)) == 2 else float("nan")
            return {
                "auc": float(auc),
                "accuracy": float(skm.accuracy_score(y_true, labels)),
                "f1": float(skm.f1_score(y_true, labels, zero_division=0)),
                "logloss": float(skm.log_loss(y_true, raw, labels=[0, 1])),
            }
        labels = raw.argmax(axis=1)
        return {
            "accuracy": float(skm.accuracy_score(y_true, labels)),
            "f1_macro": float(skm.f1_score(y_true, labels, average="macro", zero_division=0)),
            "logloss": float(skm.log_loss(y_true, raw, labels=list(range(raw.shape[1])))),
        }


REFIT_ROWS = 20_000
"""On data this small, the validation rows are too precious to leave out: once early stopping
has chosen the number of rounds, the model is refitted on train + validation for that many."""


def _refit(params: dict[str, Any], parts: Split, rounds: int) -> lgb.Booster:
    x = pd.concat([parts.train[0], parts.valid[0]])
    y = pd.concat([parts.train[1], parts.valid[1]])
    return lgb.train(params, lgb.Dataset(x, y, free_raw_data=False), rounds)


@dataclass
class TrainResult:
    booster: lgb.Booster
    metrics: dict[str, float]
    params: dict[str, Any]
    device: str
    best_iteration: int
    rows: dict[str, int] = field(default_factory=dict)
    holdout: tuple[Any, Any] = ((), ())
    """(true labels, raw predictions) on the holdout, for plots."""


def train_model(
    features: pd.DataFrame,
    labels: np.ndarray,
    task: str,
    classes: int,
    *,
    seed: int = 42,
    device: str = "cpu",
    num_boost_round: int = 1000,
    early_stopping_rounds: int = 50,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrainResult:
    parts = split(features, labels, task, seed)
    params = lightgbm_params(task, classes, seed, device, overrides or {})
    train_set = lgb.Dataset(*parts.train, free_raw_data=False)
    valid_set = lgb.Dataset(*parts.valid, reference=train_set, free_raw_data=False)
    callbacks: list[Any] = [lgb.early_stopping(early_stopping_rounds, verbose=False)]
    if progress is not None:
        callbacks.append(lambda env: progress(env.iteration + 1, env.end_iteration))
    try:
        booster = lgb.train(
            params, train_set, num_boost_round, valid_sets=[valid_set], callbacks=callbacks
        )
    except lgb.basic.LightGBMError as error:
        if device != "gpu":
            raise InputError(f"LightGBM refused the data: {str(error)[:300]}") from None
        raise InputError(f"GPU training failed ({error}); retry with --device cpu") from None
    best = booster.best_iteration or num_boost_round
    if len(parts.train[1]) + len(parts.valid[1]) <= REFIT_ROWS:
        booster = _refit(params, parts, best)
    x_hold, y_hold = parts.holdout
    raw = np.asarray(booster.predict(x_hold, num_iteration=best))
    rows = {"train": len(parts.train[1]), "valid": len(parts.valid[1]), "holdout": len(y_hold)}
    return TrainResult(
        booster,
        evaluate(task, y_hold.to_numpy(), raw, classes),
        params,
        device,
        best,
        rows,
        (y_hold.to_numpy(), raw),
    )


def library_versions() -> dict[str, str]:
    import sklearn

    return {
        "python": platform.python_version(),
        "lightgbm": lgb.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
    }
