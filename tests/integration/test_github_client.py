"""The GitHub client against the local GitHub, with injected faults."""

from __future__ import annotations

import pytest

from oasis_action.errors import BudgetExhausted
from oasis_action.github.client import GitHubError, HeadMoved, Settings, connect
from oasis_action.github.transport import Policy, RateLimited
from tests.support.github.server import Fault, LocalGitHub

SHA = "a" * 40


class Clock:
    """Records the waits instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def settings(gh: LocalGitHub, **extra: object) -> Settings:
    return Settings(api_url=gh.url, token=gh.token, repository="octo-org/octo-repo", **extra)  # type: ignore[arg-type]


def green_pull(gh: LocalGitHub, number: int = 1, sha: str = SHA) -> None:
    gh.state.add_pull(number, sha)
    gh.state.add_review(number, "alice", "APPROVED")
    gh.state.add_status(sha, "ci/lint", "success")
    gh.state.add_check_run(sha, "tests")


def test_merge_state_in_at_most_seven_requests(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with connect(settings(local_github), print) as (port, budget):
        state = port.pull_request_state(1)
    assert state.head_sha == SHA and not state.draft and state.mergeable is True
    assert [r.user for r in state.reviews] == ["alice"]
    assert {(c.name, c.kind, c.conclusion) for c in state.checks} == {
        ("ci/lint", "status", "success"),
        ("tests", "check_run", "success"),
    }
    assert budget.used == len(local_github.requests) <= 7, "a safe merge stays <= 8 with the PUT"


def test_502_burst_on_reads_is_ridden_out(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    local_github.inject(Fault("GET", r".*/pulls/1", status=502, times=3))
    clock = Clock()
    with connect(settings(local_github), print, Policy(sleep=clock, jitter=lambda: 1.0)) as (
        port,
        _,
    ):
        assert port.pull_request_state(1).number == 1
    assert clock.waits == [1.0, 2.0, 4.0]
    assert [r.status for r in local_github.requests[:4]] == [502, 502, 502, 200]


def test_secondary_rate_limit_is_waited_out_per_retry_after(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    local_github.inject(
        Fault(
            "GET",
            r".*/pulls/1/reviews",
            status=403,
            headers={"retry-after": "7"},
            body={"message": "You have exceeded a secondary rate limit"},
        )
    )
    clock = Clock()
    with connect(settings(local_github), print, Policy(sleep=clock)) as (port, _):
        port.pull_request_state(1)
    assert clock.waits == [7.0]


def test_rate_limit_longer_than_allowed_stops(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    local_github.inject(Fault("GET", r".*/pulls/1", status=429, headers={"retry-after": "3600"}))
    with (
        connect(settings(local_github), print, Policy(sleep=Clock())) as (port, _),
        pytest.raises(RateLimited, match="3600s"),
    ):
        port.pull_request_state(1)


def test_budget_stops_at_exactly_n(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with (
        connect(settings(local_github, max_api_calls=2), print) as (port, budget),
        pytest.raises(BudgetExhausted, match="budget of 2"),
    ):
        port.pull_request_state(1)
    assert budget.used == 2
    assert len(local_github.requests) == 2


def test_writes_are_not_retried_on_5xx(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    local_github.inject(Fault("PUT", r".*/merge", status=502, times=5))
    with (
        connect(settings(local_github), print, Policy(sleep=Clock())) as (port, _),
        pytest.raises(GitHubError, match="502"),
    ):
        port.merge(1, SHA, "squash")
    assert len(local_github.writes()) == 1


def test_dry_run_makes_no_mutating_request(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    lines: list[str] = []
    with connect(settings(local_github, dry_run=True), lines.append) as (port, _):
        state = port.pull_request_state(1)
        result = port.merge(1, state.head_sha, "squash")
        port.create_comment(1, "hello")
        port.add_labels(1, ["x"])
        port.close_pull(1)
    assert local_github.writes() == []
    assert result.merged is False
    assert lines[0].startswith("dry-run: would merge(1, 'aaaa")
    assert len(lines) == 4


def test_merge_with_sha_guard(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with connect(settings(local_github), print) as (port, _):
        with pytest.raises(HeadMoved, match="moved past bbbbbbb"):
            port.merge(1, "b" * 40, "squash")
        result = port.merge(1, SHA, "squash")
    assert result.merged is True
    assert local_github.state.pulls[1]["merged"] is True


def test_bad_token_is_a_clear_error(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    wrong = Settings(api_url=local_github.url, token="ghs_wrong", repository="octo-org/octo-repo")
    with (
        connect(wrong, print) as (port, _),
        pytest.raises(GitHubError, match="401: Bad credentials") as caught,
    ):
        port.pull_request_state(1)
    assert "ghs_wrong" not in str(caught.value)


def test_repeated_reads_use_etags(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with connect(settings(local_github), print) as (port, _):
        first = port.pull_request_state(1)
        second = port.pull_request_state(1)
    assert first == second
    assert [r.status for r in local_github.requests].count(304) >= 3
    assert local_github.rate_remaining == 5000 - 7


def test_pagination_reads_every_open_pull(local_github: LocalGitHub) -> None:
    for number in range(1, 151):
        local_github.state.add_pull(number, f"{number:040x}")
    local_github.state.pulls[7]["state"] = "closed"
    with connect(settings(local_github), print) as (port, budget):
        numbers = port.open_pull_numbers()
    assert len(numbers) == 149 and 7 not in numbers
    assert budget.used == 2


def test_comments_create_and_edit(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with connect(settings(local_github), print) as (port, _):
        port.create_comment(1, "<!-- oasis:ci-retry -->\nfirst")
        (comment,) = port.comments(1)
        port.edit_comment(1, comment.id, "<!-- oasis:ci-retry -->\nsecond")
        port.add_labels(1, ["oasis:closed-failing"])
        port.close_pull(1)
        assert [c.body for c in port.comments(1)] == ["<!-- oasis:ci-retry -->\nsecond"]
    assert local_github.state.pulls[1]["state"] == "closed"
    assert local_github.state.pulls[1]["labels"][0]["name"] == "oasis:closed-failing"


def test_missing_token_or_repo_is_bad_input(local_github: LocalGitHub) -> None:
    from oasis_action.errors import InputError

    with (
        pytest.raises(InputError, match="no GitHub token"),
        connect(Settings(local_github.url, "", "o/r"), print),
    ):
        pass
    with (
        pytest.raises(InputError, match="owner/name"),
        connect(Settings(local_github.url, "t", "norepo"), print),
    ):
        pass


def test_openapi_validation_catches_a_wrong_body() -> None:
    server = LocalGitHub().start()
    try:
        green_pull(server)
        server.state.pulls[1]["number"] = "one"
        del server.state.pulls[1]["head"]
        with connect(settings(server), print) as (port, _), pytest.raises(Exception):
            port.pull_request_state(1)
        assert any(
            "pulls/{pull_number} 200: number: 'one' is not of type 'integer'" in e
            for e in server.schema_errors
        )
        assert any("'head' is a required property" in e for e in server.schema_errors)
    finally:
        server.stop()


def test_runs_jobs_logs_and_rerun(local_github: LocalGitHub) -> None:
    local_github.state.add_run(
        77,
        SHA,
        [
            (
                "build",
                "failure",
                "2026-01-01T00:00:00Z curl: (56) Recv failure: Connection reset by peer\n",
            ),
            ("lint", "success", "ok"),
        ],
        pulls=(3,),
    )
    with connect(settings(local_github), print) as (port, budget):
        run = port.workflow_run(77)
        assert (run.attempt, run.conclusion, run.pull_numbers) == (1, "failure", (3,))
        assert [job.name for job in run.failed_jobs] == ["build"]
        log = port.job_log(run.failed_jobs[0].id)
        assert "Connection reset by peer" in log
        assert port.rerun_failed_jobs(77) is True
        assert port.rerun_failed_jobs(77) is False, "GitHub refuses a rerun while the run is queued"
        assert port.workflow_run(77).attempt == 2
    logs = [r for r in local_github.requests if r.path.startswith("/_logs/")]
    assert len(logs) == 1
    assert budget.used == len(local_github.requests)


def test_every_port_method_is_a_known_read_or_intercepted(local_github: LocalGitHub) -> None:
    import inspect

    from oasis_action.github.client import READS, DryRunPort
    from oasis_action.github.port import FullPort, GitDataPort, GitHubPort

    methods = {
        name
        for protocol in (GitHubPort, GitDataPort)
        for name, _ in inspect.getmembers(protocol, inspect.isfunction)
        if not name.startswith("_")
    }
    assert methods >= READS
    lines: list[str] = []
    with connect(settings(local_github, dry_run=True), lines.append) as (port, _):
        assert isinstance(port, DryRunPort)
        for name in sorted(methods - READS):
            arity = len(inspect.signature(getattr(FullPort, name)).parameters) - 1
            getattr(port, name)(*range(1, arity + 1))
    assert len(lines) == len(methods - READS)
    assert local_github.requests == []


def test_transport_refuses_writes_in_dry_run(local_github: LocalGitHub) -> None:
    from github import Requester

    from oasis_action.errors import OasisError
    from oasis_action.github.client import PyGithubPort
    from oasis_action.github.transport import Budget, Transport, connection_classes

    transport = Transport(Budget(10), read_only=True)
    Requester.Requester.injectConnectionClasses(*connection_classes(transport))
    try:
        raw = PyGithubPort(settings(local_github), transport)
        local_github.state.add_pull(1, SHA)
        with pytest.raises(OasisError, match="dry run: refusing to send PATCH"):
            raw.close_pull(1)
    finally:
        Requester.Requester.resetConnectionClasses()
    assert local_github.writes() == []


def test_writes_are_paced_under_the_content_creation_limit(local_github: LocalGitHub) -> None:
    from github import Requester

    from oasis_action.github.client import PyGithubPort
    from oasis_action.github.transport import Budget, Transport, connection_classes

    waits: list[float] = []
    now = [1000.0]
    transport = Transport(
        Budget(100), Policy(sleep=waits.append), writes_per_minute=3, clock=lambda: now[0]
    )
    Requester.Requester.injectConnectionClasses(*connection_classes(transport))
    try:
        port = PyGithubPort(settings(local_github), transport)
        local_github.state.add_pull(1, SHA)
        for second in (0, 10, 20, 30):
            now[0] = 1000.0 + second
            port.create_comment(1, f"comment at {second}")
    finally:
        Requester.Requester.resetConnectionClasses()
    assert waits == [30.0], "the fourth write waits until the first is a minute old"
    assert len(local_github.state.comments[1]) == 4


def test_every_body_sent_is_redacted_of_the_token_and_secrets(local_github: LocalGitHub) -> None:
    """A finding quoting /proc/self/environ, a log excerpt echoing a secret: never published."""
    green_pull(local_github)
    secret = 'p@ss"w\\rd-42'
    with connect(settings(local_github, secrets=(secret,)), print) as (port, _):
        port.create_comment(1, f"env: INPUT_GITHUB-TOKEN={local_github.token} SMTP={secret}")
        (comment,) = port.comments(1)
        port.create_issue("health", f"token {local_github.token}", ["oasis:health"])
    assert local_github.token not in comment.body and secret not in comment.body
    assert comment.body == "env: INPUT_GITHUB-TOKEN=*** SMTP=***"
    (issue,) = local_github.state.issues.values()
    assert issue["body"] == "token ***"


def test_bodies_are_capped_at_githubs_limit_with_a_note(local_github: LocalGitHub) -> None:
    green_pull(local_github)
    with connect(settings(local_github), print) as (port, _):
        port.create_comment(1, "x" * 70000)
        (comment,) = port.comments(1)
    assert len(comment.body) == 65536 and comment.body.endswith("character limit.)*")


def test_a_huge_job_log_is_streamed_keeping_only_its_tail(local_github: LocalGitHub) -> None:
    import tracemalloc

    log = "noise line\n" * 3_000_000 + "the end: Connection reset by peer\n"
    local_github.state.add_run(90, SHA, [("build", "failure", log)])
    with connect(settings(local_github), print) as (port, _):
        job = port.workflow_run(90).failed_jobs[0]
        local_github.state.logs[job.id] = log.encode()  # served as is: the server allocates nothing
        tracemalloc.start()
        text = port.job_log(job.id)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert text.endswith("the end: Connection reset by peer\n") and len(text) <= 512 * 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for a {len(log)} byte log"
