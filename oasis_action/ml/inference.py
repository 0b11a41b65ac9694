"""Learning the schema from training data: task and labels a person would agree with, and the
leak and footgun checks (target among the features, identifiers, constants, dates as levels).

Everything here reads the CSV as text first, so no pandas guess (an integer column with one
empty cell becoming floats, codes like `01` losing their zero) decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from oasis_action.errors import InputError
from oasis_action.ml.schema import (
    CALENDAR,
    CATEGORICAL,
    DATETIME,
    ISO_DATE,
    MAX_CLASSES,
    MIN_ROWS_FOR_ID_CHECK,
    NUMERIC,
    Column,
    Schema,
    safe_name,
    shown,
)

TASKS = ("binary", "multiclass", "regression")
MAX_INTEGER_CLASSES = 20
"""An integer target with at most this many values is classification (auto); more is regression."""


@dataclass(frozen=True)
class Labels:
    """The target as learned: its task, its classes (typed, in order) and its missing rows."""

    task: str
    classes: tuple[Any, ...]
    missing: int


def _numbers(values: pd.Series) -> pd.Series | None:
    """The values as numbers when every present value is one, else None."""
    numbers = pd.to_numeric(values, errors="coerce")
    return None if (numbers.isna() & values.notna()).any() else numbers


def _typed_classes(present: pd.Series, numbers: pd.Series | None) -> tuple[Any, ...]:
    """Class labels in their own type: integers as ints, other numbers as floats, text as is."""
    if numbers is None:
        return tuple(sorted(present.astype(str).unique().tolist()))
    distinct = sorted(numbers.dropna().unique().tolist())
    if all(float(v).is_integer() for v in distinct):
        return tuple(int(v) for v in distinct)
    return tuple(float(v) for v in distinct)


def learn_labels(frame: pd.DataFrame, target: str, task: str) -> Labels:
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} is not in the data (columns: {shown(list(frame.columns))})"
        )
    values = frame[target]
    present = values.dropna()
    if present.empty:
        raise InputError(f"target column {target!r} has no values")
    numbers = _numbers(present)
    distinct = present.nunique() if numbers is None else numbers.nunique()
    if distinct < 2:
        raise InputError(f"target column {target!r} is constant: there is nothing to learn")
    chosen = task if task != "auto" else _infer_task(numbers, distinct)
    _check_task(chosen, target, numbers, present, distinct)
    classes = () if chosen == "regression" else _typed_classes(present, numbers)
    return Labels(chosen, classes, int(values.isna().sum()))


def _infer_task(numbers: pd.Series | None, distinct: int) -> str:
    if distinct == 2:
        return "binary"
    if numbers is None:
        return "multiclass"
    integers = bool(np.all(np.mod(numbers.dropna().to_numpy(), 1) == 0))
    return "multiclass" if integers and distinct <= MAX_INTEGER_CLASSES else "regression"


def _check_task(
    task: str, target: str, numbers: pd.Series | None, present: pd.Series, distinct: int
) -> None:
    if task == "multiclass" and distinct <= MAX_CLASSES or task == "binary" and distinct == 2:
        return
    values = sorted(present.astype(str).unique().tolist()[: MAX_CLASSES + 1])
    if task == "regression" and numbers is None:
        raise InputError(
            f"--task regression needs a numeric target; {target!r} holds text ({shown(values)})"
        )
    if task == "binary" and distinct != 2:
        raise InputError(
            f"--task binary needs exactly 2 classes; {target!r} has {distinct}: {shown(values)}"
        )
    if task == "multiclass" and distinct > MAX_CLASSES:
        raise InputError(
            f"--task multiclass: {target!r} has {distinct} distinct values (at most {MAX_CLASSES} "
            "classes); is it a continuous target? use --task regression"
        )


def _is_dates(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(1000)
    return not sample.empty and sample.str.match(ISO_DATE).mean() >= 0.95


def _why_excluded(name: str, values: pd.Series, numbers: pd.Series | None) -> str:
    """Why a column should not be a feature ('' when it may be one)."""
    present = values.dropna()
    if present.empty:
        return "it is empty"
    if numbers is not None:
        return _why_excluded_number(numbers, len(present) == len(values))
    distinct = present.nunique()
    if distinct == 1:
        return "it is constant"
    unique_per_row = len(present) == len(values) and distinct == len(values)
    if not unique_per_row or len(values) < MIN_ROWS_FOR_ID_CHECK or _is_dates(values):
        return ""
    return "it is unique per row (an identifier)"


def _why_excluded_number(numbers: pd.Series, complete: bool) -> str:
    """Constant, or an identifier: whole numbers, none missing, strictly ordered (row numbers
    of sorted data, `Unnamed: 0`). Cheap on millions of rows: no distinct count."""
    array = numbers.dropna().to_numpy(dtype=float)
    if array.min() == array.max():
        return "it is constant"
    if not complete or len(array) < MIN_ROWS_FOR_ID_CHECK or np.any(np.mod(array[:1000], 1) != 0):
        return ""
    if np.any(np.mod(array, 1) != 0):
        return ""
    steps = np.diff(array)
    ordered = bool(np.all(steps > 0) or np.all(steps < 0))
    return "it is unique per row and ordered (an identifier)" if ordered else ""


def _column(name: str, values: pd.Series, numbers: pd.Series | None, taken: set[str]) -> Column:
    if numbers is not None:
        return Column(name, NUMERIC, (safe_name(name, taken),))
    if _is_dates(values):
        base = safe_name(name, taken)
        return Column(name, DATETIME, tuple(safe_name(f"{base}__{p}", taken) for p in CALENDAR))
    levels = tuple(sorted(values.dropna().astype(str).unique().tolist()))
    return Column(name, CATEGORICAL, (safe_name(name, taken),), levels)


def learn_schema(
    frame: pd.DataFrame, target: str, features: Sequence[str], task: str
) -> tuple[Schema, pd.DataFrame]:
    """The schema of a text-read training frame, and the frame without unlabelled rows.

    `features` named by the user are kept whatever the checks say (that is the override);
    otherwise every column but the target is a candidate, and identifiers, constants and empty
    columns are excluded with a note.
    """
    if target in features:
        raise InputError(
            f"the target {target!r} is also in --features: the model would read the answer"
        )
    missing = [name for name in features if name not in frame.columns]
    if missing:
        raise InputError(f"feature column(s) not in the data: {shown(missing)}")
    labels = learn_labels(frame, target, task)
    labelled = frame[frame[target].notna()].reset_index(drop=True)
    notes = [f"dropped {labels.missing} row(s) with no {target!r}"] if labels.missing else []
    columns, excluded = _columns(labelled, target, features, notes)
    if not columns:
        raise InputError("the data has no usable feature columns besides the target")
    schema = Schema(target, labels.task, labels.classes, tuple(columns), tuple(excluded))
    return Schema(**{**schema.__dict__, "notes": tuple(notes)}), labelled


def _columns(
    frame: pd.DataFrame, target: str, features: Sequence[str], notes: list[str]
) -> tuple[list[Column], list[tuple[str, str]]]:
    candidates = list(features) or [str(c) for c in frame.columns if c != target]
    taken: set[str] = set()
    columns, excluded = [], []
    for name in candidates:
        values = frame[name]
        numbers = _numbers(values)
        why = _why_excluded(name, values, numbers)
        if why and not features:
            excluded.append((name, why))
            notes.append(f"excluded {name!r}: {why} (name it in --features to keep it)")
            continue
        if why == "it is empty":
            raise InputError(f"feature column {name!r} is empty: it cannot be used")
        columns.append(_column(name, values, numbers, taken))
    return columns, excluded
