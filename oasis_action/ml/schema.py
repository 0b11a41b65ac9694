"""The data schema: learned once at training, enforced at every later use of the model.

Each column gets a role (feature, target or excluded, with the reason), a kind (numeric,
categorical or datetime), its categorical levels, and the name LightGBM sees (LightGBM refuses
JSON's special characters in feature names). Evaluate, predict (every chunk), the gate and the
smoke test read data *through* the schema: the CSV is parsed with the schema's dtypes, never
re-inferred per chunk, so how a file is chunked can never change a prediction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oasis_action.errors import InputError

NUMERIC, CATEGORICAL, DATETIME = "numeric", "categorical", "datetime"
CALENDAR = ("year", "month", "day", "dayofweek", "dayofyear")
CALENDAR_ATTRIBUTE = {"dayofweek": "day_of_week", "dayofyear": "day_of_year"}
MAX_CLASSES = 200
"""More distinct labels than this is no classification a person means (a continuous target)."""
MIN_ROWS_FOR_ID_CHECK = 20
ISO_DATE = re.compile(
    r"^\d{4}[-/]\d{2}[-/]\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def shown(values: Sequence[Any], most: int = 5) -> str:
    """A bounded list for a one-line message: the first `most` values, then how many more."""
    listed = ", ".join(str(v)[:40] for v in values[:most])
    return listed + (f" and {len(values) - most} more" if len(values) > most else "")


@dataclass(frozen=True)
class Column:
    """One feature column: how it is read, and the column(s) LightGBM sees for it."""

    name: str
    kind: str
    model_names: tuple[str, ...]
    levels: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "model_names": list(self.model_names),
        }
        if self.kind == CATEGORICAL:
            data["levels"] = list(self.levels)
        return data


@dataclass(frozen=True)
class Schema:
    """What training learned about the data; `transform` applies it to any later frame."""

    target: str
    task: str
    classes: tuple[Any, ...]
    columns: tuple[Column, ...]
    excluded: tuple[tuple[str, str], ...] = ()
    unseen: str = "missing"
    """An unseen categorical level or an unparseable date is treated as a missing value."""
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def feature_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def model_names(self) -> list[str]:
        return [name for column in self.columns for name in column.model_names]

    def model_to_column(self) -> dict[str, str]:
        """LightGBM's name of each model column -> the data column it comes from."""
        return {name: c.name for c in self.columns for name in c.model_names}

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "task": self.task,
            "classes": list(self.classes),
            "columns": [column.to_json() for column in self.columns],
            "excluded": [{"name": n, "why": why} for n, why in self.excluded],
            "unseen": self.unseen,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schema:
        columns = tuple(
            Column(c["name"], c["kind"], tuple(c["model_names"]), tuple(c.get("levels", ())))
            for c in data["columns"]
        )
        excluded = tuple((e["name"], e["why"]) for e in data.get("excluded", ()))
        return cls(
            data["target"],
            data["task"],
            tuple(data["classes"]),
            columns,
            excluded,
            data.get("unseen", "missing"),
        )

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> Schema:
        """The schema of a stored model; a model stored before schemas existed gets one built
        from its feature list (numbers and categories, names as LightGBM saw them)."""
        if "schema" in metadata:
            return cls.from_json(metadata["schema"])
        columns = tuple(
            Column(
                entry["name"],
                CATEGORICAL if entry["dtype"] == "category" else NUMERIC,
                (entry["name"],),
                tuple(entry.get("categories", ())),
            )
            for entry in metadata["features"]
        )
        return cls(metadata["target"], metadata["task"], tuple(metadata["classes"]), columns)

    def legacy_features(self) -> list[dict[str, Any]]:
        """The `features` list of the metadata (name, dtype, categories), kept for readers of
        the seed's format."""
        entries = []
        for column in self.columns:
            for name in column.model_names:
                entry: dict[str, Any] = {"name": name, "dtype": "float64"}
                if column.kind == CATEGORICAL:
                    entry = {"name": name, "dtype": "category", "categories": list(column.levels)}
                entries.append(entry)
        return entries

    def read_dtypes(self, header: Sequence[str]) -> dict[str, str]:
        """How to parse each column of a file: every column but the numeric features as text,
        exactly as written (categorical codes keep their spelling in every chunk, and columns
        passed through to outputs come out unchanged). Numeric features are parsed by pandas'
        fast path; `transform` checks each value is a number and names the column if not."""
        numeric = {c.name for c in self.columns if c.kind == NUMERIC}
        return {name: "string" for name in header if name not in numeric}

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame LightGBM sees: model columns in training order, training types."""
        missing = [name for name in self.feature_names if name not in frame.columns]
        if missing:
            raise InputError(f"missing feature column(s): {shown(missing)}")
        parts: dict[str, Any] = {}
        for column in self.columns:
            parts.update(_model_columns(column, frame[column.name]))
        return pd.DataFrame(parts, index=frame.index)[self.model_names]

    def encode_labels(self, labels: pd.Series) -> np.ndarray:
        """Class indexes (classification) or numbers (regression); unknown labels are named."""
        if self.task == "regression":
            values = pd.to_numeric(labels, errors="coerce")
            bad = labels[values.isna() & labels.notna()]
            if len(bad):
                raise InputError(f"target {self.target!r} holds non-numbers: {shown(list(bad))}")
            return values.to_numpy(dtype=float)
        numeric = all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in self.classes)
        codes = (
            _numeric_codes(labels, self.classes) if numeric else _text_codes(labels, self.classes)
        )
        unknown = sorted({str(value) for value in labels[codes < 0]})
        if unknown:
            raise InputError(f"labels the model never saw: {shown(unknown)}")
        return codes


def _numeric_codes(labels: pd.Series, classes: tuple[Any, ...]) -> np.ndarray:
    """Class index of each label (-1 when none): `1`, `1.0` and 1 are the same class."""
    known = np.array([float(c) for c in classes])
    values = pd.to_numeric(labels, errors="coerce").to_numpy(dtype=float)
    codes = np.clip(np.searchsorted(known, values), 0, len(known) - 1)
    return np.where(known[codes] == values, codes, -1)


def _text_codes(labels: pd.Series, classes: tuple[Any, ...]) -> np.ndarray:
    index = {str(c).strip(): i for i, c in enumerate(classes)}
    return labels.astype(str).str.strip().map(index).fillna(-1).to_numpy(dtype=int)


def _model_columns(column: Column, values: pd.Series) -> dict[str, Any]:
    if column.kind == NUMERIC:
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            return {column.model_names[0]: values.astype(float)}
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values[numbers.isna() & values.notna()]
        if len(bad):
            raise InputError(
                f"feature column {column.name!r} should hold numbers, found {shown(list(bad.astype(str)))}"
            )
        return {column.model_names[0]: numbers.astype(float)}
    if column.kind == CATEGORICAL:
        text = values.astype("string")
        known = text.where(text.isin(column.levels))
        return {column.model_names[0]: pd.Categorical(known, categories=list(column.levels))}
    stamps = parse_dates(values)
    return {
        name: getattr(stamps.dt, CALENDAR_ATTRIBUTE.get(part, part)).astype(float)
        for name, part in zip(column.model_names, CALENDAR, strict=True)
    }


def parse_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype("string"), format="ISO8601", errors="coerce", utc=True)


def safe_name(name: str, taken: set[str]) -> str:
    """A name LightGBM accepts (letters, digits, `_`), unique among `taken`."""
    base = re.sub(r"[^0-9A-Za-z_]", "_", str(name)) or "column"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _unreadable(path: Path, error: Exception) -> InputError:
    if isinstance(error, pd.errors.EmptyDataError):
        return InputError(f"data file {path.name!r} is empty")
    return InputError(
        f"data file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
    )


def read_training_csv(path: Path) -> pd.DataFrame:
    """The training file: numbers parsed by pandas' fast path, and every other column as text
    exactly as written, so no guess (`true` read as a boolean, `01` as 1 in a column that also
    holds `X`) decides a level or a class."""
    try:
        frame = pd.read_csv(path)  # a mixed column comes back as objects: re-read as text below
        numeric = pd.api.types.is_numeric_dtype
        textual = [
            index
            for index, name in enumerate(frame.columns)
            if not numeric(frame[name]) or pd.api.types.is_bool_dtype(frame[name])
        ]
        if textual:
            text = pd.read_csv(path, usecols=textual, dtype="string", keep_default_na=True)
            for index in textual:
                frame[frame.columns[index]] = text.iloc[:, textual.index(index)]
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise _unreadable(path, error) from None
    if frame.empty:
        raise InputError(f"data file {path.name!r} has a header but no rows")
    return frame


def read_header(path: Path) -> list[str]:
    try:
        return [str(name) for name in pd.read_csv(path, nrows=0).columns]
    except pd.errors.EmptyDataError:
        raise InputError(f"input file {path.name!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(
            f"input file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
        ) from None


def read_chunks(path: Path, schema: Schema, size: int) -> Iterator[pd.DataFrame]:
    """The file in chunks of `size` rows, every chunk parsed with the schema's dtypes."""
    header = read_header(path)
    missing = [name for name in schema.feature_names if name not in header]
    if missing:
        raise InputError(f"missing feature column(s): {shown(missing)}")
    dtypes = schema.read_dtypes(header)
    found = False
    try:
        for chunk in pd.read_csv(path, dtype=dtypes, chunksize=size, keep_default_na=True):
            if chunk.empty:
                continue
            found = True
            yield chunk
    except pd.errors.ParserError as error:
        raise InputError(
            f"input file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(f"input file {path.name!r} is not UTF-8: {error.reason}") from None
    if not found:
        raise InputError(f"input file {path.name!r} has a header but no rows")


def read_frame(path: Path, schema: Schema) -> pd.DataFrame:
    """The whole file, parsed with the schema's dtypes (one chunk)."""
    return pd.concat(list(read_chunks(path, schema, 1_000_000)), ignore_index=True)
