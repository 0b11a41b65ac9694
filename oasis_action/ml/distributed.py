"""`oasis train --engine dask --scheduler ADDRESS`: LightGBM on an existing Dask cluster
(lightgbm.dask), for data that outgrows one machine.

The same schema as local training (learned from a sample, with categorical levels and classes
taken from the whole file), a train / validation / holdout split, and the boosting round with
the best validation score kept (early stopping decided after the fact: LightGBM's callback is
not supported across Dask workers). Only the holdout comes back to compute the metrics.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oasis_action.errors import InputError
from oasis_action.ml.inference import learn_labels, learn_schema
from oasis_action.ml.model import TabularModel
from oasis_action.ml.schema import CATEGORICAL, Column, Schema, read_header
from oasis_action.ml.training import TrainResult, evaluate, lightgbm_params

SAMPLE_ROWS = 10_000
METRIC = {"binary": "auc", "multiclass": "multi_logloss", "regression": "l2"}


def _imports() -> tuple[Any, Any, Any]:
    try:
        import dask.dataframe as dd
        from distributed import Client
        from lightgbm import dask as lgb_dask
    except ImportError:
        raise InputError(
            "--engine dask needs dask and distributed: pip install 'oasis-action[dask]'"
        ) from None
    return dd, Client, lgb_dask


def _connect(client_class: Any, scheduler: str) -> Any:
    try:
        return client_class(scheduler, timeout="10s")
    except (OSError, ValueError, TypeError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None


def _schema(dd: Any, path: Path, config: Any) -> Schema:
    """Learned from a sample; categorical levels and classes from the whole file."""
    text = dd.read_csv(str(path), dtype="string", keep_default_na=True)
    sample = text.head(SAMPLE_ROWS, npartitions=-1)
    if sample.empty:
        raise InputError(f"data file {path.name!r} has a header but no rows")
    schema, _ = learn_schema(sample, config.target, config.features, config.task)
    columns = tuple(
        Column(c.name, c.kind, c.model_names, _levels(text[c.name])) if c.kind == CATEGORICAL else c
        for c in schema.columns
    )
    classes = schema.classes
    if schema.task != "regression":
        distinct = text[[config.target]].dropna().drop_duplicates().compute()
        classes = learn_labels(distinct, config.target, schema.task).classes
    return Schema(schema.target, schema.task, classes, columns, schema.excluded, notes=schema.notes)


def _levels(values: Any) -> tuple[str, ...]:
    return tuple(sorted(values.dropna().unique().compute().astype(str).tolist()))


def train_on_dask(path: Path, config: Any, overrides: dict[str, Any]) -> TabularModel:
    dd, client_class, lgb_dask = _imports()
    client = _connect(client_class, config.scheduler)
    with client, contextlib.redirect_stdout(sys.stderr):
        schema = _schema(dd, path, config)
        typed = dd.read_csv(str(path), dtype=schema.read_dtypes(read_header(path)))
        typed = typed.dropna(subset=[schema.target])
        meta = schema.transform(typed.head(1, npartitions=-1)).iloc[:0]
        x = typed.map_partitions(schema.transform, meta=meta)
        y = typed[schema.target].map_partitions(
            lambda s: pd.Series(schema.encode_labels(s), index=s.index),
            meta=(schema.target, "float64" if schema.task == "regression" else "int64"),
        )
        parts = _split(x, y, config.seed)
        result = _fit(lgb_dask, client, parts, schema, config, overrides)
        rows = sum(result.rows.values())
    return TabularModel(schema.target, schema.task, config.features, config.seed).adopt(
        schema, result, rows
    )


def _split(x: Any, y: Any, seed: int) -> list[tuple[Any, Any]]:
    joined = x.assign(__label__=y)
    pieces = joined.random_split([0.64, 0.16, 0.2], random_state=seed)
    return [(piece.drop(columns="__label__"), piece["__label__"]) for piece in pieces]


def _fit(
    lgb_dask: Any,
    client: Any,
    parts: list[tuple[Any, Any]],
    schema: Schema,
    config: Any,
    overrides: dict[str, Any],
) -> TrainResult:
    (x_train, y_train), valid, (x_hold, y_hold) = parts
    params = lightgbm_params(schema.task, len(schema.classes), config.seed, "cpu", overrides)
    params.pop("device_type", None)
    params.pop("num_class", None)
    params.pop("n_jobs", None)
    kind = (
        lgb_dask.DaskLGBMRegressor if schema.task == "regression" else lgb_dask.DaskLGBMClassifier
    )
    estimator = kind(client=client, n_estimators=config.num_boost_round, **params)
    metric = METRIC[schema.task]
    import inspect

    if "eval_X" in inspect.signature(estimator.fit).parameters:  # LightGBM >= 4.6
        estimator.fit(x_train, y_train, eval_X=valid[0], eval_y=valid[1], eval_metric=metric)
    else:
        estimator.fit(x_train, y_train, eval_set=[valid], eval_metric=metric)
    scores = np.asarray(estimator.evals_result_["valid_0"][metric])
    best = int((scores.argmax() if metric == "auc" else scores.argmin()) + 1)
    booster = estimator.booster_
    holdout_x, holdout_y = x_hold.compute(), y_hold.compute().to_numpy()
    if len(holdout_y) == 0:
        raise InputError("the data is too small for a holdout: use more rows")
    raw = np.asarray(booster.predict(holdout_x, num_iteration=best))
    rows = {
        "train": int(len(y_train)),
        "valid": int(len(valid[1])),
        "holdout": len(holdout_y),
    }
    metrics = evaluate(schema.task, holdout_y, raw, len(schema.classes))
    return TrainResult(booster, metrics, params, "cpu", best, rows, (holdout_y, raw))
