"""The feature schema recorded at training and enforced at prediction (no training/serving skew)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from oasis_action.errors import InputError


def feature_schema(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, dtype and (for categoricals) the categories, in training order."""
    schema = []
    for name in frame.columns:
        column = frame[name]
        entry: dict[str, Any] = {"name": str(name), "dtype": str(column.dtype)}
        if isinstance(column.dtype, pd.CategoricalDtype):
            entry["dtype"] = "category"
            entry["categories"] = [str(c) for c in column.cat.categories]
        schema.append(entry)
    return schema


def align(frame: pd.DataFrame, schema: list[dict[str, Any]]) -> pd.DataFrame:
    """Columns in training order with training types; missing or wrongly-typed features are named."""
    names = [entry["name"] for entry in schema]
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise InputError(f"missing feature column(s): {', '.join(missing)}")
    aligned = {}
    wrong = []
    for entry in schema:
        column = frame[entry["name"]]
        if entry["dtype"] == "category":
            text = column.astype("string")
            known = text.where(text.isin(entry["categories"]))
            aligned[entry["name"]] = pd.Categorical(known, categories=entry["categories"])
            continue
        converted = pd.to_numeric(column, errors="coerce")
        if (converted.isna() & column.notna()).any():
            wrong.append(f"{entry['name']} (expected {entry['dtype']})")
        aligned[entry["name"]] = converted
    if wrong:
        raise InputError(f"wrongly-typed feature column(s): {', '.join(wrong)}")
    return pd.DataFrame(aligned, index=frame.index)[names]


def prediction_columns(raw: Any, task: str, classes: list[Any]) -> pd.DataFrame:
    """Probabilities and labels (classification) or the prediction (regression)."""
    if task == "regression":
        return pd.DataFrame({"prediction": raw})
    if task == "binary":
        return pd.DataFrame({"probability": raw, "label": [classes[int(p >= 0.5)] for p in raw]})
    frame = pd.DataFrame(raw, columns=[f"probability_{c}" for c in classes])
    frame["label"] = [classes[i] for i in raw.argmax(axis=1)]
    return frame
