"""Model and pipeline levels: real LightGBM on the bundled data and on tiny CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import pandas as pd
import pytest

from oasis_action.ml.data import bundled_dataset
from oasis_action.ml.store import ModelStore
from tests.support.cli import oasis


def test_train_on_bundled_data_is_good_and_deterministic(tmp_path: Path) -> None:
    code, out, err = oasis(tmp_path, "train", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["version"] == "0.1.0"
    assert first["metrics"]["auc"] >= 0.985
    assert 0 <= first["metrics"]["logloss"] < 0.3
    assert "no OpenCL GPU found; training on the CPU" in err
    code, out, _ = oasis(tmp_path, "train", "--json")
    second = json.loads(out)
    assert second["sha256"] == first["sha256"]
    assert second["version"] == "0.1.1" and second["bump"] == "patch"
    code, out, _ = oasis(tmp_path, "version")
    assert out.startswith("0.1.1 (binary, accuracy=")


def test_train_save_load_predict_identical(tmp_path: Path) -> None:
    rows = pd.read_csv(bundled_dataset()).sample(200, random_state=1)
    rows.to_csv(tmp_path / "tiny.csv", index=False)
    assert oasis(tmp_path, "train", "--data", "tiny.csv", "--num-boost-round", "30")[0] == 0
    stored = ModelStore(tmp_path / "models").load()
    booster = lgb.Booster(model_str=stored.model_text)
    features = rows.drop(columns=["target"])
    expected = booster.predict(features)
    shuffled = rows[["target", *reversed(features.columns)]]
    shuffled.to_csv(tmp_path / "in.csv", index=False)
    code, out, err = oasis(tmp_path, "predict", "in.csv", "-o", "out.csv", "--chunk-size", "37")
    assert code == 0, err
    predicted = pd.read_csv(tmp_path / "out.csv")
    assert list(predicted.columns) == ["probability_1", "label"], "the label column is dropped"
    assert predicted["probability_1"].between(0, 1).all()
    assert predicted["probability_1"].round(10).tolist() == pd.Series(expected).round(10).tolist()
    code, out, _ = oasis(tmp_path, "evaluate", "in.csv", "--json")
    assert json.loads(out)["metrics"]["auc"] > 0.9


def test_multiclass_and_regression_with_categoricals(tmp_path: Path) -> None:
    frame = pd.read_csv(bundled_dataset())
    frame["band"] = pd.cut(frame["mean_radius"], 3, labels=["small", "mid", "large"]).astype(str)
    frame.drop(columns=["target"]).to_csv(tmp_path / "multi.csv", index=False)
    code, out, err = oasis(
        tmp_path, "train", "--data", "multi.csv", "--target", "band", "--models", "m1", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["task"] == "multiclass" and json.loads(out)["classes"] == [
        "large",
        "mid",
        "small",
    ]
    code, out, err = oasis(
        tmp_path,
        "train",
        "--data",
        "multi.csv",
        "--target",
        "mean_area",
        "--models",
        "m2",
        "--json",
    )
    meta = json.loads(out)
    assert meta["task"] == "regression" and meta["metrics"]["r2"] > 0.8
    assert {"name": "band", "dtype": "category", "categories": ["large", "mid", "small"]} in meta[
        "features"
    ]
    code, out, err = oasis(tmp_path, "predict", "multi.csv", "--models", "m1")
    assert code == 0 and out.splitlines()[0].endswith(
        "probability_large,probability_mid,probability_small,label"
    )


def test_bump_history_and_errors(tmp_path: Path) -> None:
    assert oasis(tmp_path, "version")[0] == 1
    assert oasis(tmp_path, "train", "--num-boost-round", "20")[0] == 0
    assert oasis(tmp_path, "bump-version", "--level", "major")[1] == "0.1.0 -> 1.0.0\n"
    code, out, _ = oasis(tmp_path, "history", "--json")
    assert [json.loads(line)["event"] for line in out.splitlines()] == ["train", "bump-major"]
    assert "bump-major" in oasis(tmp_path, "history")[1]
    (tmp_path / "bad.csv").write_text("mean_radius\nabc\n")
    code, _, err = oasis(tmp_path, "predict", "bad.csv")
    assert code == 2 and err.startswith("oasis: error: missing feature column(s): mean_texture")
    (tmp_path / "pyproject.toml").write_text("[tool.oasis\n")
    assert "not valid TOML" in oasis(tmp_path, "train")[2]


def test_pyproject_hyperparameters_are_used(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.oasis]\nnum_leaves = 7\nlearning_rate = 0.2\n")
    code, out, _ = oasis(tmp_path, "train", "--json", "--num-boost-round", "10")
    params = json.loads(out)["params"]
    assert (params["num_leaves"], params["learning_rate"]) == (7, 0.2)
    code, out, _ = oasis(
        tmp_path, "train", "--json", "--num-boost-round", "10", "--num-leaves", "5", "--models", "m"
    )
    assert json.loads(out)["params"]["num_leaves"] == 5


def test_gpu_path_trains_through_opencl(tmp_path: Path) -> None:
    """LightGBM's real `device_type=gpu` path. CI installs pocl (an OpenCL CPU platform) so the
    path runs on a machine without a GPU; elsewhere it runs on whatever OpenCL device exists."""
    import os

    from oasis_action import gpu

    if not gpu.detect().opencl_available:
        if os.environ.get("OASIS_REQUIRE_OPENCL") == "1":
            pytest.fail("OASIS_REQUIRE_OPENCL=1 but no OpenCL platform is installed")
        pytest.skip(
            "no OpenCL platform: install pocl-opencl-icd to run LightGBM's GPU path on a CPU"
        )
    code, out, err = oasis(
        tmp_path, "train", "--device", "gpu", "--num-boost-round", "60", "--json"
    )
    assert code == 0, err
    meta = json.loads(out)
    assert meta["device"] == "gpu" and meta["params"]["device_type"] == "gpu"
    assert meta["metrics"]["auc"] >= 0.97


def test_rollback(tmp_path: Path) -> None:
    assert oasis(tmp_path, "rollback")[0] == 1
    for _ in range(3):
        assert oasis(tmp_path, "train", "--num-boost-round", "10")[0] == 0
    assert oasis(tmp_path, "rollback")[1] == "0.1.2 -> 0.1.1 (rolled back)\n"
    assert oasis(tmp_path, "version")[1].startswith("0.1.1 ")
    assert oasis(tmp_path, "rollback", "--to", "0.1.0")[0] == 0
    assert oasis(tmp_path, "rollback")[2].endswith(
        "0.1.0 is the oldest version: nothing to roll back to\n"
    )
    code, _, err = oasis(tmp_path, "rollback", "--to", "9.9.9")
    assert (
        code == 2 and "version 9.9.9 is not in the model store (have: 0.1.0, 0.1.1, 0.1.2)" in err
    )
    assert oasis(tmp_path, "rollback", "--to", "latest")[0] == 2
    code, out, _ = oasis(tmp_path, "history", "--json")
    assert [json.loads(line)["event"] for line in out.splitlines()][-2:] == ["rollback", "rollback"]


@pytest.mark.parametrize("key", ["machines", "output_model", "gpu_platform_id", "data"])
def test_tool_oasis_may_set_only_training_parameters(tmp_path: Path, key: str) -> None:
    """`machines = "attacker:12400"` in a pull request's pyproject would make LightGBM connect out."""
    value = '"127.0.0.1:9"' if key != "gpu_platform_id" else "0"
    if key == "data":
        (tmp_path / "pyproject.toml").write_text('[tool.oasis]\nmachines = "a:1"\n')
    else:
        (tmp_path / "pyproject.toml").write_text(f"[tool.oasis]\n{key} = {value}\n")
    code, _, err = oasis(tmp_path, "train", "--num-boost-round", "5")
    assert code == 2 and "only LightGBM training parameters are allowed" in err
    assert [line for line in err.splitlines() if "error" in line] == [err.strip().splitlines()[-1]]
