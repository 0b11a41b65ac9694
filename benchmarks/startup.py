"""Start-up cost of a non-ML action: CPU and wall time to the first line of output.

    python benchmarks/startup.py [--runs N]

Baseline, measured in the same run: a bare `python -c "print(1)"`. Prints a table with ratios,
then the top import-time offenders of `python -X importtime -m oasis_action doctor --help`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {
    "python -c print (baseline)": [sys.executable, "-c", "print(1)"],
    "oasis --help": [sys.executable, "-m", "oasis_action", "--help"],
    "oasis doctor --help": [sys.executable, "-m", "oasis_action", "doctor", "--help"],
    "oasis doctor (syntax+yaml, tiny repo)": [
        sys.executable,
        "-m",
        "oasis_action",
        "doctor",
        "--checks",
        "python-syntax,yaml",
    ],
}
HEAVY = ("pandas", "lightgbm", "sklearn", "numpy", "scipy", "github")


def measure(command: list[str], cwd: str) -> tuple[float, float]:
    """(wall seconds to the first output line, CPU seconds of the whole child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    process.stdout.readline()
    first_line = time.perf_counter() - start
    process.stdout.read()
    process.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return first_line, cpu


def import_offenders(top: int = 8) -> list[tuple[int, str]]:
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oasis_action", "doctor", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in probe.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as repo:
        with open(os.path.join(repo, "a.py"), "w") as handle:
            handle.write("x = 1\n")
        results = {name: [measure(cmd, repo) for _ in range(runs)] for name, cmd in CASES.items()}
    base_wall = statistics.median(w for w, _ in results["python -c print (baseline)"])
    base_cpu = statistics.median(c for _, c in results["python -c print (baseline)"])
    print(f"{'case':<40} {'wall to 1st line':>17} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    for name, samples in results.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(
            f"{name:<40} {wall:>16.3f}s {wall / base_wall:>5.1f}x {cpu:>7.3f} {cpu / base_cpu:>5.1f}x"
        )
    print(f"\nmedian of {runs} runs; target: < 0.25 s CPU for a non-ML command")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, oasis_action.main, oasis_action.commands.doctor; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"heavy modules loaded by the entrypoint + doctor: {loaded}")
    print("\ntop imports by cumulative time (python -X importtime ... doctor --help):")
    for cumulative, name in import_offenders():
        print(f"  {cumulative / 1000:>8.1f} ms  {name}")


if __name__ == "__main__":
    main()
