"""OASIS's models on real tabular data, against default LightGBM on the same split.

    python benchmarks/ml_real.py [--seeds 3]

Data sets that packages ship offline: scikit-learn's bundled sets, palmerpenguins and
vega-datasets' local files (each skipped with a note when its package is not installed:
`pip install palmerpenguins vega_datasets`). For each: the task OASIS infers, the holdout primary
metric and log-loss of `oasis train` and of a default `LGBMClassifier`/`LGBMRegressor` fitted on
the very rows OASIS trained on (its train + validation rows, scored on its holdout), as mean and
spread over seeds. Then the exit status and first line of stderr for each crafted real-world CSV
shape of the trial in #18.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn import metrics as skm

from oasis_action.main import main
from oasis_action.ml.store import ModelStore
from oasis_action.ml.training import split


def sklearn_sets() -> dict[str, tuple[pd.DataFrame, str]]:
    found = {}
    for name, loader in (
        ("iris", datasets.load_iris),
        ("wine", datasets.load_wine),
        ("breast_cancer", datasets.load_breast_cancer),
        ("diabetes", datasets.load_diabetes),
        ("digits", datasets.load_digits),
    ):
        frame = loader(as_frame=True).frame
        found[f"sklearn {name}"] = (frame, "target")
    return found


def package_sets() -> dict[str, tuple[pd.DataFrame, str]]:
    found: dict[str, tuple[pd.DataFrame, str]] = {}
    try:
        import palmerpenguins

        found["palmerpenguins species"] = (palmerpenguins.load_penguins(), "species")
        found["palmerpenguins body mass"] = (palmerpenguins.load_penguins(), "body_mass_g")
    except ImportError:
        print("note: palmerpenguins is not installed; skipped")
    try:
        from vega_datasets import local_data

        found["vega seattle-weather"] = (local_data.seattle_weather(), "weather")
        cars = local_data.cars().drop(columns=["Name"])
        found["vega cars origin"] = (cars, "Origin")
        found["vega cars mpg"] = (cars.drop(columns=["Origin"]), "Miles_per_Gallon")
        found["vega iris"] = (local_data.iris(), "species")
    except ImportError:
        print("note: vega_datasets is not installed; skipped")
    return found


def oasis(workspace: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(workspace)
    try:
        code = main(list(argv), {}, out, err)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def default_lightgbm(workspace: Path, csv: Path, seed: int) -> tuple[float, float]:
    """Default LGBM* on OASIS's train + validation rows, scored on OASIS's holdout."""
    model = ModelStore(workspace / "models").load().model()
    schema = model.schema_
    frame = pd.read_csv(csv, dtype=schema.read_dtypes(list(pd.read_csv(csv, nrows=0).columns)))
    frame = frame[frame[schema.target].notna()]
    x, y = schema.transform(frame), schema.encode_labels(frame[schema.target])
    parts = split(x, y, schema.task, seed)
    train_x = pd.concat([parts.train[0], parts.valid[0]])
    train_y = np.concatenate([parts.train[1], parts.valid[1]])
    kind = lgb.LGBMRegressor if schema.task == "regression" else lgb.LGBMClassifier
    estimator = kind(random_state=seed, verbose=-1).fit(train_x, train_y)
    hold_x, hold_y = parts.holdout
    if schema.task == "regression":
        predicted = estimator.predict(hold_x)
        return float(np.sqrt(skm.mean_squared_error(hold_y, predicted))), float("nan")
    proba = estimator.predict_proba(hold_x)
    labels = list(range(len(schema.classes)))
    primary = (
        skm.roc_auc_score(hold_y, proba[:, 1])
        if schema.task == "binary"
        else skm.accuracy_score(hold_y, proba.argmax(axis=1))
    )
    return float(primary), float(skm.log_loss(hold_y, proba, labels=labels))


def spread(values: list[float]) -> str:
    if any(np.isnan(values)):
        return "-"
    deviation = statistics.pstdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {deviation:.4f}"


def evaluate_set(name: str, frame: pd.DataFrame, target: str, seeds: int) -> str:
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    task = primary = "?"
    for seed in range(seeds):
        with tempfile.TemporaryDirectory() as folder:
            workspace = Path(folder)
            csv = workspace / "data.csv"
            frame.to_csv(csv, index=False)
            code, _, err = oasis(
                workspace,
                "train",
                "--data",
                "data.csv",
                "--target",
                target,
                "--seed",
                str(42 + seed),
                "--no-plots",
            )
            if code != 0:
                return f"| {name} | exit {code}: {err.strip().splitlines()[-1]} | | | | |"
            metadata = ModelStore(workspace / "models").load().metadata
            task, primary = metadata["task"], metadata["primary_metric"]
            ours.append((metadata["metrics"][primary], metadata["metrics"].get("logloss", np.nan)))
            theirs.append(default_lightgbm(workspace, csv, 42 + seed))
    return (
        f"| {name} | {task} ({primary}) | {spread([o[0] for o in ours])} | "
        f"{spread([t[0] for t in theirs])} | {spread([o[1] for o in ours])} | "
        f"{spread([t[1] for t in theirs])} |"
    )


def crafted_shapes() -> dict[str, tuple[str, Callable[[Path], list[str]]]]:
    """The trial's real-world CSV shapes: (description, writer returning the argv)."""

    def codes(folder: Path) -> list[str]:
        rows = "".join(f"{['1', '2', '3', 'X'][i % 4]},{i % 7},{i % 2}\n" for i in range(200))
        (folder / "d.csv").write_text("code,x,target\n" + rows)
        return ["train", "--data", "d.csv", "--no-plots"]

    def leak(folder: Path) -> list[str]:
        (folder / "d.csv").write_text("x,target\n" + "".join(f"{i},{i % 2}\n" for i in range(50)))
        return ["train", "--data", "d.csv", "--features", "x,target"]

    def three_as_binary(folder: Path) -> list[str]:
        rows = "".join(f"{i},{'abc'[i % 3]}\n" for i in range(60))
        (folder / "d.csv").write_text("x,target\n" + rows)
        return ["train", "--data", "d.csv", "--task", "binary"]

    def continuous_as_multiclass(folder: Path) -> list[str]:
        rows = "".join(f"{i % 13},{i * 0.37:.3f}\n" for i in range(712))
        (folder / "d.csv").write_text("x,target\n" + rows)
        return ["train", "--data", "d.csv", "--task", "multiclass"]

    def json_names(folder: Path) -> list[str]:
        rows = "".join(f"{i},{i % 5},{i % 3},{i % 2}\n" for i in range(100))
        (folder / "d.csv").write_text('Unnamed: 0,"a[1]","b""q:x",target\n' + rows)
        return ["train", "--data", "d.csv", "--no-plots"]

    def header_only(folder: Path) -> list[str]:
        (folder / "d.csv").write_text("x,target\n")
        return ["train", "--data", "d.csv"]

    return {
        "numeric-looking codes with an `X`": ("exit 0", codes),
        "target inside --features": ("exit 2", leak),
        "--task binary on 3 classes": ("exit 2", three_as_binary),
        "continuous target as --task multiclass": ("exit 2", continuous_as_multiclass),
        'feature names with `[`, `"`, `:` and `Unnamed: 0`': ("exit 0", json_names),
        "header-only CSV": ("exit 2", header_only),
    }


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(
        "| data set | task (primary) | OASIS primary | default LightGBM primary | OASIS log-loss | default log-loss |"
    )
    print("|---|---|---|---|---|---|")
    for name, (frame, target) in {**sklearn_sets(), **package_sets()}.items():
        print(evaluate_set(name, frame, target, args.seeds))
    print()
    print("| crafted shape | wanted | got | first line of stderr |")
    print("|---|---|---|---|")
    for name, (wanted, write) in crafted_shapes().items():
        with tempfile.TemporaryDirectory() as folder:
            code, _, err = oasis(Path(folder), *write(Path(folder)))
            line = (err.strip().splitlines() or [""])[-1 if code else 0][:110]
            print(f"| {name} | {wanted} | exit {code} | {line} |")


if __name__ == "__main__":
    main_()
