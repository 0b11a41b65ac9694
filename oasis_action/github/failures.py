"""Errors from GitHub that commands and the port both need."""

from __future__ import annotations

from oasis_action.errors import JobFailed, OasisError


class GitHubError(OasisError):
    """GitHub answered with an error we cannot act around."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HeadMoved(JobFailed):
    """The pull request's head changed between the check and the merge (409)."""
