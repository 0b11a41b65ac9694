"""API requests OASIS spends, counted by the local GitHub (the test server) over real HTTP.

    python benchmarks/github_requests.py

Baseline, measured in the same run: PyGithub used the obvious way (non-lazy `get_repo`,
`get_pull`, reviews, `get_commit`, combined status, check runs), which is what a hand-written
script does.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from github import Auth, Github  # noqa: E402

from oasis_action.github.client import Settings, connect  # noqa: E402
from tests.support.github.server import LocalGitHub  # noqa: E402

SHA = "c" * 40


def scenario() -> LocalGitHub:
    server = LocalGitHub().start()
    server.state.add_pull(1, SHA)
    server.state.add_review(1, "alice", "APPROVED")
    server.state.add_status(SHA, "ci/lint", "success")
    for name in ("tests", "build", "docs"):
        server.state.add_check_run(SHA, name)
    return server


def naive(server: LocalGitHub) -> int:
    github = Github(auth=Auth.Token(server.token), base_url=server.url, retry=0)
    repo = github.get_repo("octo-org/octo-repo")
    pull = repo.get_pull(1)
    list(pull.get_reviews())
    commit = repo.get_commit(pull.head.sha)
    commit.get_combined_status()
    list(commit.get_check_runs())
    assert server.schema_errors == [], server.schema_errors
    return len(server.requests)


def oasis(server: LocalGitHub, repeat: int = 1) -> int:
    settings = Settings(server.url, server.token, "octo-org/octo-repo")
    with connect(settings, lambda line: None) as (port, budget):
        for _ in range(repeat):
            port.pull_request_state(1)
    return budget.used


def main() -> None:
    rows = []
    for name, measure in (("naive PyGithub script", naive), ("oasis pull_request_state", oasis)):
        server = scenario()
        rows.append((name, measure(server)))
        server.stop()
    server = scenario()
    oasis(server, repeat=2)
    served_304 = sum(1 for r in server.requests if r.status == 304)
    server.stop()
    baseline = rows[0][1]
    print(f"{'read one PR full merge state':<34} {'requests':>9} {'ratio':>7}")
    for name, count in rows:
        print(f"{name:<34} {count:>9} {count / baseline:>6.2f}x")
    print(
        f"\ntarget <= 5 requests; a second read of the same PR: {served_304} of its requests answered 304 (free against the rate limit)"
    )


if __name__ == "__main__":
    main()
