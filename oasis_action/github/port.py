"""What behaviours see of GitHub: plain frozen data in, plans out, and the port they act through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Review:
    user: str
    state: str
    commit_id: str
    submitted_at: str


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


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str


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

    def failed_runs(self, head_sha: str) -> list[FailedRun]: ...

    def comments(self, number: int) -> list[Comment]: ...

    def create_comment(self, number: int, body: str) -> None: ...

    def edit_comment(self, number: int, comment_id: int, body: str) -> None: ...

    def merge(self, number: int, sha: str, method: str) -> MergeResult: ...

    def add_labels(self, number: int, labels: list[str]) -> None: ...

    def close_pull(self, number: int) -> None: ...

    def update_branch(self, number: int, sha: str) -> None: ...

    def delete_branch(self, ref: str) -> None: ...

    def workflow_run(self, run_id: int) -> RunState: ...

    def job_log(self, job_id: int) -> str: ...

    def rerun_failed_jobs(self, run_id: int) -> bool:
        """True when GitHub accepted the rerun (it refuses while the run is in progress)."""
        ...
