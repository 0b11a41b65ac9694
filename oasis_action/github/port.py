"""What behaviours see of GitHub: plain frozen data in, plans out, and the port they act through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Review:
    user: str
    state: str
    commit_id: str
    submitted_at: str
    association: str = ""
    """GitHub's author_association of the reviewer (OWNER, MEMBER, COLLABORATOR, NONE, ...)."""


@dataclass(frozen=True)
class Check:
    """A check run or a commit status, reduced to what a merge decision needs."""

    name: str
    kind: str
    status: str
    conclusion: str | None


@dataclass(frozen=True)
class PullRequestState:
    """Everything needed to decide on a merge, all read for one head SHA."""

    number: int
    head_sha: str
    head_ref: str
    base_ref: str
    draft: bool
    state: str
    merged: bool
    mergeable: bool | None
    mergeable_state: str
    from_fork: bool
    author: str
    labels: tuple[str, ...]
    reviews: tuple[Review, ...]
    checks: tuple[Check, ...]
    write_access: tuple[str, ...] = ()
    """Reviewers the repository gives write (or higher) permission, from the permission API."""
    node_id: str = ""
    """The pull request's GraphQL id (for native auto-merge and the merge queue)."""
    pushers: tuple[str, ...] = ()
    """Who pushed the head commit (its author and committer logins): their own approval does
    not count for it."""


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str


def own_comment(comments: Iterable[Comment], marker: str, authors: Iterable[str]) -> Comment | None:
    """OASIS's own comment: its marker *and* written by one of OASIS's accounts. A stranger who
    pastes the marker into a comment never gets that comment edited by OASIS."""
    mine = set(authors)
    return next((c for c in comments if c.body.startswith(marker) and c.author in mine), None)


@dataclass(frozen=True)
class MergeResult:
    merged: bool
    sha: str
    message: str


@dataclass(frozen=True)
class Job:
    id: int
    name: str
    status: str
    conclusion: str | None


@dataclass(frozen=True)
class RunState:
    """A workflow run as read right now: its attempt, outcome, jobs and pull requests."""

    id: int
    attempt: int
    status: str
    conclusion: str | None
    head_sha: str
    event: str
    pull_numbers: tuple[int, ...]
    jobs: tuple[Job, ...]

    @property
    def failed_jobs(self) -> tuple[Job, ...]:
        return tuple(job for job in self.jobs if job.conclusion in ("failure", "timed_out"))


@dataclass(frozen=True)
class PullSummary:
    """What the open-PR listing already says (no extra request per PR)."""

    number: int
    head_sha: str
    draft: bool
    labels: tuple[str, ...]
    head_ref: str = ""
    head_repository: str = ""


@dataclass(frozen=True)
class FailedRun:
    id: int
    attempts: int
    name: str


class GitHubPort(Protocol):
    """Reads and writes OASIS needs. Writes go through here, so dry-run can wrap them."""

    def pull_request_state(self, number: int) -> PullRequestState: ...

    def open_pull_numbers(self) -> list[int]: ...

    def open_pulls(self) -> list[PullSummary]: ...

    def failed_runs(self, pull: PullSummary) -> list[FailedRun]: ...

    def comments(self, number: int) -> list[Comment]: ...

    def create_comment(self, number: int, body: str) -> None: ...

    def edit_comment(self, number: int, comment_id: int, body: str) -> None: ...

    def merge(self, number: int, sha: str, method: str) -> MergeResult: ...

    def is_merged(self, number: int) -> bool: ...

    def enable_auto_merge(self, node_id: str, sha: str, method: str) -> str: ...

    def enqueue(self, node_id: str, sha: str) -> str: ...

    def why_keep_branch(self, ref: str) -> str: ...

    def add_labels(self, number: int, labels: list[str]) -> None: ...

    def close_pull(self, number: int) -> None: ...

    def update_branch(self, number: int, sha: str) -> None: ...

    def delete_branch(self, ref: str) -> None: ...

    def workflow_run(self, run_id: int) -> RunState: ...

    def job_log(self, job_id: int) -> str: ...

    def rerun_failed_jobs(self, run_id: int) -> bool:
        """True when GitHub accepted the rerun (it refuses while the run is in progress)."""
        ...


@dataclass(frozen=True)
class GitCommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author_name: str
    author_email: str


@dataclass(frozen=True)
class FileChange:
    """A file's new text for a commit made through the Git Data API (mode 100644 or 100755)."""

    path: str
    content: str
    mode: str = "100644"


@dataclass(frozen=True)
class IssueInfo:
    number: int
    state: str
    title: str
    body: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class AssetInfo:
    id: int
    name: str
    size: int


@dataclass(frozen=True)
class ReleaseInfo:
    id: int
    tag: str
    name: str
    body: str
    html_url: str
    assets: tuple[AssetInfo, ...]

    def asset(self, name: str) -> AssetInfo | None:
        return next((a for a in self.assets if a.name == name), None)


@dataclass(frozen=True)
class RunSummary:
    id: int
    head_sha: str
    attempt: int
    conclusion: str | None
    same_repository: bool = True
    """The run's head is in this repository (not a fork): its artifacts are the project's own."""
    workflow: str = ""


@dataclass(frozen=True)
class ArtifactInfo:
    id: int
    name: str
    size: int
    expired: bool


class GitDataPort(Protocol):
    """Branches, commits, pull requests, issues and releases (auto-fix-pr, nightly-heal, release)."""

    def default_branch(self) -> str: ...

    def branch_sha(self, branch: str) -> str | None: ...

    def git_commit(self, sha: str) -> GitCommitInfo: ...

    def find_pull(self, head_branch: str) -> PullSummary | None: ...

    def find_issue(self, label: str) -> IssueInfo | None: ...

    def release(self, tag: str) -> ReleaseInfo | None: ...

    def latest_release(self) -> ReleaseInfo | None: ...

    def releases(self, limit: int = 100) -> list[ReleaseInfo]:
        """The newest `limit` releases, newest first."""
        ...

    def download_asset(self, asset_id: int) -> bytes: ...

    def recent_runs(self, limit: int) -> list[RunSummary]: ...

    def run_artifacts(self, run_id: int) -> list[ArtifactInfo]: ...

    def download_artifact(self, artifact_id: int) -> bytes: ...

    def tag_sha(self, tag: str) -> str | None: ...

    def file_text(self, ref: str, path: str) -> str | None: ...

    def run_attempt_jobs(self, run_id: int, attempt: int) -> list[Job]: ...

    def branch_runs(self, branch: str, limit: int, after_id: int = 0) -> list[RunSummary]: ...

    def commit_files(
        self, parent: str | None, files: list[FileChange], message: str, author: tuple[str, str]
    ) -> str | None:
        """A commit on top of `parent` with `files` changed; its sha (None in a dry run)."""
        ...

    def create_branch(self, branch: str, sha: str) -> None: ...

    def move_branch(self, branch: str, sha: str, force: bool) -> None: ...

    def create_pull(self, head: str, base: str, title: str, body: str) -> int | None: ...

    def edit_pull(self, number: int, title: str, body: str) -> None: ...

    def create_issue(self, title: str, body: str, labels: list[str]) -> int | None: ...

    def edit_issue(self, number: int, title: str, body: str, state: str) -> None: ...

    def create_tag(self, tag: str, sha: str) -> None: ...

    def create_release(self, tag: str, name: str, body: str, target: str) -> ReleaseInfo | None: ...

    def update_release(self, release_id: int, name: str, body: str) -> None: ...

    def upload_asset(
        self, release_id: int, path: str, name: str, content_type: str
    ) -> int | None: ...

    def rename_asset(self, asset_id: int, name: str) -> None: ...

    def delete_asset(self, asset_id: int) -> None: ...


class FullPort(GitHubPort, GitDataPort, Protocol):
    """Everything: what `connect()` hands out."""
