"""Triage throughput (batch) and single-log latency including start-up.

    python benchmarks/triage.py [--logs 2000]

Batch: `oasis triage *.log --json` as one process over N files of 64 KiB (corpus logs padded
in front with real-looking build output), rules + model, start-up included. Baseline measured in
the same run: the rule layer alone, in-process, on one core, on the same files.
Latency: `oasis triage LOG --json` as a fresh process, wall time, median of 5 (model load and
interpreter start included); baseline `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oasis_action.triage import rules  # noqa: E402
from oasis_action.triage.training import shipped_corpus  # noqa: E402

PADDING = "".join(
    f"Collecting package-{i}==1.{i}.0\n  Downloading package_{i}-1.{i}.0-py3-none-any.whl (12 kB)\n"
    for i in range(2000)
)


def make_logs(count: int) -> list[str]:
    corpus = shipped_corpus()
    rng = random.Random(1)  # noqa: S311
    logs = []
    for _ in range(count):
        text = rng.choice(corpus).text
        logs.append(PADDING[: 64 * 1024 - len(text)] + text)
    return logs


def wall(command: list[str], runs: int = 5, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logs", type=int, default=2000)
    args = parser.parse_args()
    logs = make_logs(args.logs)
    size = sum(len(log) for log in logs) / len(logs) / 1024
    by_model = sum(1 for log in logs if rules.classify(log).category == "unknown")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        names = []
        for i, log in enumerate(logs):
            (folder / f"job{i:05d}.log").write_text(log)
            names.append(f"job{i:05d}.log")
        start = time.perf_counter()
        for name in names:
            rules.classify((folder / name).read_text())
        rules_only = time.perf_counter() - start
        command = [sys.executable, "-m", "oasis_action", "triage", *names, "--json"]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)
        full = time.perf_counter() - start
        assert len(done.stdout.splitlines()) == len(logs)
        model_log = next(log for log in logs if rules.classify(log).category == "unknown")
        (folder / "model.log").write_text(model_log)
        baseline = wall([sys.executable, "-c", "pass"])
        single = wall(
            [sys.executable, "-m", "oasis_action", "triage", "model.log", "--json"], cwd=folder
        )
    print(f"{len(logs)} logs of {size:.0f} KiB; {by_model} needed the model; {os.cpu_count()} CPUs")
    print("| case | time | rate / ratio |\n|---|---|---|")
    print(
        f"| rule layer alone, in-process, one core (baseline) | {rules_only:.2f} s | {len(logs) / rules_only:,.0f} logs/s |"
    )
    print(
        f"| `oasis triage *.log --json` (start-up, rules + model, JSON out) | {full:.2f} s | {len(logs) / full:,.0f} logs/s (target >= 1,000), {full / rules_only:.2f}x of baseline |"
    )
    print(f"| `python -c pass` (baseline) | {baseline:.3f} s | 1.00x |")
    print(
        f"| `oasis triage LOG --json`, one log the model decides | {single:.3f} s | {single / baseline:.1f}x (target <= 0.5 s) |"
    )


if __name__ == "__main__":
    main()
