"""Git data, pull requests, issues and releases over PyGithub (a mixin of PyGithubPort).

Git data goes through PyGithub's requester directly: its object model would fetch every tree
and parent commit before creating a commit, which costs requests and buys nothing here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from oasis_action.github.failures import GitHubError
from oasis_action.github.port import (
    ArtifactInfo,
    AssetInfo,
    FileChange,
    GitCommitInfo,
    IssueInfo,
    Job,
    PullSummary,
    ReleaseInfo,
    RunSummary,
)


def _release_info(release: Any) -> ReleaseInfo:
    return ReleaseInfo(
        id=release.id,
        tag=release.tag_name,
        name=release.name or "",
        body=release.body or "",
        html_url=release.html_url,
        assets=tuple(AssetInfo(a.id, a.name, a.size) for a in release.assets),
    )


class PyGithubRepoData:
    _github: Any
    _repo: Any
    transport: Any
    _token: str
    _api_url: str
    _errors: Any
    _release_objects: dict[int, Any]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        with self._errors():
            return self._github.requester.requestJsonAndCheck(
                method, f"{self._repo.url}{path}", input=body
            )[1]

    def _missing(self, method: str, path: str) -> Any:
        """The JSON of a read, or None on 404 (a branch, tag or release that does not exist)."""
        try:
            return self._call(method, path)
        except GitHubError as error:
            if error.status == 404:
                return None
            raise

    def default_branch(self) -> str:
        with self._errors():
            return str(self._repo.default_branch)

    def branch_sha(self, branch: str) -> str | None:
        found = self._missing("GET", f"/git/ref/heads/{quote(branch, safe='/')}")
        return None if found is None else str(found["object"]["sha"])

    def tag_sha(self, tag: str) -> str | None:
        found = self._missing("GET", f"/git/ref/tags/{quote(tag, safe='')}")
        return None if found is None else str(found["object"]["sha"])

    def git_commit(self, sha: str) -> GitCommitInfo:
        data = self._call("GET", f"/git/commits/{sha}")
        return GitCommitInfo(
            sha=data["sha"],
            tree=data["tree"]["sha"],
            parents=tuple(p["sha"] for p in data["parents"]),
            message=data["message"],
            author_name=data["author"]["name"],
            author_email=data["author"]["email"],
        )

    def commit_files(
        self, parent: str | None, files: list[FileChange], message: str, author: tuple[str, str]
    ) -> str | None:
        """Two requests: a tree on top of the parent's (contents inline), then the commit. No
        parent: the first commit of a branch of its own (OASIS's state branch)."""
        entries = [
            {"path": f.path, "mode": f.mode, "type": "blob", "content": f.content} for f in files
        ]
        request: dict[str, Any] = {"tree": entries}
        if parent is not None:
            request["base_tree"] = self.git_commit(parent).tree
        tree = self._call("POST", "/git/trees", request)
        person = {"name": author[0], "email": author[1]}
        commit = self._call(
            "POST",
            "/git/commits",
            {
                "message": message,
                "tree": tree["sha"],
                "parents": [parent] if parent else [],
                "author": person,
            },
        )
        return str(commit["sha"])

    def file_text(self, ref: str, path: str) -> str | None:
        """A file's text on a branch or tag (contents API), None when either is missing."""
        found = self._missing("GET", f"/contents/{quote(path)}?ref={quote(ref, safe='')}")
        if found is None or found.get("type") != "file":
            return None
        import base64

        return base64.b64decode(found.get("content") or "").decode("utf-8", "replace")

    def run_attempt_jobs(self, run_id: int, attempt: int) -> list[Job]:
        """The jobs of one attempt of a run (its failed jobs' logs stay readable)."""
        data = self._call("GET", f"/actions/runs/{run_id}/attempts/{attempt}/jobs?per_page=100")
        return [Job(j["id"], j["name"], j["status"], j["conclusion"]) for j in data["jobs"]]

    def branch_runs(self, branch: str, limit: int, after_id: int = 0) -> list[RunSummary]:
        """Completed runs on `branch`, newest first, stopping at the first id <= `after_id`
        (what an earlier read already saw): the second read costs one page."""
        found: list[RunSummary] = []
        page = 1
        own = self._repo.full_name
        while len(found) < limit:
            data = self._call(
                "GET",
                f"/actions/runs?branch={quote(branch, safe='')}&status=completed"
                f"&per_page=100&page={page}",
            )
            runs = data.get("workflow_runs") or []
            for run in runs:
                if run["id"] <= after_id or len(found) >= limit:
                    return found
                head = (run.get("head_repository") or {}).get("full_name", "")
                found.append(
                    RunSummary(
                        run["id"], run["head_sha"], run["run_attempt"], run["conclusion"],
                        head == own, run.get("name") or "",
                    )
                )  # fmt: skip
            if len(runs) < 100:
                return found
            page += 1
        return found

    def create_branch(self, branch: str, sha: str) -> None:
        self._call("POST", "/git/refs", {"ref": f"refs/heads/{branch}", "sha": sha})

    def move_branch(self, branch: str, sha: str, force: bool) -> None:
        self._call(
            "PATCH", f"/git/refs/heads/{quote(branch, safe='/')}", {"sha": sha, "force": force}
        )

    def create_tag(self, tag: str, sha: str) -> None:
        self._call("POST", "/git/refs", {"ref": f"refs/tags/{tag}", "sha": sha})

    def find_pull(self, head_branch: str) -> PullSummary | None:
        with self._errors():
            owner = self._repo.full_name.split("/")[0]
            for p in self._repo.get_pulls(state="open", head=f"{owner}:{head_branch}"):
                return PullSummary(
                    p.number, p.head.sha, bool(p.draft), tuple(label.name for label in p.labels)
                )
        return None

    def create_pull(self, head: str, base: str, title: str, body: str) -> int | None:
        with self._errors():
            return int(self._repo.create_pull(base=base, head=head, title=title, body=body).number)

    def edit_pull(self, number: int, title: str, body: str) -> None:
        self._call("PATCH", f"/pulls/{number}", {"title": title, "body": body})

    def find_issue(self, label: str) -> IssueInfo | None:
        """The oldest issue (open or closed) carrying `label`: the one OASIS keeps editing."""
        with self._errors():
            issues = [
                i for i in self._repo.get_issues(state="all", labels=[label]) if not i.pull_request
            ]
        if not issues:
            return None
        issue = min(issues, key=lambda i: i.number)
        return IssueInfo(
            issue.number,
            issue.state,
            issue.title,
            issue.body or "",
            tuple(lbl.name for lbl in issue.labels),
        )

    def create_issue(self, title: str, body: str, labels: list[str]) -> int | None:
        data = self._call("POST", "/issues", {"title": title, "body": body, "labels": labels})
        return int(data["number"])

    def edit_issue(self, number: int, title: str, body: str, state: str) -> None:
        self._call("PATCH", f"/issues/{number}", {"title": title, "body": body, "state": state})

    def release(self, tag: str) -> ReleaseInfo | None:
        try:
            with self._errors():
                release = self._repo.get_release(tag)
        except GitHubError as error:
            if error.status == 404:
                return None
            raise
        self._release_objects[release.id] = release
        return _release_info(release)

    def latest_release(self) -> ReleaseInfo | None:
        try:
            with self._errors():
                release = self._repo.get_latest_release()
                release.tag_name  # noqa: B018 - completes the lazy object inside the error guard
        except GitHubError as error:
            if error.status == 404:
                return None
            raise
        self._release_objects[release.id] = release
        return _release_info(release)

    def releases(self, limit: int = 100) -> list[ReleaseInfo]:
        found = []
        with self._errors():
            for release in self._repo.get_releases():
                self._release_objects[release.id] = release
                found.append(_release_info(release))
                if len(found) >= limit:
                    break
        return found

    def create_release(self, tag: str, name: str, body: str, target: str) -> ReleaseInfo | None:
        with self._errors():
            release = self._repo.create_git_release(
                tag=tag, name=name, message=body, target_commitish=target
            )
        self._release_objects[release.id] = release
        return _release_info(release)

    def update_release(self, release_id: int, name: str, body: str) -> None:
        self._call("PATCH", f"/releases/{release_id}", {"name": name, "body": body})

    def upload_asset(self, release_id: int, path: str, name: str, content_type: str) -> int:
        with self._errors():
            asset = self._release_objects[release_id].upload_asset(
                path, name=name, content_type=content_type
            )
            return int(asset.id)

    def rename_asset(self, asset_id: int, name: str) -> None:
        self._call("PATCH", f"/releases/assets/{asset_id}", {"name": name})

    def delete_asset(self, asset_id: int) -> None:
        self._call("DELETE", f"/releases/assets/{asset_id}")

    def download_asset(self, asset_id: int) -> bytes:
        url = f"{self._api_url}/repos/{self._repo.full_name}/releases/assets/{asset_id}"
        return self._download(url, "application/octet-stream", f"release asset {asset_id}")

    def recent_runs(self, limit: int) -> list[RunSummary]:
        """The newest completed workflow runs (newest first)."""
        with self._errors():
            runs = self._repo.get_workflow_runs(status="completed")
            own = self._repo.full_name
            return [
                RunSummary(
                    r.id,
                    r.head_sha,
                    r.run_attempt,
                    r.conclusion,
                    (r.head_repository.full_name if r.head_repository else "") == own,
                )
                for r, _ in zip(runs, range(limit), strict=False)
            ]

    def run_artifacts(self, run_id: int) -> list[ArtifactInfo]:
        data = self._call("GET", f"/actions/runs/{run_id}/artifacts?per_page=100")
        return [
            ArtifactInfo(a["id"], a["name"], a["size_in_bytes"], a["expired"])
            for a in data["artifacts"]
        ]

    def download_artifact(self, artifact_id: int) -> bytes:
        url = f"{self._api_url}/repos/{self._repo.full_name}/actions/artifacts/{artifact_id}/zip"
        return self._download(url, "application/vnd.github+json", f"artifact {artifact_id}")

    def _download(self, url: str, accept: str, what: str) -> bytes:
        """GitHub answers 302 to a pre-signed URL; the token is sent only to the API itself."""
        headers = {"Authorization": f"token {self._token}", "Accept": accept}
        response = self.transport.send(
            requests.Session(), "GET", url, headers=headers, allow_redirects=False, timeout=60
        )
        if response.status_code in (301, 302, 307):
            response = self.transport.send(
                requests.Session(), "GET", response.headers["Location"], timeout=60
            )
        if response.status_code != 200:
            raise GitHubError(
                f"{what} download answered {response.status_code}", response.status_code
            )
        return bytes(response.content)
