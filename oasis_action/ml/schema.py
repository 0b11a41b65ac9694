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
        """How to parse each column of a file: numeric features as numbers, every other column
        as text (kept exactly as written; passed through to outputs unchanged)."""
        numeric = {c.name for c in self.columns if c.kind == NUMERIC}
        return {name: ("float64" if name in numeric else "string") for name in header}

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
        index = {label_key(c): i for i, c in enumerate(self.classes)}
        keys = [label_key(value) for value in labels]
        unknown = sorted(
            {str(value) for value, key in zip(labels, keys, strict=True) if key not in index}
        )
        if unknown:
            raise InputError(f"labels the model never saw: {shown(unknown)}")
        return np.array([index[key] for key in keys], dtype=int)


def label_key(value: Any) -> Any:
    """One key per label however it is spelled in a file: `1`, `1.0` and 1 are the same class."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return number if np.isfinite(number) else text


def _model_columns(column: Column, values: pd.Series) -> dict[str, Any]:
    if column.kind == NUMERIC:
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


def read_text_csv(path: Path) -> pd.DataFrame:
    """Every column as text exactly as written (empty cells missing): nothing inferred yet."""
    try:
        frame = pd.read_csv(path, dtype="string", keep_default_na=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"data file {path.name!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(
            f"data file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
        ) from None
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
    except ValueError as error:
        if isinstance(error, pd.errors.ParserError):
            raise InputError(
                f"input file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
            ) from None
        _name_bad_number(path, schema, error)
    except UnicodeDecodeError as error:
        raise InputError(f"input file {path.name!r} is not UTF-8: {error.reason}") from None
    if not found:
        raise InputError(f"input file {path.name!r} has a header but no rows")


def _name_bad_number(path: Path, schema: Schema, error: ValueError) -> None:
    """A numeric feature held text: find which column (a second, text-only pass) and say so."""
    text = read_text_csv(path)
    for column in schema.columns:
        if column.kind == NUMERIC and column.name in text.columns:
            _model_columns(column, text[column.name])
    raise InputError(f"input file {path.name!r}: {error}") from None


def read_frame(path: Path, schema: Schema) -> pd.DataFrame:
    """The whole file, parsed with the schema's dtypes (one chunk)."""
    return pd.concat(list(read_chunks(path, schema, 1_000_000)), ignore_index=True)
