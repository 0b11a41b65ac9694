"""Plots, the optional checksummed pickle, the terminal progress bar, and training on Dask."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oasis_action.main import main
from oasis_action.ml.store import ModelStore, StoreError
from tests.support.cli import oasis

PNG = b"\x89PNG\r\n\x1a\n"


def tiny(path: Path, task: str, rows: int = 400) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    if task == "regression":
        y = x[:, 0] * 3 + rng.normal(scale=0.1, size=rows)
    elif task == "multiclass":
        y = np.digitize(x[:, 0], [-0.5, 0.5])
    else:
        y = (x[:, 0] + x[:, 1] > 0).astype(int)
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    frame["target"] = y
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("task", "plot"),
    [("binary", "roc.png"), ("multiclass", "confusion.png"), ("regression", "residuals.png")],
)
def test_plots_beside_the_model(tmp_path: Path, task: str, plot: str) -> None:
    tiny(tmp_path / "d.csv", task)
    code, _, err = oasis(tmp_path, "train", "--data", "d.csv", "--num-boost-round", "30")
    assert code == 0, err
    folder = tmp_path / "models/current"
    for name in ("importance.png", plot):
        assert (folder / name).read_bytes().startswith(PNG)
    files = json.loads((folder / "metadata.json").read_text())["files"]
    assert set(files) == {"importance.png", plot}


def test_pickle_is_loaded_only_after_its_checksum(tmp_path: Path) -> None:
    tiny(tmp_path / "d.csv", "binary")
    assert (
        oasis(
            tmp_path,
            "train",
            "--data",
            "d.csv",
            "--num-boost-round",
            "20",
            "--pickle",
            "--no-plots",
        )[0]
        == 0
    )
    model = ModelStore(tmp_path / "models").load()
    frame = pd.read_csv(tmp_path / "d.csv").drop(columns=["target"])
    assert np.allclose(model.pickled_booster().predict(frame), model.booster().predict(frame))
    pickle_path = model.path / "model.pkl"
    pickle_path.write_bytes(pickle_path.read_bytes() + b"tampered")
    with pytest.raises(StoreError, match="sha256 check; not loaded"):
        model.pickled_booster()
    (tmp_path / "e.csv").write_text((tmp_path / "d.csv").read_text())
    oasis(tmp_path, "train", "--data", "e.csv", "--num-boost-round", "20", "--no-plots")
    with pytest.raises(StoreError, match="has no pickle"):
        ModelStore(tmp_path / "models").load().pickled_booster()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_in_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny(tmp_path / "d.csv", "binary")
    monkeypatch.chdir(tmp_path)
    err = Terminal()
    code = main(
        ["train", "--data", "d.csv", "--num-boost-round", "40", "--no-plots"],
        {},
        io.StringIO(),
        err,
    )
    assert code == 0
    assert "round" in err.getvalue() and "\r" in err.getvalue()


@pytest.fixture(scope="module")
def dask_cluster() -> object:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    yield cluster.scheduler_address
    cluster.close()


def test_training_on_a_dask_cluster(tmp_path: Path, dask_cluster: str) -> None:
    tiny(tmp_path / "d.csv", "binary", rows=2000)
    code, out, err = oasis(
        tmp_path,
        "train",
        "--data",
        "d.csv",
        "--engine",
        "dask",
        "--scheduler",
        dask_cluster,
        "--num-boost-round",
        "40",
        "--json",
    )
    assert code == 0, err
    saved = json.loads(out)
    assert saved["engine"] == "dask" and saved["metrics"]["auc"] > 0.95
    assert [f["name"] for f in saved["features"]] == ["a", "b", "c"]
    frame = pd.read_csv(tmp_path / "d.csv")
    code, _, _ = oasis(tmp_path, "predict", "d.csv", "-o", "out.csv")
    assert code == 0 and len(pd.read_csv(tmp_path / "out.csv")) == len(frame)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--engine", "dask"], "needs --scheduler"),
        (
            ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"],
            "cannot reach the Dask scheduler",
        ),
    ],
)
def test_dask_bad_input(tmp_path: Path, argv: list[str], message: str) -> None:
    tiny(tmp_path / "d.csv", "binary")
    code, _, err = oasis(tmp_path, "train", "--data", "d.csv", *argv)
    assert code == 2 and message in err
    assert not (tmp_path / "models").exists()


def test_dask_trains_on_the_same_schema_as_local_training(
    tmp_path: Path, dask_cluster: str
) -> None:
    """Mixed column types (a text categorical), a missing target, early stopping on a
    validation split, clean --json stdout: the seed refused the string column."""
    import numpy as np

    rng = np.random.default_rng(5)
    rows = 1500
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=rows).round(4),
            "colour": rng.choice(["red", "green", "blue"], size=rows),
        }
    )
    frame["target"] = ((frame["x"] > 0) | (frame["colour"] == "red")).astype(int)
    frame.loc[3, "target"] = None
    frame.to_csv(tmp_path / "mixed.csv", index=False)
    code, out, err = oasis(
        tmp_path, "train", "--data", "mixed.csv", "--engine", "dask", "--scheduler",
        dask_cluster, "--num-boost-round", "60", "--json", "--no-plots",
    )  # fmt: skip
    assert code == 0, err
    saved = json.loads(out)
    kinds = {c["name"]: c["kind"] for c in saved["schema"]["columns"]}
    assert kinds == {"x": "numeric", "colour": "categorical"}
    assert saved["rows"]["valid"] > 0 and 1 <= saved["best_iteration"] <= 60
    assert saved["metrics"]["auc"] > 0.95 and "dropped 1 row(s)" in err
    code, _, err = oasis(tmp_path, "predict", "mixed.csv", "-o", "p.csv")
    assert code == 0, err
