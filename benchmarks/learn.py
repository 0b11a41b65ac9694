"""The API cost of `oasis learn`, counted by the local GitHub over real HTTP.

    python benchmarks/learn.py [--runs 200] [--failed-share 0.2] [--artifact-runs 30]

A history of `--runs` default-branch runs (a share of them failed once and were rerun, each
with one failed job and a log), the newest `--artifact-runs` with a JUnit artifact. Printed:
requests for the first read (empty state), per run read, and for a second read with nothing
new (the state branch says where the last read stopped), against the baseline of reading the
same history naively (every run's jobs, every failed job's log, every run's artifacts).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oasis_action.main import main  # noqa: E402
from tests.support.github.server import LocalGitHub  # noqa: E402

RESET = "curl: (56) Recv failure: Connection reset by peer\n"


def junit() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "junit.xml",
            "<testsuite><testcase classname='tests.test_a' name='test_one' time='0.2'/></testsuite>",
        )
    return buffer.getvalue()


def history(server: LocalGitHub, runs: int, failed_share: float, artifact_runs: int) -> int:
    every = max(1, round(1 / failed_share)) if failed_share > 0 else runs + 1
    failed = 0
    for n in range(runs):
        run_id = 1000 + n
        earlier = ([("build", "failure", RESET)],) if n % every == 0 else ()
        failed += bool(earlier)
        server.state.add_run(run_id, f"{n:040x}", [("build", "success", "ok\n")], earlier=earlier)
        if n >= runs - artifact_runs:
            server.state.add_artifact(run_id, "junit-results", junit())
    return failed


def learn(server: LocalGitHub, runs: int, artifact_runs: int) -> int:
    before = len(server.requests)
    env = {
        "GITHUB_API_URL": server.url,
        "GITHUB_TOKEN": server.token,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
    }
    with tempfile.TemporaryDirectory() as folder:
        here = os.getcwd()
        os.chdir(folder)
        try:
            argv = ["learn", "--runs", str(runs), "--test-runs", str(artifact_runs)]
            code = main([*argv, "--max-api-calls", "100000"], env, io.StringIO(), io.StringIO())
        finally:
            os.chdir(here)
    assert code == 0, f"oasis learn exited {code}"
    return len(server.requests) - before


def naive_cost(runs: int, failed: int) -> int:
    """Pages of runs, then per run its jobs and artifacts, per failed job its log (+redirect)."""
    return -(-runs // 100) + runs * 2 + failed * 2


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--failed-share", type=float, default=0.2)
    parser.add_argument("--artifact-runs", type=int, default=30)
    args = parser.parse_args()
    server = LocalGitHub().start()
    server.validate = False
    try:
        failed = history(server, args.runs, args.failed_share, args.artifact_runs)
        first = learn(server, args.runs, args.artifact_runs)
        second = learn(server, args.runs, args.artifact_runs)
    finally:
        server.stop()
    naive = naive_cost(args.runs, failed)
    print(
        f"history: {args.runs} runs, {failed} failed once and rerun, {args.artifact_runs} with JUnit"
    )
    print(f"{'case':<46} {'requests':>9} {'per run':>8} {'ratio':>7}")
    print(
        f"{'naive read of the same history (baseline)':<46} {naive:>9} {naive / args.runs:>8.2f} {1:>7.2f}x"
    )
    print(
        f"{'oasis learn, first read (empty state)':<46} {first:>9} {first / args.runs:>8.2f} {first / naive:>7.2f}x"
    )
    print(
        f"{'oasis learn, second read (nothing new)':<46} {second:>9} {'-':>8} {second / naive:>7.2f}x"
    )


if __name__ == "__main__":
    main_()
