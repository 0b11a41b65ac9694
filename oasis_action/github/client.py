"""The PyGithub implementation of the port, its dry-run wrapper, and how a command gets one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException
from github import Requester as requester_module

from oasis_action.errors import InputError
from oasis_action.github.failures import GitHubError, HeadMoved
from oasis_action.github.port import (
    Check,
    Comment,
    FailedRun,
    FullPort,
    Job,
    MergeResult,
    PullRequestState,
    PullSummary,
    Review,
    RunState,
)
from oasis_action.github.repo_data import PyGithubRepoData
from oasis_action.github.transport import Budget, Policy, Transport, connection_classes

SUCCESSFUL = frozenset({"success", "neutral", "skipped"})


def settings_for(context: Any, repo: str | None, max_api_calls: int, dry_run: bool) -> Settings:
    """Connection settings from the runner context (GITHUB_API_URL, token) and the options."""
    secrets = tuple(value for value in (context.token, *context.secrets.values()) if value)
    return Settings(
        context.api_url, context.token, repo or context.repository, max_api_calls, dry_run, secrets
    )


@dataclass(frozen=True)
class Settings:
    api_url: str
    token: str
    repository: str
    max_api_calls: int = 300
    dry_run: bool = False
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Redacted from every body sent (the token always is)."""


def _belongs(run: dict[str, Any], pull: PullSummary) -> bool:
    numbers = {p.get("number") for p in run.get("pull_requests") or ()}
    if numbers:
        return pull.number in numbers
    head = (run.get("head_repository") or {}).get("full_name", "")
    return bool(pull.head_ref) and (head, run.get("head_branch")) == (
        pull.head_repository,
        pull.head_ref,
    )


def _translate(error: GithubException) -> GitHubError:
    message = error.data.get("message") if isinstance(error.data, dict) else str(error.data)
    return GitHubError(f"GitHub answered {error.status}: {message}", error.status)


LOG_TAIL_BYTES = 512 * 1024
ENABLE_AUTO_MERGE = """
mutation($id: ID!, $sha: GitObjectID!, $method: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(
    input: {pullRequestId: $id, expectedHeadOid: $sha, mergeMethod: $method}
  ) { pullRequest { number autoMergeRequest { enabledAt mergeMethod } } }
}"""
ENQUEUE = """
mutation($id: ID!, $sha: GitObjectID!) {
  enqueuePullRequest(input: {pullRequestId: $id, expectedHeadOid: $sha}) {
    mergeQueueEntry { position state }
  }
}"""
MAX_PERMISSION_LOOKUPS = 5
"""At most this many approvers are checked for write permission (more are never needed)."""


def tail_of(response: requests.Response, limit: int) -> bytes:
    """The last `limit` bytes of a streamed body: memory stays at about twice `limit`, however
    long the log (a 300 MiB log of a pull request's making)."""
    kept = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=256 * 1024):
            kept += chunk
            if len(kept) > 2 * limit:
                del kept[: len(kept) - limit]
    finally:
        response.close()
    return bytes(kept[-limit:])


class PyGithubRuns:
    """Workflow runs, jobs and logs (a mixin of PyGithubPort)."""

    _repo: Any
    transport: Transport
    _errors: Any

    def workflow_run(self, run_id: int) -> RunState:
        with self._errors():
            run = self._repo.get_workflow_run(run_id)
            jobs = tuple(Job(j.id, j.name, j.status, j.conclusion) for j in run.jobs("latest"))
            return RunState(
                id=run.id,
                attempt=run.run_attempt,
                status=run.status,
                conclusion=run.conclusion,
                head_sha=run.head_sha,
                event=run.event,
                pull_numbers=tuple(sorted(p.number for p in run.pull_requests)),
                jobs=jobs,
            )

    def job_log(self, job_id: int) -> str:
        """The job's log text: GitHub answers 302 to a pre-signed URL, fetched without the token."""
        with self._errors():
            location = self._repo.get_workflow_job(job_id).logs_url()
        response = self.transport.send(requests.Session(), "GET", location, timeout=60, stream=True)
        if response.status_code != 200:
            raise GitHubError(
                f"job {job_id} log download answered {response.status_code}", response.status_code
            )
        return tail_of(response, LOG_TAIL_BYTES).decode("utf-8", errors="replace")

    def rerun_failed_jobs(self, run_id: int) -> bool:
        with self._errors():
            return bool(self._repo.get_workflow_run(run_id).rerun_failed_jobs())


class PyGithubPort(PyGithubRuns, PyGithubRepoData):
    """GitHubPort over PyGithub; every request goes through the counting transport."""

    def __init__(self, settings: Settings, transport: Transport) -> None:
        if "/" not in settings.repository:
            raise InputError(f"repository must be owner/name, got {settings.repository!r}")
        self.transport = transport
        self._token = settings.token
        self._api_url = settings.api_url.rstrip("/")
        self._release_objects: dict[int, Any] = {}
        self._github = Github(
            auth=Auth.Token(settings.token),
            base_url=settings.api_url.rstrip("/"),
            retry=0,
            per_page=100,
            lazy=True,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self._repo = self._github.get_repo(settings.repository)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except GithubException as error:
            raise _translate(error) from None

    def pull_request_state(self, number: int) -> PullRequestState:
        with self._errors():
            pull = self._repo.get_pull(number)
            sha = pull.head.sha
            reviews = tuple(
                Review(
                    r.user.login if r.user else "",
                    r.state,
                    r.commit_id or "",
                    str(r.submitted_at),
                    str(r.raw_data.get("author_association") or ""),
                )
                for r in pull.get_reviews()
            )
            commit = self._repo.get_commit(sha)
            checks = self._statuses(commit) + self._suites_waiting(sha)
            checks += tuple(
                Check(r.name, "check_run", r.status, r.conclusion) for r in commit.get_check_runs()
            )
            author = pull.user.login if pull.user else ""
            pushers = tuple(
                sorted({p.login for p in (commit.author, commit.committer) if p is not None})
            )
            head_repo = pull.head.repo.full_name if pull.head.repo else ""
            return PullRequestState(
                number=pull.number,
                head_sha=sha,
                head_ref=pull.head.ref,
                base_ref=pull.base.ref,
                draft=bool(pull.draft),
                state=pull.state,
                merged=bool(pull.merged),
                mergeable=pull.mergeable,
                mergeable_state=pull.mergeable_state or "unknown",
                from_fork=head_repo != self._repo.full_name,
                author=pull.user.login if pull.user else "",
                labels=tuple(label.name for label in pull.labels),
                reviews=reviews,
                checks=checks,
                write_access=self._writers(reviews, sha, author),
                node_id=str(pull.raw_data.get("node_id") or ""),
                pushers=pushers,
            )

    def _statuses(self, commit: Any) -> tuple[Check, ...]:
        """The latest status of every context (all pages), and the combined state as one more
        check, so a failing status past the first page still blocks."""
        combined = commit.get_combined_status()
        statuses = [(s.context, s.state) for s in combined.statuses]
        if combined.total_count > len(statuses):
            statuses = self._all_statuses(commit.sha)
        latest: dict[str, str] = {}
        for context, state in statuses:
            latest.setdefault(context, state)
        checks = tuple(
            Check(context, "status", "completed" if state != "pending" else "pending", state)
            for context, state in latest.items()
        )
        if statuses and combined.state in ("failure", "error", "pending"):
            done = "pending" if combined.state == "pending" else "completed"
            checks += (Check("combined status", "status", done, combined.state),)
        return checks

    def _all_statuses(self, sha: str, max_pages: int = 10) -> list[tuple[str, str]]:
        """Every status of the commit, newest first (GET .../commits/{sha}/statuses, paginated)."""
        found: list[tuple[str, str]] = []
        for page in range(1, max_pages + 1):
            batch = self._call("GET", f"/commits/{sha}/statuses?per_page=100&page={page}")
            found += [(s["context"], s["state"]) for s in batch]
            if len(batch) < 100:
                break
        return found

    def _suites_waiting(self, sha: str) -> tuple[Check, ...]:
        """Check suites still queued, running or waiting for approval (`action_required`):
        they may have no check runs yet, and a merge must wait for them."""
        data = self._call("GET", f"/commits/{sha}/check-suites?per_page=100")
        return tuple(
            Check(
                f"check suite of {(suite.get('app') or {}).get('slug') or 'an app'}",
                "check_suite",
                suite.get("status") or "queued",
                suite.get("conclusion"),
            )
            for suite in data.get("check_suites", [])
            if suite.get("status") != "completed" or suite.get("conclusion") == "action_required"
        )

    def _writers(self, reviews: tuple[Review, ...], sha: str, author: str) -> tuple[str, ...]:
        """Which approvers of this head may approve: asked of the permission API, and only for
        reviewers GitHub already associates with the repository (a first filter)."""
        candidates = sorted(
            {
                r.user
                for r in reviews
                if r.state == "APPROVED"
                and r.commit_id == sha
                and r.user != author
                and r.association in ("OWNER", "MEMBER", "COLLABORATOR")
            }
        )[:MAX_PERMISSION_LOOKUPS]
        return tuple(
            user
            for user in candidates
            if self._repo.get_collaborator_permission(user) in ("admin", "write")
        )

    def open_pull_numbers(self) -> list[int]:
        with self._errors():
            return [pull.number for pull in self._repo.get_pulls(state="open")]

    def open_pulls(self) -> list[PullSummary]:
        with self._errors():
            return [
                PullSummary(
                    p.number,
                    p.head.sha,
                    bool(p.draft),
                    tuple(label.name for label in p.labels),
                    p.head.ref,
                    p.head.repo.full_name if p.head.repo else "",
                )
                for p in self._repo.get_pulls(state="open")
            ]

    def failed_runs(self, pull: PullSummary) -> list[FailedRun]:
        """Failed workflow runs of this pull request's head commit, with their attempts. A run
        counts only when it is this PR's: its number in the run's `pull_requests`, or (a fork's
        run, where GitHub lists none) the same head repository and branch. Another PR at the
        same commit never lends its failures."""
        with self._errors():
            runs = self._repo.get_workflow_runs(head_sha=pull.head_sha, status="failure")
            return [
                FailedRun(run.id, run.run_attempt, run.name or "")
                for run in runs
                if _belongs(run.raw_data, pull)
            ]

    def comments(self, number: int) -> list[Comment]:
        with self._errors():
            issue = self._repo.get_issue(number)
            return [
                Comment(c.id, c.body or "", c.user.login if c.user else "")
                for c in issue.get_comments()
            ]

    def create_comment(self, number: int, body: str) -> None:
        with self._errors():
            self._repo.get_issue(number).create_comment(body)

    def edit_comment(self, number: int, comment_id: int, body: str) -> None:
        with self._errors():
            self._repo.get_issue(number).get_comment(comment_id).edit(body)

    def merge(self, number: int, sha: str, method: str) -> MergeResult:
        """One PUT, guarded by the head SHA that was judged (409 when the head moved)."""
        try:
            data = self._call("PUT", f"/pulls/{number}/merge", {"merge_method": method, "sha": sha})
        except GitHubError as error:
            if error.status == 409:
                raise HeadMoved(
                    f"pull request #{number} moved past {sha[:7]} before the merge; not merged"
                ) from None
            raise
        return MergeResult(
            bool(data.get("merged")), data.get("sha") or "", data.get("message") or ""
        )

    def _graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """One GraphQL request through the counting transport; errors become one line."""
        base = self._api_url
        url = base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else f"{base}/graphql"
        headers = {"Authorization": f"Bearer {self._token}"}
        response = self.transport.send(
            requests.Session(), "POST", url, headers=headers, timeout=60,
            json={"query": query, "variables": variables},
        )  # fmt: skip
        data = response.json() if response.content else {}
        if response.status_code != 200 or data.get("errors"):
            messages = "; ".join(e.get("message", "") for e in data.get("errors") or [])
            raise GitHubError(
                f"GitHub GraphQL answered {response.status_code}: {messages or 'no data'}",
                response.status_code,
            )
        return dict(data.get("data") or {})

    def enable_auto_merge(self, node_id: str, sha: str, method: str) -> str:
        """GitHub's native auto-merge, guarded by the head SHA that was judged."""
        self._graphql(ENABLE_AUTO_MERGE, {"id": node_id, "sha": sha, "method": method.upper()})
        return f"native auto-merge enabled ({method}): GitHub merges when its requirements pass"

    def enqueue(self, node_id: str, sha: str) -> str:
        """Add the pull request to its base branch's merge queue, guarded by the head SHA."""
        data = self._graphql(ENQUEUE, {"id": node_id, "sha": sha})
        entry = (data.get("enqueuePullRequest") or {}).get("mergeQueueEntry") or {}
        return f"added to the merge queue at position {entry.get('position', '?')}"

    def is_merged(self, number: int) -> bool:
        """GitHub's own answer (204 merged, 404 not): for when a merge request's answer was lost."""
        try:
            self._call("GET", f"/pulls/{number}/merge")
        except GitHubError as error:
            if error.status == 404:
                return False
            raise
        return True

    def add_labels(self, number: int, labels: list[str]) -> None:
        with self._errors():
            self._repo.get_issue(number).add_to_labels(*labels)

    def close_pull(self, number: int) -> None:
        with self._errors():
            self._repo.get_pull(number).edit(state="closed")

    def update_branch(self, number: int, sha: str) -> None:
        with self._errors():
            self._repo.get_pull(number).update_branch(expected_head_sha=sha)

    def why_keep_branch(self, ref: str) -> str:
        """Why a merged head branch must stay ('' when it may go): it is the default branch, it
        is protected, or other open pull requests use it as their base (deleting it would close
        them)."""
        if ref == self._repo.default_branch:
            return f"{ref} is the default branch"
        branch = self._missing("GET", f"/branches/{quote(ref, safe='')}")
        if branch and branch.get("protected"):
            return f"{ref} is a protected branch"
        based = self._call("GET", f"/pulls?state=open&base={quote(ref, safe='')}&per_page=100")
        if based:
            numbers = ", ".join(f"#{p['number']}" for p in based[:5])
            return f"{ref} is the base of open pull request(s) {numbers}"
        return ""

    def delete_branch(self, ref: str) -> None:
        with self._errors():
            # The documented DELETE /git/refs/{ref}; a lazy GitRef would send it to the GET path.
            self._github.requester.requestJsonAndCheck(
                "DELETE", f"{self._repo.url}/git/refs/heads/{quote(ref, safe='/')}"
            )


READS = frozenset(
    {
        "releases",
        "file_text",
        "run_attempt_jobs",
        "branch_runs",
        "pull_request_state",
        "open_pull_numbers",
        "open_pulls",
        "failed_runs",
        "comments",
        "workflow_run",
        "job_log",
        "default_branch",
        "branch_sha",
        "tag_sha",
        "git_commit",
        "find_pull",
        "find_issue",
        "release",
        "latest_release",
        "download_asset",
        "recent_runs",
        "run_artifacts",
        "download_artifact",
        "is_merged",
        "why_keep_branch",
    }
)
"""The port's read methods. Every other method is treated as a write: dry-run fails closed."""


class DryRunPort:
    """Wraps a port: reads go through, every write is replaced by a logged "would ..." line."""

    def __init__(self, inner: FullPort, log: Callable[[str], None]) -> None:
        self._inner = inner
        self._log = log
        self.would: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if name in READS or name.startswith("_"):
            return target

        def record(*args: Any, **kwargs: Any) -> Any:
            shown = ", ".join(
                [*(repr(a)[:60] for a in args), *(f"{k}={v!r}"[:60] for k, v in kwargs.items())]
            )
            line = f"dry-run: would {name.replace('_', ' ')}({shown})"
            self.would.append(line)
            self._log(line)
            return MergeResult(False, "", "dry run") if name == "merge" else None

        return record


@contextlib.contextmanager
def connect(
    settings: Settings, log: Callable[[str], None], policy: Policy | None = None
) -> Iterator[tuple[FullPort, Budget]]:
    """A port for one run: the budget counts every request; dry-run wraps the writes."""
    if not settings.token:
        raise InputError("no GitHub token: pass the `github-token` input or set GITHUB_TOKEN")
    if not settings.repository:
        raise InputError("no repository: set GITHUB_REPOSITORY or pass --repo owner/name")
    budget = Budget(settings.max_api_calls)
    secrets = tuple(dict.fromkeys((settings.token, *settings.secrets)))
    transport = Transport(
        budget, policy or Policy(), log, read_only=settings.dry_run, secrets=secrets
    )
    requester_module.Requester.injectConnectionClasses(*connection_classes(transport))
    try:
        port: FullPort = PyGithubPort(settings, transport)
        yield (DryRunPort(port, log) if settings.dry_run else port), budget  # type: ignore[misc]
    finally:
        requester_module.Requester.resetConnectionClasses()
