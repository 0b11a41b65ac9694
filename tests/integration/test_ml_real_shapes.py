"""Real-world CSV shapes through train -> version -> evaluate -> predict, one test per failure
the data-scientist trial found (#18): each failed on the seed and passes now."""

from __future__ import annotations

import json
import multiprocessing
import warnings
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from oasis_action.ml.store import ModelStore
from tests.support.cli import oasis


def codes_csv(path: Path, rows: int = 600) -> pd.DataFrame:
    """A categorical column of numeric-looking codes with one `X` (the trial's shape)."""
    rng = np.random.default_rng(7)
    code = rng.choice(["1", "2", "3", "X"], size=rows, p=[0.4, 0.3, 0.29, 0.01])
    x = rng.normal(size=rows)
    target = ((code == "2") | (x + rng.normal(scale=0.6, size=rows) > 0.8)).astype(int)
    frame = pd.DataFrame({"code": code, "x": x.round(4), "target": target})
    frame.to_csv(path, index=False)
    return frame


def test_chunk_size_never_changes_a_prediction(tmp_path: Path) -> None:
    codes_csv(tmp_path / "train.csv")
    assert oasis(tmp_path, "train", "--data", "train.csv", "--no-plots")[0] == 0
    lines = (tmp_path / "train.csv").read_text().splitlines()
    predict = [lines[0], *[line for line in lines[1:150] if not line.startswith("X")]]
    predict[5] = "," + predict[5].split(",", 1)[1]  # one empty code cell
    (tmp_path / "in.csv").write_text("\n".join(predict) + "\n")
    outputs = []
    for size in ("1", "7", "200000"):
        code, _, err = oasis(
            tmp_path, "predict", "in.csv", "-o", f"o{size}.csv", "--chunk-size", size
        )
        assert code == 0, err
        outputs.append((tmp_path / f"o{size}.csv").read_text())
    assert outputs[0] == outputs[1] == outputs[2]
    stored = ModelStore(tmp_path / "models").load()
    frame = pd.read_csv(tmp_path / "in.csv", dtype={"code": "string"})
    booster = lgb.Booster(model_str=stored.model_text)
    levels = stored.metadata["schema"]["columns"][0]["levels"]
    direct = booster.predict(
        pd.DataFrame({"code": pd.Categorical(frame["code"], categories=levels), "x": frame["x"]})
    )
    ours = pd.read_csv(tmp_path / "o1.csv")["probability_1"].to_numpy()
    assert np.allclose(ours, direct, rtol=0, atol=1e-12)


def test_leaks_are_refused_or_excluded_with_a_note(tmp_path: Path) -> None:
    frame = codes_csv(tmp_path / "d.csv").sort_values("target")
    frame.insert(0, "id", range(len(frame)))
    days = pd.date_range("2020-01-01", periods=len(frame)).strftime("%Y-%m-%d").to_numpy()
    frame.insert(1, "day", np.random.default_rng(1).permutation(days))
    frame.to_csv(tmp_path / "d.csv", index=False)
    code, _, err = oasis(tmp_path, "train", "--data", "d.csv", "--features", "x,target")
    assert code == 2 and "the target 'target' is also in --features" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = oasis(tmp_path, "train", "--data", "d.csv", "--no-plots", "--json")
    assert code == 0, err
    assert "excluded 'id': it is unique per row and ordered (an identifier)" in err
    schema = json.loads(out)["schema"]
    assert [c["name"] for c in schema["columns"]] == ["day", "code", "x"]
    assert schema["columns"][0]["kind"] == "datetime"
    assert json.loads(out)["metrics"]["auc"] < 0.999, "no leak through the id"


def test_labels_keep_their_type_and_missing_ones_are_dropped(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    label = np.where(x > 0.5, 2, np.where(x < -0.5, 0, 1)).astype(object)
    label[10] = None
    pd.DataFrame({"x": x, "label": label}).to_csv(tmp_path / "d.csv", index=False)
    code, out, err = oasis(
        tmp_path, "train", "--data", "d.csv", "--target", "label", "--json", "--no-plots"
    )
    assert code == 0, err
    meta = json.loads(out)
    assert (meta["task"], meta["classes"]) == ("multiclass", [0, 1, 2])
    assert "dropped 1 row(s) with no 'label'" in err
    code, out, err = oasis(tmp_path, "evaluate", "d.csv", "--json")
    assert code == 0, err
    assert json.loads(out)["rows"] == 299 and "left out 1 row(s)" in err
    code, out, _ = oasis(tmp_path, "predict", "d.csv")
    header, first = out.splitlines()[:2]
    assert header == "probability_0,probability_1,probability_2,label"
    assert first.rsplit(",", 1)[1] in {"0", "1", "2"}, "labels come back as written, not 1.0"


def test_names_lightgbm_refuses_train_and_predict(tmp_path: Path) -> None:
    frame = codes_csv(tmp_path / "d.csv")
    frame = frame.rename(columns={"x": 'a[1]:"q"', "code": "价格"})
    frame.to_csv(tmp_path / "d.csv")  # to_csv's index adds `Unnamed: 0`
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = oasis(tmp_path, "train", "--data", "d.csv", "--json")
    assert code == 0, err
    assert "excluded 'Unnamed: 0'" in err
    assert oasis(tmp_path, "predict", "d.csv", "-o", "p.csv")[0] == 0


@pytest.mark.parametrize(
    ("setup", "argv", "message"),
    [
        (
            "three",
            ["train", "--data", "d.csv", "--task", "binary"],
            "--task binary needs exactly 2 classes",
        ),
        ("model", ["predict", "header.csv"], "has a header but no rows"),
        (
            "model",
            ["predict", "d.csv", "-o", "missing/out.csv"],
            "the folder of --output 'missing/out.csv' does not exist",
        ),
        ("model", ["evaluate", "nolabel.csv"], "target column 'target' is not in the data"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, setup: str, argv: list[str], message: str
) -> None:
    if setup == "three":
        pd.DataFrame({"x": range(30), "target": ["a", "b", "c"] * 10}).to_csv(
            tmp_path / "d.csv", index=False
        )
    else:
        codes_csv(tmp_path / "d.csv")
        assert oasis(tmp_path, "train", "--data", "d.csv", "--no-plots")[0] == 0
        (tmp_path / "header.csv").write_text("code,x\n")
        (tmp_path / "nolabel.csv").write_text("code,x\n1,0.5\n")
    code, _, err = oasis(tmp_path, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("damage", ["truncate-metadata", "delete-model"])
@pytest.mark.parametrize("command", [["version"], ["predict", "d.csv"], ["evaluate", "d.csv"]])
def test_a_damaged_store_is_one_line_exit_1_naming_the_way_back(
    tmp_path: Path, damage: str, command: list[str]
) -> None:
    codes_csv(tmp_path / "d.csv")
    assert oasis(tmp_path, "train", "--data", "d.csv", "--no-plots")[0] == 0
    folder = tmp_path / "models" / "versions" / "0.1.0"
    if damage == "truncate-metadata":
        text = (folder / "metadata.json").read_text()
        (folder / "metadata.json").write_text(text[: len(text) // 2])
    else:
        (folder / "model.txt").unlink()
    code, _, err = oasis(tmp_path, *command)
    assert code == 1 and "model 0.1.0 is damaged" in err and "rollback --to" in err, err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err
    code, _, err = oasis(tmp_path, "train", "--data", "d.csv", "--no-plots")
    assert code == 0, err


def test_next_version_follows_the_highest_after_a_rollback(tmp_path: Path) -> None:
    codes_csv(tmp_path / "d.csv")
    for _ in range(2):
        assert oasis(tmp_path, "train", "--data", "d.csv", "--no-plots", "--bump", "minor")[0] == 0
    assert oasis(tmp_path, "rollback", "--to", "0.1.0")[0] == 0
    code, out, err = oasis(
        tmp_path, "train", "--data", "d.csv", "--no-plots", "--bump", "patch", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["version"] == "0.2.1" and json.loads(out)["previous_version"] == "0.1.0"


def _train(workspace: str, bump: str) -> int:
    return oasis(Path(workspace), "train", "--data", "d.csv", "--bump", bump)[0]


def test_concurrent_trainings_both_land_and_current_is_the_highest(tmp_path: Path) -> None:
    codes_csv(tmp_path / "d.csv")
    assert oasis(tmp_path, "train", "--data", "d.csv", "--no-plots")[0] == 0
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        codes = pool.starmap(_train, [(str(tmp_path), "minor"), (str(tmp_path), "patch")])
    assert codes == [0, 0]
    store = ModelStore(tmp_path / "models")
    versions = [str(v) for v in store.versions()]
    assert len(versions) == 3 and store.current_version() == store.versions()[-1]


def test_bump_version_carries_every_artifact(tmp_path: Path) -> None:
    codes_csv(tmp_path / "d.csv")
    assert oasis(tmp_path, "train", "--data", "d.csv")[0] == 0
    assert oasis(tmp_path, "bump-version", "--level", "major")[0] == 0
    store = ModelStore(tmp_path / "models")
    bumped = store.load()
    assert str(bumped.version) == "1.0.0"
    assert set(bumped.metadata["files"]) == {"importance.png", "roc.png"}
    assert bumped.artifacts() == store.load(store.versions()[0]).artifacts()


def test_a_metric_that_cannot_be_computed_refuses_the_version(tmp_path: Path) -> None:
    rows = [{"x": i % 7, "target": 1 if i == 0 else 0} for i in range(40)]
    rows[1]["target"] = 1
    pd.DataFrame(rows).to_csv(tmp_path / "d.csv", index=False)
    code, _, err = oasis(tmp_path, "train", "--data", "d.csv", "--no-plots")
    assert code == 2 and ("cannot be computed" in err or "too small" in err), err
    assert not (tmp_path / "models" / "versions").exists()
