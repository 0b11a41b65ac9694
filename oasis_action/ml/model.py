"""The model you can hold: `TabularModel` (fit, predict, save to text) and its `Manifest`.

Estimator shape (scikit-learn's rules): `__init__` stores parameters only; `fit` validates at
the boundary, sets the learned `*_` attributes and returns `self`; `predict` refuses when
unfitted and reads data only through the schema learned at fit. Train, evaluate, predict, the
regression gate and the smoke test all go through this class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from oasis_action.errors import InputError, OasisError
from oasis_action.ml.schema import Schema


class NotFitted(OasisError):
    """A model was asked to predict before it was fitted (a bug in the caller)."""


@dataclass
class Manifest:
    """What is stored beside `model.txt` (as metadata.json), typed."""

    task: str
    target: str
    classes: list[Any]
    schema: dict[str, Any]
    features: list[dict[str, Any]]
    metrics: dict[str, float]
    primary_metric: str
    params: dict[str, Any]
    best_iteration: int
    rows: dict[str, int]
    device: str
    timestamp: str = ""
    engine: str = "local"
    data: dict[str, Any] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)
    previous_version: str | None = None
    bump: str = ""
    notes: list[str] = field(default_factory=list)
    bump_why: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """The manifest of stored metadata (extra keys such as `sha256` belong to the store)."""
        names = set(cls.__dataclass_fields__)
        known = {key: value for key, value in data.items() if key in names}
        known.setdefault("schema", Schema.from_metadata(data).to_json())
        known.setdefault("notes", [])
        known.setdefault("bump_why", [])
        return cls(**known)


class TabularModel:
    """LightGBM on a table: binary, multiclass or regression, with its schema."""

    def __init__(
        self,
        target: str = "target",
        task: str = "auto",
        features: tuple[str, ...] = (),
        seed: int = 42,
        device: str = "cpu",
        num_boost_round: int = 1000,
        early_stopping_rounds: int = 50,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.target = target
        self.task = task
        self.features = features
        self.seed = seed
        self.device = device
        self.num_boost_round = num_boost_round
        self.early_stopping_rounds = early_stopping_rounds
        self.params = params

    def fit(
        self,
        frame: pd.DataFrame,
        schema: Schema | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> TabularModel:
        """Learn the schema (unless given), split, train with early stopping, score the holdout."""
        from oasis_action.ml import training
        from oasis_action.ml.inference import learn_schema

        if schema is None:
            schema, frame = learn_schema(
                frame.astype("string"), self.target, self.features, self.task
            )
        labelled = frame[frame[schema.target].notna()]
        features = schema.transform(labelled)
        labels = schema.encode_labels(labelled[schema.target])
        result = training.train_model(
            features,
            labels,
            schema.task,
            len(schema.classes),
            seed=self.seed,
            device=self.device,
            num_boost_round=self.num_boost_round,
            early_stopping_rounds=self.early_stopping_rounds,
            overrides=self.params or {},
            progress=progress,
        )
        return self.adopt(schema, result, len(labelled))

    def adopt(self, schema: Schema, result: Any, rows: int) -> TabularModel:
        """Take a training's result (local or Dask) as this model's learned state."""
        self.schema_ = schema
        self.booster_ = result.booster
        self.metrics_ = result.metrics
        self.params_ = result.params
        self.best_iteration_ = result.best_iteration
        self.rows_ = {"total": rows, **result.rows}
        self.holdout_ = result.holdout
        self.device_ = result.device
        return self

    @classmethod
    def from_text(cls, model_text: str, manifest: Manifest) -> TabularModel:
        """A fitted model from LightGBM's text and its manifest (never from a pickle)."""
        import lightgbm as lgb

        model = cls(manifest.target, manifest.task)
        model.schema_ = Schema.from_json(manifest.schema)
        model.booster_ = lgb.Booster(model_str=model_text)
        model.metrics_ = manifest.metrics
        model.params_ = manifest.params
        model.best_iteration_ = manifest.best_iteration
        model.rows_ = manifest.rows
        model.device_ = manifest.device
        return model

    def _fitted(self) -> Schema:
        if not hasattr(self, "booster_"):
            raise NotFitted("this model is not fitted: call fit() first")
        schema: Schema = self.schema_
        return schema

    def predict_raw(self, frame: pd.DataFrame) -> np.ndarray:
        """Probabilities (classification) or values (regression), read through the schema."""
        schema = self._fitted()
        best = self.best_iteration_ or None
        return np.asarray(self.booster_.predict(schema.transform(frame), num_iteration=best))

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """One row of predictions per input row: class probabilities named for their class and
        the label (classification), or `prediction` (regression)."""
        schema = self._fitted()
        return prediction_columns(self.predict_raw(frame), schema.task, list(schema.classes))

    def evaluate(self, frame: pd.DataFrame) -> tuple[dict[str, float], int]:
        """Metrics on a labelled frame, and how many rows were left out for having no label."""
        from oasis_action.ml.training import evaluate

        schema = self._fitted()
        if schema.target not in frame.columns:
            raise InputError(f"target column {schema.target!r} is not in the data")
        labelled = frame[frame[schema.target].notna()]
        if labelled.empty:
            raise InputError(f"no row has a value in the target column {schema.target!r}")
        truth = schema.encode_labels(labelled[schema.target])
        metrics = evaluate(schema.task, truth, self.predict_raw(labelled), len(schema.classes))
        return metrics, len(frame) - len(labelled)

    def manifest(self, **extra: Any) -> Manifest:
        """The manifest of this fitted model; `extra` fills the run's own fields."""
        from oasis_action.ml.training import PRIMARY_METRIC

        schema = self._fitted()
        return Manifest(
            task=schema.task,
            target=schema.target,
            classes=list(schema.classes),
            schema=schema.to_json(),
            features=schema.legacy_features(),
            metrics=self.metrics_,
            primary_metric=PRIMARY_METRIC[schema.task],
            params=self.params_,
            best_iteration=self.best_iteration_,
            rows=self.rows_,
            device=self.device_,
            notes=list(schema.notes),
            **extra,
        )

    def model_text(self) -> str:
        return str(self.booster_.model_to_string(num_iteration=self.best_iteration_ or None))


def prediction_columns(raw: Any, task: str, classes: list[Any]) -> pd.DataFrame:
    """Probabilities named for their class and the label (classification), or the prediction."""
    if task == "regression":
        return pd.DataFrame({"prediction": raw})
    if task == "binary":
        labels = [classes[int(p >= 0.5)] for p in raw]
        return pd.DataFrame({f"probability_{classes[1]}": raw, "label": labels})
    frame = pd.DataFrame(raw, columns=[f"probability_{c}" for c in classes])
    frame["label"] = [classes[i] for i in raw.argmax(axis=1)]
    return frame
