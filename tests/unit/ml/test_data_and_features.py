from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oasis_action.errors import InputError
from oasis_action.ml.data import bundled_dataset, infer_task, load_training_data, resolve_data_path
from oasis_action.ml.features import align, feature_schema, prediction_columns


def write(tmp_path: Path, text: str, name: str = "d.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_dataset_is_real_and_found_by_default(tmp_path: Path) -> None:
    assert resolve_data_path("data/dataset.csv", tmp_path) == bundled_dataset()
    data = load_training_data(bundled_dataset(), "target")
    assert data.task == "binary"
    assert data.features.shape == (569, 30)
    assert data.classes == (0, 1)


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        ("", "target", "is empty"),
        ("a,target\n", "target", "header but no rows"),
        ("a,b\n1,2\n", "target", "target column 'target' is not in the data"),
        ("a,target\n1,1\n2,1\n", "target", "is constant"),
        ("a,target\n,1\n,0\n", "target", "feature column 'a' is empty"),
        ("target\n1\n0\n", "target", "no feature columns"),
        ("a,target\n1,\n2,\n", "target", "has no values"),
    ],
)
def test_unusable_data_is_a_clear_error(
    tmp_path: Path, text: str, target: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load_training_data(write(tmp_path, text), target)


def test_missing_file_and_features(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        resolve_data_path("nope.csv", tmp_path)
    with pytest.raises(InputError, match="feature column\\(s\\) not in the data: z"):
        load_training_data(write(tmp_path, "a,target\n1,0\n2,1\n"), "target", ("a", "z"))


def test_text_regression_target_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not numeric"):
        load_training_data(
            write(tmp_path, "a,target\n1,x\n2,y\n3,z\n"), "target", task="regression"
        )


@pytest.mark.parametrize(
    ("values", "task"),
    [
        ([0, 1, 0], "binary"),
        (["a", "b", "c"], "multiclass"),
        ([1, 2, 3, 4], "multiclass"),
        ([0.5, 1.7, 2.2], "regression"),
    ],
)
def test_task_inference(values: list[object], task: str) -> None:
    assert infer_task(pd.Series(values, name="t")) == task


def test_text_columns_become_categoricals_and_align(tmp_path: Path) -> None:
    data = load_training_data(
        write(tmp_path, "color,size,target\nred,1,a\nblue,2,b\nred,3,a\n"), "target"
    )
    schema = feature_schema(data.features)
    assert schema == [
        {"name": "color", "dtype": "category", "categories": ["blue", "red"]},
        {"name": "size", "dtype": "int64"},
    ]
    incoming = pd.DataFrame({"extra": [9], "size": ["4"], "color": ["green"]})
    aligned = align(incoming, schema)
    assert list(aligned.columns) == ["color", "size"]
    assert aligned["size"].tolist() == [4]
    assert aligned["color"].isna().tolist() == [True]


def test_alignment_names_missing_and_wrongly_typed(tmp_path: Path) -> None:
    schema = [{"name": "a", "dtype": "float64"}, {"name": "b", "dtype": "float64"}]
    with pytest.raises(InputError, match="missing feature column\\(s\\): b"):
        align(pd.DataFrame({"a": [1.0]}), schema)
    with pytest.raises(
        InputError, match="wrongly-typed feature column\\(s\\): b \\(expected float64\\)"
    ):
        align(pd.DataFrame({"a": [1.0], "b": ["seven"]}), schema)


def test_prediction_columns() -> None:
    import numpy as np

    binary = prediction_columns(np.array([0.2, 0.9]), "binary", ["no", "yes"])
    assert binary["label"].tolist() == ["no", "yes"]
    multi = prediction_columns(np.array([[0.1, 0.7, 0.2]]), "multiclass", ["a", "b", "c"])
    assert list(multi.columns) == ["probability_a", "probability_b", "probability_c", "label"]
    assert multi["label"].tolist() == ["b"]
    assert prediction_columns(np.array([1.5]), "regression", [])["prediction"].tolist() == [1.5]
