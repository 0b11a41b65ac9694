"""Load a CSV for training or prediction, with one clear error for each way it can be unusable."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from oasis_action.errors import InputError

DEFAULT_DATA = "data/dataset.csv"
TASKS = ("binary", "multiclass", "regression")


def bundled_dataset() -> Path:
    """The UCI breast cancer data shipped inside the package (scikit-learn's copy, `target` column)."""
    return Path(str(resources.files("oasis_action.data").joinpath("dataset.csv")))


def resolve_data_path(data: str, workspace: Path) -> Path:
    """The CSV to read: the given path, or the bundled copy when the default is not in the workspace."""
    path = (workspace / data) if not Path(data).is_absolute() else Path(data)
    if not path.is_file() and data == DEFAULT_DATA:
        return bundled_dataset()
    if not path.is_file():
        raise InputError(f"data file {data!r} does not exist")
    return path


def read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise InputError(f"data file {path.name!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(
            f"data file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
        ) from None
    if frame.empty:
        raise InputError(f"data file {path.name!r} has a header but no rows")
    return frame


def infer_task(target: pd.Series) -> str:
    """binary / multiclass for a few distinct labels or text labels, regression for numbers."""
    distinct = target.nunique(dropna=True)
    if distinct < 2:
        raise InputError(f"target column {target.name!r} is constant: there is nothing to learn")
    if distinct == 2:
        return "binary"
    numeric = pd.api.types.is_numeric_dtype(target)
    if not numeric or (pd.api.types.is_integer_dtype(target) and distinct <= 20):
        return "multiclass"
    return "regression"


@dataclass(frozen=True)
class Dataset:
    """Features ready for LightGBM, the target, and what was learned about them."""

    features: pd.DataFrame
    target: pd.Series
    task: str
    classes: tuple[Any, ...]


def _select_features(frame: pd.DataFrame, target: str, features: tuple[str, ...]) -> pd.DataFrame:
    if features:
        missing = [name for name in features if name not in frame.columns]
        if missing:
            raise InputError(f"feature column(s) not in the data: {', '.join(missing)}")
        chosen = frame[list(features)]
    else:
        chosen = frame.drop(columns=[target])
    if chosen.shape[1] == 0:
        raise InputError("the data has no feature columns besides the target")
    return prepare_features(chosen)


def prepare_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers stay numbers; text and boolean columns become LightGBM categoricals."""
    prepared = frame.copy()
    for name in prepared.columns:
        column = prepared[name]
        if column.isna().all():
            raise InputError(f"feature column {name!r} is empty: it cannot be used")
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            prepared[name] = column.astype("string").astype("category")
    return prepared


def load_training_data(
    path: Path, target: str, features: tuple[str, ...] = (), task: str = "auto"
) -> Dataset:
    frame = read_csv(path)
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} is not in the data (columns: {', '.join(map(str, frame.columns[:8]))}...)"
        )
    frame = frame[frame[target].notna()]
    if frame.empty:
        raise InputError(f"target column {target!r} has no values")
    chosen_task = infer_task(frame[target]) if task == "auto" else task
    if chosen_task == "regression" and not pd.api.types.is_numeric_dtype(frame[target]):
        raise InputError(
            f"target column {target!r} is not numeric: it cannot be a regression target"
        )
    labels = frame[target]
    classes: tuple[Any, ...] = ()
    if chosen_task != "regression":
        classes = tuple(sorted(labels.unique().tolist(), key=str))
        labels = labels.map({label: index for index, label in enumerate(classes)})
    return Dataset(
        _select_features(frame, target, features),
        labels.reset_index(drop=True),
        chosen_task,
        classes,
    )
