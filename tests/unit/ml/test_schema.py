"""The schema learned at training: task and labels, leak and footgun checks, and transform."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oasis_action.errors import InputError
from oasis_action.ml.data import bundled_dataset, resolve_data_path
from oasis_action.ml.inference import learn_schema
from oasis_action.ml.model import prediction_columns
from oasis_action.ml.schema import (
    CATEGORICAL,
    DATETIME,
    NUMERIC,
    Schema,
    read_chunks,
    read_training_csv,
)


def write(tmp_path: Path, text: str, name: str = "d.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def learn(tmp_path: Path, text: str, target: str = "target", features=(), task="auto"):  # type: ignore[no-untyped-def]
    return learn_schema(read_training_csv(write(tmp_path, text)), target, features, task)[0]


def test_bundled_dataset_is_real_and_found_by_default(tmp_path: Path) -> None:
    assert resolve_data_path("data/dataset.csv", tmp_path) == bundled_dataset()
    schema, frame = learn_schema(read_training_csv(bundled_dataset()), "target", (), "auto")
    assert schema.task == "binary" and schema.classes == (0, 1)
    assert len(schema.columns) == 30 and {c.kind for c in schema.columns} == {NUMERIC}
    assert len(frame) == 569 and schema.excluded == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("a,target\n", "header but no rows"),
        ("a,b\n1,2\n", "target column 'target' is not in the data"),
        ("a,target\n1,1\n2,1\n", "is constant"),
        ("target\n1\n0\n", "no usable feature columns"),
        ("a,target\n1,\n2,\n", "has no values"),
    ],
)
def test_unusable_data_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        learn(tmp_path, text)


def test_named_features_must_exist_and_never_include_the_target(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="feature column\\(s\\) not in the data: z"):
        learn(tmp_path, "a,target\n1,0\n2,1\n", features=("a", "z"))
    with pytest.raises(InputError, match="the target 'target' is also in --features"):
        learn(tmp_path, "a,target\n1,0\n2,1\n", features=("a", "target"))


@pytest.mark.parametrize(
    ("labels", "task", "classes"),
    [
        (["0", "1", "0"], "binary", (0, 1)),
        (["a", "b", "c"], "multiclass", ("a", "b", "c")),
        (["1", "2", "3", "4"], "multiclass", (1, 2, 3, 4)),
        (["0.5", "1.7", "2.2"], "regression", ()),
        (["1", "2", "", "3"], "multiclass", (1, 2, 3)),
        (["yes", "no", "yes"], "binary", ("no", "yes")),
    ],
)
def test_task_and_classes_a_person_would_agree_with(
    tmp_path: Path, labels: list[str], task: str, classes: tuple[object, ...]
) -> None:
    """Integer labels with a missing value stay classification, with int classes (not 1.0)."""
    rows = "".join(f"{i},{label}\n" for i, label in enumerate(labels))
    schema = learn(tmp_path, "x,target\n" + rows)
    assert (schema.task, schema.classes) == (task, classes)
    assert all(type(c) is type(e) for c, e in zip(schema.classes, classes, strict=True))


@pytest.mark.parametrize(
    ("labels", "task", "message"),
    [
        (
            ["a", "b", "c"],
            "binary",
            "--task binary needs exactly 2 classes; 'target' has 3: a, b, c",
        ),
        (["x", "y", "z"], "regression", "--task regression needs a numeric target"),
    ],
)
def test_an_impossible_task_is_one_line(
    tmp_path: Path, labels: list[str], task: str, message: str
) -> None:
    rows = "".join(f"{i},{label}\n" for i, label in enumerate(labels))
    with pytest.raises(InputError, match=message):
        learn(tmp_path, "x,target\n" + rows, task=task)


def test_a_continuous_target_as_multiclass_is_a_short_line(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i * 0.37:.3f}\n" for i in range(712))
    with pytest.raises(InputError) as caught:
        learn(tmp_path, "x,target\n" + rows, task="multiclass")
    assert len(str(caught.value)) < 200 and "712 distinct values" in str(caught.value)


def test_identifiers_constants_and_dates(tmp_path: Path) -> None:
    rows = "".join(
        f"{i},{i % 3},2024-01-{1 + i % 28:02d},same,{'ab'[i % 2]},{i % 2}\n" for i in range(40)
    )
    schema = learn(tmp_path, "id,code,day,const,letter,target\n" + rows)
    assert dict(schema.excluded) == {
        "id": "it is unique per row and ordered (an identifier)",
        "const": "it is constant",
    }
    kinds = {c.name: c.kind for c in schema.columns}
    assert kinds == {"code": NUMERIC, "day": DATETIME, "letter": CATEGORICAL}
    (day,) = [c for c in schema.columns if c.name == "day"]
    assert day.model_names == tuple(
        f"day__{p}" for p in ("year", "month", "day", "dayofweek", "dayofyear")
    )
    assert any("name it in --features to keep it" in note for note in schema.notes)
    kept = learn(tmp_path, "id,code,day,const,letter,target\n" + rows, features=("id", "code"))
    assert kept.feature_names == ["id", "code"]


def test_names_lightgbm_refuses_are_mapped_and_kept(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i % 5},{i % 7},{i % 2}\n" for i in range(50))
    schema = learn(tmp_path, 'Unnamed: 0,"a[1]","b""q:x",target\n' + rows)
    assert schema.feature_names == ["a[1]", 'b"q:x']
    assert schema.model_names == ["a_1_", "b_q_x"]
    assert schema.model_to_column() == {"a_1_": "a[1]", "b_q_x": 'b"q:x'}


def test_codes_that_look_numeric_stay_categorical_in_every_chunk(tmp_path: Path) -> None:
    """The seed inferred dtypes per predict chunk: '1','2','3' in one chunk became numbers."""
    rows = "".join(f"{['1', '2', '3', 'X'][i % 4]},{i % 2}\n" for i in range(80))
    schema = learn(tmp_path, "code,target\n" + rows)
    assert schema.columns[0].kind == CATEGORICAL and schema.columns[0].levels == (
        "1",
        "2",
        "3",
        "X",
    )
    path = write(tmp_path, "code,id\n1,a\n2,b\n,c\n3,d\nX,e\n1,f\n", "in.csv")
    whole = pd.concat([schema.transform(c) for c in read_chunks(path, schema, 100)])
    chunked = pd.concat([schema.transform(c) for c in read_chunks(path, schema, 2)])
    assert whole["code"].astype(str).tolist() == chunked["code"].astype(str).tolist()
    assert whole["code"].isna().tolist() == [False, False, True, False, False, False]


def test_transform_names_missing_and_wrongly_typed(tmp_path: Path) -> None:
    schema = learn(tmp_path, "a,b,target\n" + "".join(f"{i},{i * 2},{i % 2}\n" for i in range(9)))
    with pytest.raises(InputError, match="missing feature column\\(s\\): b"):
        schema.transform(pd.DataFrame({"a": [1.0]}))
    with pytest.raises(InputError, match="feature column 'b' should hold numbers, found seven"):
        schema.transform(pd.DataFrame({"a": ["1"], "b": ["seven"]}))
    path = write(tmp_path, "a,b\n1,2\n3,seven\n", "bad.csv")
    with pytest.raises(InputError, match="feature column 'b' should hold numbers"):
        [schema.transform(chunk) for chunk in read_chunks(path, schema, 10)]


def test_schema_round_trips_and_reads_the_seed_format(tmp_path: Path) -> None:
    schema = learn(
        tmp_path, "c,n,target\n" + "".join(f"{'ab'[i % 2]},{i},{i % 3}\n" for i in range(9))
    )
    assert Schema.from_json(schema.to_json()) == schema
    seed = Schema.from_metadata(
        {
            "target": "t",
            "task": "binary",
            "classes": [0, 1],
            "features": [
                {"name": "c", "dtype": "category", "categories": ["a"]},
                {"name": "n", "dtype": "float64"},
            ],
        }
    )
    assert [(c.name, c.kind, c.levels) for c in seed.columns] == [
        ("c", CATEGORICAL, ("a",)),
        ("n", NUMERIC, ()),
    ]


def test_unknown_labels_are_named_and_spellings_agree(tmp_path: Path) -> None:
    schema = learn(tmp_path, "x,target\n" + "".join(f"{i},{i % 2}\n" for i in range(9)))
    assert schema.encode_labels(pd.Series(["1", "1.0", "0"])).tolist() == [1, 1, 0]
    with pytest.raises(InputError, match="labels the model never saw: 7"):
        schema.encode_labels(pd.Series(["7"]))


def test_prediction_columns_name_their_class() -> None:
    binary = prediction_columns(np.array([0.2, 0.9]), "binary", ["no", "yes"])
    assert list(binary.columns) == ["probability_yes", "label"]
    assert binary["label"].tolist() == ["no", "yes"]
    multi = prediction_columns(np.array([[0.1, 0.7, 0.2]]), "multiclass", ["a", "b", "c"])
    assert list(multi.columns) == ["probability_a", "probability_b", "probability_c", "label"]
    assert multi["label"].tolist() == ["b"]
    assert prediction_columns(np.array([1.5]), "regression", [])["prediction"].tolist() == [1.5]
