"""Triage throughput on real and synthetic logs, and the crafted worst case.

    python benchmarks/triage.py [--real ../shared/data/triage-real] [--logs 2000]

1. Real CI logs (../shared/data/triage-real, 398 Travis logs with ANSI colours, `\\r` redraws and
   long lines): `oasis triage --json` over the whole folder as **one process, start-up
   included**, against the baseline measured in the same run: the rule layer alone, in-process
   (steps -> evidence -> judge, no start-up, no model, no JSON).
2. Synthetic logs: N corpus logs padded in front to 64 KiB with real-looking build output, the
   same two measurements.
3. Worst case: a 512 KiB single-line log (and one made of 64 KiB lines of trigger words) as one
   fresh `oasis triage` process, against `python -c pass`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oasis_action.triage import rules  # noqa: E402
from oasis_action.triage.steps import read_tail  # noqa: E402
from oasis_action.triage.training import shipped_corpus  # noqa: E402

PADDING = "".join(
    f"Collecting package-{i}==1.{i}.0\n  Downloading package_{i}-1.{i}.0-py3-none-any.whl (12 kB)\n"
    for i in range(2000)
)


def synthetic_logs(count: int, folder: Path) -> list[Path]:
    corpus = shipped_corpus()
    rng = random.Random(1)  # noqa: S311
    paths = []
    for i in range(count):
        text = rng.choice(corpus).text
        path = folder / f"job{i:05d}.log"
        path.write_text(PADDING[: 64 * 1024 - len(text)] + text)
        paths.append(path)
    return paths


def wall(command: list[str], cwd: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(name: str, paths: list[Path], scratch: Path) -> None:
    start = time.perf_counter()
    for path in paths:
        rules.classify(read_tail(path))
    rules_only = time.perf_counter() - start
    command = [sys.executable, "-m", "oasis_action", "triage", "--json", *map(str, paths)]
    full = wall(command, scratch)
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    print(
        f"| {name}: rule layer alone, in-process (baseline) | {len(paths)} logs, {size:.0f} KiB avg | {rules_only:.2f} s | {len(paths) / rules_only:,.0f} logs/s | 1.00x |"
    )
    print(
        f"| {name}: `oasis triage --json`, one process, start-up included | | {full:.2f} s | {len(paths) / full:,.0f} logs/s | {full / rules_only:.2f}x |"
    )


def worst_case(scratch: Path) -> None:
    baseline = wall([sys.executable, "-c", "pass"], scratch)
    print(f"| `python -c pass` (baseline) | | {baseline:.3f} s | | 1.00x |")
    cases = {
        "512 KiB single line": "SSL: " + "x" * (512 * 1024) + "\n",
        "8 lines of 64 KiB trigger words": ("FAILED Tests run: error[E Connection " * 1800 + "\n")
        * 8,
    }
    for name, text in cases.items():
        (scratch / "hostile.log").write_text(text)
        took = wall(
            [sys.executable, "-m", "oasis_action", "triage", "--json", "hostile.log"], scratch
        )
        print(
            f"| `oasis triage` on {name} (target < 1 s) | | {took:.3f} s | | {took / baseline:.1f}x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--real", type=Path, default=ROOT.parent / "shared" / "data" / "triage-real"
    )
    parser.add_argument("--logs", type=int, default=2000)
    args = parser.parse_args()
    print("| case | logs | time | rate | ratio |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        real = sorted((args.real / "logs").glob("*.log"))
        if real:
            throughput("real logs", real, scratch)
        throughput("synthetic logs", synthetic_logs(args.logs, scratch), scratch)
        worst_case(scratch)


if __name__ == "__main__":
    main()
