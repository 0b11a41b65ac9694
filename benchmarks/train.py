"""`oasis train` / `oasis predict` against bare LightGBM on the same data and parameters.

    python benchmarks/train.py [--rows 1000000] [--features 20] [--rounds 200]

Baselines are measured in the same run: `pandas.read_csv` + the same split + `lightgbm.train`
with OASIS's exact parameters, and `booster.predict` on the same rows. Also reports OASIS's
fixed cost on the bundled dataset (569 rows), where training itself is negligible.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from oasis_action.main import main
from oasis_action.ml.data import bundled_dataset
from oasis_action.ml.training import lightgbm_params, split


def synthetic(rows: int, features: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    logits = x[:, 0] * 1.5 - x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + rng.normal(scale=0.5, size=rows)
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(features)])
    frame["target"] = (logits > 0).astype(int)
    return frame


def oasis(workspace: Path, *argv: str) -> float:
    here = os.getcwd()
    os.chdir(workspace)
    start = time.perf_counter()
    try:
        code = main(list(argv), {}, io.StringIO(), io.StringIO())
    finally:
        os.chdir(here)
    assert code == 0, f"oasis {' '.join(argv)} exited {code}"
    return time.perf_counter() - start


def bare_train(csv: Path, rounds: int) -> tuple[float, lgb.Booster]:
    """What a hand-written script does: read, split the same way, lightgbm.train."""
    start = time.perf_counter()
    frame = pd.read_csv(csv)
    parts = split(frame.drop(columns=["target"]), frame["target"].to_numpy(), "binary", 42)
    params = lightgbm_params("binary", 0, 42, "cpu", {})
    train_set = lgb.Dataset(*parts.train)
    valid_set = lgb.Dataset(*parts.valid, reference=train_set)
    booster = lgb.train(
        params,
        train_set,
        rounds,
        valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    booster.predict(parts.holdout[0], num_iteration=booster.best_iteration)
    return time.perf_counter() - start, booster


BARE_PREDICT = """
import sys, pandas as pd, lightgbm as lgb
booster = lgb.Booster(model_file=sys.argv[2])
frame = pd.read_csv(sys.argv[1])
frame = frame.drop(columns=["target"])
pd.DataFrame({"probability": booster.predict(frame)}).to_csv(sys.argv[3], index=False)
"""
OASIS_PREDICT = """
import sys
from oasis_action.main import main
raise SystemExit(main(["predict", sys.argv[1], "-o", sys.argv[3]]))
"""


def measured(code: str, *argv: str, cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of `code` run in a fresh Python process."""
    import subprocess
    import sys

    report = (  # VmHWM: this process image's own peak (ru_maxrss would count the fork's)
        "\nimport atexit, re, sys\n"
        "atexit.register(lambda: print('peak', re.search(r'VmHWM:\\s+(\\d+)', "
        "open('/proc/self/status').read()).group(1), file=sys.stderr))\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", report + code, *argv], cwd=cwd, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    peak_kib = int(done.stderr.rsplit("peak ", 1)[1].split()[0])
    return seconds, peak_kib / 1024


def row(name: str, seconds: float, baseline: float) -> str:
    return f"{name:<52} {seconds:>9.2f}s {seconds / baseline:>7.2f}x"


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        csv = workspace / "big.csv"
        synthetic(args.rows, args.features).to_csv(csv, index=False)
        bare_seconds, _ = bare_train(csv, args.rounds)
        oasis_seconds = oasis(
            workspace,
            "train",
            "--data",
            "big.csv",
            "--num-boost-round",
            str(args.rounds),
            "--device",
            "cpu",
        )
        model_file = workspace / "models" / "model.txt"
        oasis_pred, oasis_mib = measured(
            OASIS_PREDICT, "big.csv", str(model_file), "out.csv", cwd=workspace
        )
        bare_pred, bare_mib = measured(
            BARE_PREDICT, "big.csv", str(model_file), "bare.csv", cwd=workspace
        )
        small = workspace / "small"
        small.mkdir()
        bare_small, _ = bare_train(bundled_dataset(), 1000)
        oasis_small = oasis(small, "train", "--device", "cpu")
    print(f"{'case':<52} {'wall':>10} {'ratio':>8}")
    print(
        row(
            f"bare lightgbm.train, {args.rows:,} rows x {args.features}", bare_seconds, bare_seconds
        )
    )
    print(
        row("oasis train (same data, params, split)", oasis_seconds, bare_seconds)
        + "   target <= 1.10x"
    )
    print(row(f"bare read_csv + booster.predict, {args.rows:,} rows", bare_pred, bare_pred))
    print(
        row("oasis predict (schema-read, chunked, CSV out)", oasis_pred, bare_pred)
        + "   target <= 1.20x"
    )
    print(
        f"peak resident memory: bare {bare_mib:.0f} MiB (the whole file at once), "
        f"oasis predict {oasis_mib:.0f} MiB (chunks of 200,000 rows)"
    )
    print(row("bare lightgbm.train, bundled data (569 rows)", bare_small, bare_small))
    print(
        row("oasis train, bundled data", oasis_small, bare_small)
        + f"   fixed cost {oasis_small - bare_small:+.2f}s"
    )


if __name__ == "__main__":
    main_()
