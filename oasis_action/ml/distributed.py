"""`oasis train --engine dask --scheduler ADDRESS`: LightGBM on an existing Dask cluster
(lightgbm.dask), for data that outgrows one machine. The CSV is read by the workers
(dask.dataframe); only the holdout predictions come back to compute the metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oasis_action.errors import InputError
from oasis_action.ml.data import infer_task
from oasis_action.ml.training import TrainResult, evaluate, lightgbm_params


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


def train_on_dask(
    path: Path,
    target: str,
    features: tuple[str, ...],
    task: str,
    seed: int,
    num_boost_round: int,
    overrides: dict[str, Any],
    scheduler: str,
) -> tuple[TrainResult, str, tuple[Any, ...], Any]:
    """(result, task, classes, a small sample of the features for the schema)."""
    dd, client_class, lgb_dask = _imports()
    try:
        client = client_class(scheduler, timeout="10s")
    except OSError as error:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    with client:
        frame = dd.read_csv(str(path))
        if target not in frame.columns:
            raise InputError(f"target column {target!r} is not in the data")
        columns = list(features) or [c for c in frame.columns if c != target]
        sample = frame[columns].head(200)
        if any(not str(t).startswith(("int", "float", "uint", "bool")) for t in sample.dtypes):
            raise InputError("--engine dask trains on numeric feature columns only")
        labels_head = frame[target].dropna().unique().compute()
        chosen = infer_task(labels_head) if task == "auto" else task
        classes: tuple[Any, ...] = ()
        if chosen != "regression":
            classes = tuple(sorted(labels_head.tolist(), key=str))
            frame[target] = frame[target].map(
                {c: i for i, c in enumerate(classes)}, meta=(target, "int64")
            )
        train, holdout = frame.random_split([0.8, 0.2], random_state=seed)
        params = lightgbm_params(chosen, len(classes), seed, "cpu", overrides)
        params.pop("device_type", None)
        estimator = (
            lgb_dask.DaskLGBMRegressor if chosen == "regression" else lgb_dask.DaskLGBMClassifier
        )(client=client, n_estimators=num_boost_round, **params)
        estimator.fit(
            train[columns].to_dask_array(lengths=True), train[target].to_dask_array(lengths=True)
        )
        x_hold = holdout[columns].to_dask_array(lengths=True)
        y_hold = holdout[target].compute().to_numpy()
        if chosen == "regression":
            raw = estimator.predict(x_hold).compute()
        else:
            proba = estimator.predict_proba(x_hold).compute()
            raw = proba[:, 1] if chosen == "binary" else proba
        booster = estimator.booster_
        rows = {"train": int(len(train)), "valid": 0, "holdout": len(y_hold)}
        result = TrainResult(
            booster,
            evaluate(chosen, y_hold, raw),
            params,
            "cpu",
            num_boost_round,
            rows,
            (y_hold, raw),
        )
    return result, chosen, classes, sample
