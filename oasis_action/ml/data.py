"""Where training data comes from: a path in the workspace, or the bundled dataset."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from oasis_action.errors import InputError

DEFAULT_DATA = "data/dataset.csv"


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
