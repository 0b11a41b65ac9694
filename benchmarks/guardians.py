"""API requests and start-up cost of the CI guardians, against the local GitHub over real HTTP.

    python benchmarks/guardians.py

- auto-merge on one approved, green PR: the requests to decide (pull, reviews, combined status,
  check suites, check runs, head commit, one reviewer's permission) and merge, then the branch
  deletion with its checks (default? protected? the base of other PRs?). Baseline measured in the same run: a naive PyGithub script (repo, PR, reviews, commit,
  status, check runs, merge). Mergify reports ~10-15 requests per event (not measured here).
- auto-close sweep of 100 open PRs: requests per PR.
- CPU seconds of `python -m oasis_action auto-merge` stopped by a budget of 1 request, i.e. the
  cost of getting to the first request (baseline: `python -c pass`).
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from github import Auth, Github  # noqa: E402

from oasis_action.main import main  # noqa: E402
from tests.support.github.server import LocalGitHub  # noqa: E402

SHA = "c" * 40


def green(server: LocalGitHub) -> None:
    server.state.add_pull(1, SHA)
    server.state.add_review(1, "alice", "APPROVED")
    server.state.add_status(SHA, "ci/lint", "success")
    server.state.add_check_run(SHA, "tests")


def env(server: LocalGitHub) -> dict[str, str]:
    return {
        "GITHUB_TOKEN": server.token,
        "GITHUB_API_URL": server.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
    }


def naive_merge(server: LocalGitHub) -> int:
    repo = Github(auth=Auth.Token(server.token), base_url=server.url, retry=0).get_repo(
        "octo-org/octo-repo"
    )
    pull = repo.get_pull(1)
    approved = any(r.state == "APPROVED" for r in pull.get_reviews())
    commit = repo.get_commit(pull.head.sha)
    green_ = commit.get_combined_status().state == "success" and all(
        r.conclusion == "success" for r in commit.get_check_runs()
    )
    if approved and green_:
        pull.merge(merge_method="squash", sha=pull.head.sha)
    return len(server.requests)


def oasis_merge(server: LocalGitHub) -> tuple[int, int]:
    """(requests to decide and merge, requests in all with the branch deletion and its checks)."""
    code = main(["auto-merge", "--pull-number", "1"], env(server), io.StringIO(), io.StringIO())
    assert code == 0 and server.state.pulls[1]["merged"]
    merge = next(i for i, r in enumerate(server.requests) if r.method == "PUT")
    return merge + 1, len(server.requests)


def sweep(server: LocalGitHub) -> float:
    for number in range(1, 101):
        server.state.add_pull(number, f"{number:040x}")
    code = main(["auto-close"], env(server), io.StringIO(), io.StringIO())
    assert code == 0
    return len(server.requests) / 100


def cpu_seconds(command: list[str], extra_env: dict[str, str], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, env={**os.environ, **extra_env}, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return sorted(samples)[len(samples) // 2]


def measure(scenario, action) -> float:  # type: ignore[no-untyped-def]
    server = LocalGitHub().start()
    try:
        scenario(server)
        return action(server)
    finally:
        server.stop()


def main_() -> None:
    naive = measure(green, naive_merge)
    ours = measure(green, oasis_merge)
    per_pull = measure(lambda s: None, sweep)
    server = LocalGitHub().start()
    green(server)
    first = cpu_seconds(
        [
            sys.executable,
            "-m",
            "oasis_action",
            "auto-merge",
            "--pull-number",
            "1",
            "--max-api-calls",
            "1",
        ],
        env(server),
    )
    server.stop()
    base = cpu_seconds([sys.executable, "-c", "pass"], {})
    print(f"{'case':<58} {'value':>8} {'ratio':>7}")
    print(f"{'naive PyGithub script: requests to decide + merge':<58} {naive:>8.0f} {1:>6.2f}x")
    print(
        f"{'oasis auto-merge: requests to decide (7 reads) + merge':<58} {ours[0]:>8.0f} {ours[0] / naive:>6.2f}x   target <= 8"
    )
    print(
        f"{'  ... + keep-or-delete the head branch (3 reads, DELETE)':<58} {ours[1]:>8.0f} {ours[1] / naive:>6.2f}x"
    )
    print(
        f"{'oasis auto-close: requests per PR, sweep of 100 open PRs':<58} {per_pull:>8.2f} {'':>7}   target <= 1.2"
    )
    print(f"{'python -c pass: CPU s (baseline)':<58} {base:>8.3f} {1:>6.2f}x")
    print(
        f"{'oasis auto-merge to its first request: CPU s':<58} {first:>8.3f} {first / base:>6.2f}x   target < 0.25"
    )


if __name__ == "__main__":
    main_()
