"""A local GitHub: a stateful REST server on 127.0.0.1 for the tests.

Real status codes and JSON shapes (every JSON body it sends is validated against GitHub's
OpenAPI description; mismatches are collected in `schema_errors` and fail the test through the
fixture), `Link` pagination, ETag / 304, rate-limit headers, 401 without a valid token, and
fault injection per scenario. Every request is recorded for assertions.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.github import more_routes, openapi
from tests.support.github.gitdata import GitStore
from tests.support.paths import load_event

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class Fault:
    """Answer matching requests with `status` (and headers) `times` times, or delay them."""

    method: str
    path: str
    status: int = 502
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: Any = None

    def matches(self, method: str, path: str) -> bool:
        return (
            self.times > 0
            and self.method in (method, "*")
            and re.fullmatch(self.path, path) is not None
        )


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    body: Any


@dataclass(frozen=True)
class Redirect:
    """A 302 answer, as GitHub gives for job logs (a pre-signed URL on another host)."""

    location: str


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class State:
    """Repository state: pull requests, reviews, statuses, check runs, comments."""

    def __init__(self, owner: str = "octo-org", name: str = "octo-repo") -> None:
        self.owner, self.name = owner, name
        base = load_event("pull_request", "opened.1")
        self.repository = copy.deepcopy(base["repository"])
        self.repository.update({"name": name, "full_name": f"{owner}/{name}"})
        self.repository["owner"]["login"] = owner
        original = base["repository"]["full_name"]
        self.repository = json.loads(
            json.dumps(self.repository).replace(f"/repos/{original}", f"/repos/{owner}/{name}")
        )
        self._pull_template = copy.deepcopy(base["pull_request"])
        self._review_template = copy.deepcopy(
            load_event("pull_request_review", "submitted.1")["review"]
        )
        self._check_template = copy.deepcopy(load_event("check_run", "completed.1")["check_run"])
        self._comment_template = copy.deepcopy(load_event("issue_comment", "created.1")["comment"])
        self.pulls: dict[int, dict[str, Any]] = {}
        self.reviews: dict[int, list[dict[str, Any]]] = {}
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.check_runs: dict[str, list[dict[str, Any]]] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.ids = itertools.count(1000)
        self.branch_updates: list[int] = []
        self._run_template = copy.deepcopy(
            load_event("workflow_run", "completed.1")["workflow_run"]
        )
        self._job_template = copy.deepcopy(
            load_event("workflow_job", "completed.1")["workflow_job"]
        )
        self.runs: dict[int, dict[str, Any]] = {}
        self.jobs: dict[int, list[dict[str, Any]]] = {}
        self.attempt_jobs: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self.logs: dict[int, str | bytes] = {}
        self.reruns: list[int] = []
        self.deleted_refs: list[str] = []
        self.git = GitStore()
        self.ref_updates: list[tuple[str, str, str, bool]] = []
        self.releases: dict[int, dict[str, Any]] = {}
        self.assets: dict[int, bytes] = {}
        self.issues: dict[int, dict[str, Any]] = {}
        self.token_login = "github-actions[bot]"
        self.permissions: dict[str, str] = {}
        """Collaborator permission per login (admin, maintain, write, triage, read, none)."""
        self.protected_branches: set[str] = set()
        self.branch_protection: dict[str, dict[str, Any]] = {}
        """Per base branch: `required_checks` (names) and `required_reviews` (count); a pull
        request that does not meet them is `mergeable_state: blocked`, as on GitHub."""
        self.merge_queue_branches: set[str] = set()
        """Branches whose pull requests merge only through the merge queue."""
        self.merge_queues: dict[str, list[int]] = {}
        self.commit_authors: dict[str, str] = {}
        """The GitHub login that authored a commit (who pushed it), by SHA."""
        """Who the token is: what GitHub records as the author of the comments it writes."""
        self.check_suites: dict[str, list[dict[str, Any]]] = {}
        self.artifacts: dict[int, list[dict[str, Any]]] = {}
        self.artifact_zips: dict[int, bytes] = {}
        self._suite_template = copy.deepcopy(
            load_event("check_suite", "completed.1")["check_suite"]
        )
        self.last_accept = ""
        self.last_content_type = ""
        self.lock = threading.RLock()

    def add_pull(self, number: int, sha: str, **fields: Any) -> dict[str, Any]:
        pull = copy.deepcopy(self._pull_template)
        pull.update(
            number=number,
            id=next(self.ids),
            state="open",
            draft=False,
            merged=False,
            auto_merge=None,
            mergeable=True,
            mergeable_state="clean",
            rebaseable=True,
            labels=[],
            title=f"PR {number}",
            url=f"https://api.github.com{self.api}/pulls/{number}",
            merged_at=None,
            merge_commit_sha=None,
            closed_at=None,
            node_id=f"PR_kwDOoasis{number:06d}",
        )
        pull["head"] = {
            **pull["head"],
            "sha": sha,
            "ref": f"feature-{number}",
            "repo": copy.deepcopy(self.repository),
        }
        pull["base"] = {**pull["base"], "ref": "main", "repo": copy.deepcopy(self.repository)}
        pull.update(fields)
        self.pulls[number] = pull
        self.reviews.setdefault(number, [])
        self.comments.setdefault(number, [])
        return pull

    @property
    def api(self) -> str:
        return f"/repos/{self.owner}/{self.name}"

    def add_review(
        self,
        number: int,
        user: str,
        state: str,
        commit_id: str | None = None,
        association: str = "COLLABORATOR",
    ) -> None:
        """A review; OWNER, MEMBER and COLLABORATOR reviewers get write permission unless one
        was set (`permissions`), anyone else has read permission, as on a public repository."""
        review = copy.deepcopy(self._review_template)
        review.update(
            id=next(self.ids),
            state=state,
            body=review.get("body") or "",
            commit_id=commit_id or self.pulls[number]["head"]["sha"],
            submitted_at=_now(),
            author_association=association,
        )
        review["user"] = self.user(user)
        self.reviews[number].append(review)
        if association in ("OWNER", "MEMBER", "COLLABORATOR"):
            self.permissions.setdefault(user, "write")

    def protection_met(self, pull: dict[str, Any], rules: dict[str, Any]) -> bool:
        sha = pull["head"]["sha"]
        passed = {r["name"] for r in self.check_runs.get(sha, []) if r["conclusion"] == "success"}
        passed |= {s["context"] for s in self.statuses.get(sha, []) if s["state"] == "success"}
        approvals = {
            r["user"]["login"]
            for r in self.reviews.get(pull["number"], [])
            if r["state"] == "APPROVED"
            and r["commit_id"] == sha
            and self.permissions.get(r["user"]["login"]) in ("admin", "maintain", "write")
        }
        return set(rules.get("required_checks", ())) <= passed and len(approvals) >= int(
            rules.get("required_reviews", 0)
        )

    def user(self, login: str) -> dict[str, Any]:
        """A user object for `login` (a Bot when the login ends with `[bot]`)."""
        kind = "Bot" if login.endswith("[bot]") else "User"
        return {
            **self._review_template["user"],
            "login": login,
            "id": abs(hash(login)) % 10**8,
            "type": kind,
        }

    def add_run(
        self,
        run_id: int,
        sha: str,
        jobs: list[tuple[str, str, str]],
        pulls: tuple[int, ...] = (),
        status: str = "completed",
        attempt: int = 1,
        branch: str | None = None,
        earlier: tuple[list[tuple[str, str, str]], ...] = (),
    ) -> dict[str, Any]:
        """A workflow run with jobs (name, conclusion, log text), linked to pull requests.

        `earlier` holds the jobs of its earlier attempts (attempt 1 first); `attempt` is then
        their number plus one unless given higher."""
        run = copy.deepcopy(self._run_template)
        failed = any(conclusion == "failure" for _, conclusion, _ in jobs)
        api = f"https://api.github.com{self.api}/actions/runs/{run_id}"
        run.update(
            id=run_id,
            head_sha=sha,
            status=status,
            run_attempt=attempt,
            event="pull_request",
            head_branch=branch or self.repository["default_branch"],
            conclusion=("failure" if failed else "success") if status == "completed" else None,
            url=api,
            jobs_url=f"{api}/jobs",
            logs_url=f"{api}/logs",
            rerun_url=f"{api}/rerun",
            cancel_url=f"{api}/cancel",
            check_suite_url=f"{api}/check-suite",
            artifacts_url=f"{api}/artifacts",
            pull_requests=[
                {
                    "id": n,
                    "number": n,
                    "url": f"https://api.github.com{self.api}/pulls/{n}",
                    "head": {
                        "ref": f"feature-{n}",
                        "sha": sha,
                        "repo": {
                            "id": 1,
                            "url": "https://api.github.com/repos/x/y",
                            "name": self.name,
                        },
                    },
                    "base": {
                        "ref": "main",
                        "sha": "0" * 40,
                        "repo": {
                            "id": 1,
                            "url": "https://api.github.com/repos/x/y",
                            "name": self.name,
                        },
                    },
                }
                for n in pulls
            ],
            repository=copy.deepcopy(self.repository),
            head_repository=copy.deepcopy(self.repository),
            display_title=run.get("display_title") or "CI",
            path=run.get("path") or ".github/workflows/ci.yml",
        )
        self.runs[run_id] = run
        run["run_attempt"] = max(attempt, len(earlier) + 1)
        for number, earlier_jobs in enumerate(earlier, start=1):
            self.attempt_jobs[(run_id, number)] = self._jobs_for(run, earlier_jobs, number)
        self.jobs[run_id] = self._jobs_for(run, jobs, run["run_attempt"])
        return run

    def _jobs_for(
        self, run: dict[str, Any], jobs: list[tuple[str, str, str]], attempt: int
    ) -> list[dict[str, Any]]:
        made = []
        api, sha, run_id = run["url"], run["head_sha"], run["id"]
        for name, conclusion, log in jobs:
            job = copy.deepcopy(self._job_template)
            job_id = next(self.ids)
            job.update(
                id=job_id,
                run_id=run_id,
                name=name,
                head_sha=sha,
                status="completed",
                conclusion=conclusion,
                run_attempt=attempt,
                url=f"https://api.github.com{self.api}/actions/jobs/{job_id}",
                run_url=api,
                labels=job.get("labels") or ["ubuntu-latest"],
            )
            made.append(job)
            self.logs[job_id] = log
        return made

    def add_check_suite(self, sha: str, conclusion: str | None = "success") -> dict[str, Any]:
        suite = copy.deepcopy(self._suite_template)
        suite.update(
            id=next(self.ids),
            head_sha=sha,
            after=sha,
            status="completed" if conclusion else "in_progress",
            conclusion=conclusion,
            pull_requests=[],
        )
        suite["repository"] = copy.deepcopy(self.repository)
        self.check_suites.setdefault(sha, []).append(suite)
        return suite

    def add_artifact(self, run_id: int, name: str, archive: bytes) -> dict[str, Any]:
        """An Actions artifact (a zip) of a run, as `upload-artifact` leaves it."""
        artifact_id = next(self.ids)
        api = f"https://api.github.com{self.api}/actions/artifacts/{artifact_id}"
        run = self.runs[run_id]
        artifact = {
            "id": artifact_id,
            "node_id": "MDg6QXJ0aWZhY3Qx",
            "name": name,
            "size_in_bytes": len(archive),
            "url": api,
            "archive_download_url": f"{api}/zip",
            "expired": False,
            "created_at": _now(),
            "expires_at": _now(),
            "updated_at": _now(),
            "digest": None,
            "workflow_run": {
                "id": run_id,
                "repository_id": 1,
                "head_repository_id": 1,
                "head_branch": "main",
                "head_sha": run["head_sha"],
            },
        }
        self.artifacts.setdefault(run_id, []).append(artifact)
        self.artifact_zips[artifact_id] = archive
        return artifact

    def add_status(self, sha: str, context: str, state: str) -> None:
        self.statuses.setdefault(sha, []).append(
            {
                "id": next(self.ids),
                "node_id": "S_1",
                "state": state,
                "context": context,
                "description": None,
                "target_url": None,
                "avatar_url": None,
                "url": f"https://example.invalid/status/{sha}",
                "creator": self.user("ci-bot[bot]"),
                "created_at": _now(),
                "updated_at": _now(),
            }
        )

    def add_check_run(
        self, sha: str, name: str, status: str = "completed", conclusion: str | None = "success"
    ) -> None:
        run = copy.deepcopy(self._check_template)
        run.update(id=next(self.ids), name=name, head_sha=sha, status=status, conclusion=conclusion)
        run["output"] = {
            **run["output"],
            "annotations_count": run["output"].get("annotations_count", 0),
        }
        self.check_runs.setdefault(sha, []).append(run)


Handler = Callable[["LocalGitHub", dict[str, str], dict[str, list[str]], Any], tuple[int, Any]]


class LocalGitHub:
    """The server. `url` is the API base; `token` is the only token it accepts."""

    def __init__(
        self,
        token: str = "ghs_localtesttoken000000000000000000",
        host: str = "127.0.0.1",
        port: int = 0,
        public_url: str = "",
    ) -> None:
        self.token = token
        self.public_url = public_url
        self.state = State()
        self.faults: list[Fault] = []
        self.hooks: list[tuple[str, str, Callable[[State], None]]] = []
        self.requests: list[Recorded] = []
        self.schema_errors: list[str] = []
        self.validate = True
        self.rate_remaining = 5000
        self.api = openapi.load()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where clients reach this server (its service name when it runs as a container)."""
        if self.public_url:
            return self.public_url
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> LocalGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _load_scenario(self, body: dict[str, Any]) -> None:
        for pull in body.get("pulls", []):
            self._load_pull(pull)
        if "merge_queue_branches" in body:
            self.state.merge_queue_branches = set(body["merge_queue_branches"])
        for fault in body.get("faults", []):
            self.inject(Fault(**fault))
        for run in body.get("runs", []):
            jobs = [tuple(job) for job in run["jobs"]]
            self.state.add_run(run["id"], run["sha"], jobs, pulls=tuple(run.get("pulls", ())), attempt=run.get("attempt", 1))  # type: ignore[arg-type]

    def _load_pull(self, pull: dict[str, Any]) -> None:
        target = self.state.add_pull(pull["number"], pull["sha"])
        for user, state, *association in pull.get("reviews", []):
            self.state.add_review(
                pull["number"], user, state, association=(association or ["COLLABORATOR"])[0]
            )
        for check in pull.get("check_runs", []):
            name, conclusion = (check, "success") if isinstance(check, str) else check
            self.state.add_check_run(pull["sha"], name, conclusion=conclusion)
        for context, state in pull.get("statuses", []):
            self.state.add_status(pull["sha"], context, state)
        for conclusion in pull.get("suites", []):
            self.state.add_check_suite(pull["sha"], conclusion)
        if "commit_author" in pull:
            self.state.commit_authors[pull["sha"]] = pull["commit_author"]
        if "mergeable_state" in pull:
            target["mergeable_state"] = pull["mergeable_state"]
        if "head_ref" in pull:
            target["head"]["ref"] = pull["head_ref"]

    def control(self, method: str, path: str, body: Any) -> Any:
        """The test's side door (not GitHub's API): load a scenario, read state and the request log."""
        if method == "POST" and path == "/_oasis/git":
            return {"head": self._import_bundle(body["bundle"], body.get("branch", "main"))}
        if method == "POST" and path == "/_oasis/scenario":
            self._load_scenario(body)
            return {"ok": True}
        return {
            "pulls": {
                str(n): {
                    "merged": p["merged"],
                    "state": p["state"],
                    "head": p["head"]["ref"],
                    "base": p["base"]["ref"],
                }
                for n, p in self.state.pulls.items()
            },
            "refs": dict(self.state.git.refs),
            "requests": [[r.method, r.path, r.status] for r in self.requests],
            "schema_errors": self.schema_errors,
            "deleted_refs": self.state.deleted_refs,
            "reruns": self.state.reruns,
            "merge_queues": self.state.merge_queues,
            "comments": {str(n): [c["body"] for c in cs] for n, cs in self.state.comments.items()},
        }

    def _import_bundle(self, bundle: str, branch: str) -> str:
        """A repository sent as a base64 `git bundle` (the container cannot see the host's files)."""
        import base64
        import subprocess
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "repo.bundle"
            source.write_bytes(base64.b64decode(bundle))
            subprocess.run(
                ["git", "clone", "-q", str(source), str(Path(scratch) / "repo")],
                check=True,
                capture_output=True,
            )
            return self.state.git.import_repository(Path(scratch) / "repo", branch)

    def inject(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method in WRITE_METHODS]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _serve(self) -> None:
                server.handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return RequestHandler

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        is_json = not parts.path.startswith("/api/uploads/")  # an asset upload is raw bytes
        body = (json.loads(raw) if is_json else raw) if raw else None
        if parts.path.startswith(("/_logs/", "/_assets/", "/_artifacts/")):
            self._serve_download(request, parts.path, query)
            return
        if parts.path.startswith("/_oasis/"):
            status, payload, headers = 200, self.control(request.command, parts.path, body), {}
        else:
            status, payload, headers = self._answer(
                request.command, parts.path, query, request.headers, body
            )
            self.requests.append(Recorded(request.command, parts.path, query, status, body))
        data = (
            b""
            if payload is None or status == 304
            else self._own_urls(json.dumps(payload)).encode()
        )
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(data)))
        if data:
            request.send_header("Content-Type", "application/json; charset=utf-8")
        request.end_headers()
        request.wfile.write(data)

    def _serve_download(self, request: BaseHTTPRequestHandler, path: str, query: Any) -> None:
        """A pre-signed download (job log, release asset): plain bytes, no token needed."""
        self.requests.append(Recorded(request.command, path, query, 200, None))
        key = int(path.split("/")[2])
        if path.startswith("/_logs/"):
            log = self.state.logs.get(key, "")
            data, kind = (
                log if isinstance(log, bytes) else log.encode()
            ), "text/plain; charset=utf-8"
        elif path.startswith("/_artifacts/"):
            data, kind = self.state.artifact_zips.get(key, b""), "application/zip"
        else:
            data, kind = self.state.assets.get(key, b""), "application/octet-stream"
        request.send_response(200)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _own_urls(self, text: str) -> str:
        """URLs inside bodies point at this server, as a GitHub Enterprise Server's point at itself."""
        return text.replace("https://api.github.com", self.url)

    def _rate_headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(self.rate_remaining),
            "x-ratelimit-used": str(5000 - self.rate_remaining),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
        }

    def on(self, method: str, path: str, action: Callable[[State], None]) -> None:
        """Change the state just before answering a matching request (a human acting mid-run)."""
        self.hooks.append((method, path, action))

    def _run_hooks(self, method: str, path: str) -> None:
        for hook_method, pattern, action in self.hooks:
            if hook_method == method and re.fullmatch(pattern, path):
                action(self.state)

    def _fault(self, method: str, path: str) -> tuple[int, Any, dict[str, str]] | None:
        """The injected answer for this request, if a fault matches (a delay alone returns None)."""
        for fault in self.faults:
            if fault.matches(method, path):
                fault.times -= 1
                time.sleep(fault.delay)
                if fault.status:
                    body = fault.body if fault.body is not None else {"message": "Server Error"}
                    return fault.status, body, {**self._rate_headers(), **fault.headers}
        return None

    def _answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        self._run_hooks(method, path)
        faulted = self._fault(method, path)
        if faulted is not None:
            return faulted
        if method == "POST" and path in ("/graphql", "/api/graphql"):
            return self._graphql(headers, body)
        auth = headers.get("Authorization", "")
        if auth not in (f"token {self.token}", f"Bearer {self.token}"):
            return (
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
                self._rate_headers(),
            )
        try:
            with self.state.lock:
                self.state.last_accept = headers.get("Accept", "")
                self.state.last_content_type = headers.get("Content-Type", "")
                status, payload = self._route(method, path, query, body)
        except ApiError as error:
            status, payload = error.status, {
                "message": error.message,
                "documentation_url": "https://docs.github.com/rest",
            }
        out = self._rate_headers()
        if isinstance(payload, Redirect):
            self.rate_remaining -= 1
            return status, None, {**out, "Location": payload.location}
        if method == "GET" and status == 200:
            payload, out = self._paginate(path, query, payload, out)
            etag = (
                '"'
                + hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:40]
                + '"'
            )
            out["ETag"] = etag
            if headers.get("If-None-Match") == etag:
                return 304, None, out
        self.rate_remaining -= 1
        if self.validate and status < 400 and payload is not None:
            documented = path.removeprefix("/api/uploads")
            self.schema_errors += self.api.errors(method, documented, status, payload)
        return status, payload, out

    def _paginate(
        self, path: str, query: dict[str, list[str]], payload: Any, headers: dict[str, str]
    ) -> tuple[Any, dict[str, str]]:
        if not isinstance(payload, list):
            return payload, headers
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(payload) // per_page))
        links = []
        base = f"{self.url}{path}?per_page={per_page}"
        if page < last:
            links += [f'<{base}&page={page + 1}>; rel="next"', f'<{base}&page={last}>; rel="last"']
        if page > 1:
            links += [f'<{base}&page={page - 1}>; rel="prev"', f'<{base}&page=1>; rel="first"']
        if links:
            headers = {**headers, "Link": ", ".join(links)}
        return payload[(page - 1) * per_page : page * per_page], headers

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        for pattern, verb, handler in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                where = match.groupdict()
                owner, repo = where.get("owner", self.state.owner), where.get(
                    "repo", self.state.name
                )
                if (owner, repo) != (self.state.owner, self.state.name):
                    raise ApiError(404, "Not Found")
                return handler(self, match.groupdict(), query, body)
        raise ApiError(404, "Not Found")

    def _graphql(self, headers: Any, body: Any) -> tuple[int, Any, dict[str, str]]:
        """GitHub's GraphQL endpoint: queries validated against the public schema (a query that
        is not valid fails the test, like a REST answer that strays from OpenAPI)."""
        from tests.support.github import graphql_api

        auth = headers.get("Authorization", "")
        if auth not in (f"token {self.token}", f"Bearer {self.token}"):
            return 401, {"message": "Bad credentials"}, self._rate_headers()
        with self.state.lock:
            payload, problems = graphql_api.answer(self.state, body)
        self.schema_errors += [f"GraphQL: {problem}" for problem in problems]
        self.rate_remaining -= 1
        return 200, payload, self._rate_headers()

    def pull(self, number: str) -> dict[str, Any]:
        pull = self.state.pulls.get(int(number))
        if pull is None:
            raise ApiError(404, "Not Found")
        return pull


REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def get_repo(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    full = {
        "has_discussions": False,
        "network_count": 0,
        "subscribers_count": 1,
        **gh.state.repository,
    }
    return 200, full


def list_pulls(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    wanted = query.get("state", ["open"])[0]
    head = query.get("head", [""])[0].split(":", 1)[-1]
    base = query.get("base", [""])[0]
    pulls = [
        p
        for n, p in sorted(gh.state.pulls.items())
        if (wanted == "all" or p["state"] == wanted)
        and head in ("", p["head"]["ref"])
        and base in ("", p["base"]["ref"])
    ]
    return 200, pulls


def get_branch(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    """A branch with `protected`, from the OpenAPI description's own example."""
    branch = copy.deepcopy(gh.api.example("/repos/{owner}/{repo}/branches/{branch}"))
    name = params["branch"]
    branch.update(name=name, protected=name in gh.state.protected_branches)
    return 200, branch


def get_pull(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    pull = gh.pull(params["number"])
    rules = gh.state.branch_protection.get(pull["base"]["ref"])
    if rules and pull["state"] == "open" and pull["mergeable_state"] in ("clean", "blocked"):
        pull["mergeable_state"] = "clean" if gh.state.protection_met(pull, rules) else "blocked"
    return 200, pull


def list_reviews(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    gh.pull(params["number"])
    return 200, gh.state.reviews[int(params["number"])]


def get_commit(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    sha, api = params["ref"], f"https://api.github.com{gh.state.api}"
    person = {"name": "Octo Cat", "email": "octocat@example.invalid", "date": _now()}
    return 200, {
        "url": f"{api}/commits/{sha}",
        "sha": sha,
        "node_id": "C_1",
        "html_url": f"https://github.com/{gh.state.owner}/{gh.state.name}/commit/{sha}",
        "comments_url": f"{api}/commits/{sha}/comments",
        "author": (
            gh.state.user(gh.state.commit_authors[sha]) if sha in gh.state.commit_authors else None
        ),
        "committer": None,
        "parents": [],
        "commit": {
            "url": f"{api}/git/commits/{sha}",
            "author": person,
            "committer": person,
            "message": "change",
            "comment_count": 0,
            "tree": {"sha": "d" * 40, "url": f"{api}/git/trees/{'d' * 40}"},
        },
        "files": [],
        "stats": {"additions": 0, "deletions": 0, "total": 0},
    }


def combined_status(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    statuses = gh.state.statuses.get(params["ref"], [])
    states = {s["state"] for s in statuses}
    state = (
        "failure"
        if states & {"failure", "error"}
        else "pending" if "pending" in states or not statuses else "success"
    )
    minimal = {k: v for k, v in gh.state.repository.items()}
    return 200, {
        "state": state,
        "statuses": page_of(statuses, query),
        "sha": params["ref"],
        "total_count": len(statuses),
        "repository": minimal,
        "commit_url": f"{gh.url}{gh.state.api}/commits/{params['ref']}",
        "url": f"{gh.url}{gh.state.api}/commits/{params['ref']}/status",
    }


def list_statuses(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    """Every status of a ref, newest first, paginated (several per context over time)."""
    newest_first = list(reversed(gh.state.statuses.get(params["ref"], [])))
    return 200, page_of(newest_first, query)


def collaborator_permission(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    permission = gh.state.permissions.get(params["username"], "read")
    role = {"admin": "admin", "maintain": "maintain", "write": "write", "triage": "triage"}
    user = {**gh.state.user(params["username"]), "role_name": role.get(permission, "read")}
    shown = (
        "write" if permission == "maintain" else "read" if permission == "triage" else permission
    )
    return 200, {"permission": shown, "role_name": role.get(permission, "read"), "user": user}


def check_runs(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    runs = gh.state.check_runs.get(params["ref"], [])
    return 200, {
        "total_count": len(runs),
        "check_runs": page_of(runs, query),
    }


def merge_pull(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    pull = gh.pull(params["number"])
    if pull["state"] != "open" or pull["merged"]:
        raise ApiError(405, "Pull Request is not mergeable")
    if body and body.get("sha") and body["sha"] != pull["head"]["sha"]:
        raise ApiError(409, "Head branch was modified. Review and try the merge again.")
    if not pull["mergeable"]:
        raise ApiError(405, "Pull Request is not mergeable")
    if pull["base"]["ref"] in gh.state.merge_queue_branches:
        raise ApiError(405, "Changes must be made through the merge queue")
    sha = hashlib.sha1(
        f"merge-{pull['number']}".encode()
    ).hexdigest()  # noqa: S324 - a fake commit id
    pull.update(
        state="closed", merged=True, merged_at=_now(), closed_at=_now(), merge_commit_sha=sha
    )
    return 200, {"sha": sha, "merged": True, "message": "Pull Request successfully merged"}


def is_merged(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    if not gh.pull(params["number"])["merged"]:
        raise ApiError(404, "Not Found")
    return 204, None


def update_pull(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    pull = gh.pull(params["number"])
    if body.get("state") in ("open", "closed"):
        pull["state"] = body["state"]
        pull["closed_at"] = _now() if body["state"] == "closed" else None
    for key in ("title", "body"):
        if key in body:
            pull[key] = body[key]
    return 200, pull


def list_comments(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    return 200, gh.state.comments.get(int(params["number"]), [])


def create_comment(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    if not body or not isinstance(body.get("body"), str):
        raise ApiError(422, "Invalid request: body is required")
    comment = copy.deepcopy(gh.state._comment_template)
    comment.update(id=next(gh.state.ids), body=body["body"], created_at=_now(), updated_at=_now())
    comment["user"] = {**comment["user"], "login": gh.state.token_login, "type": "Bot"}
    gh.state.comments.setdefault(int(params["number"]), []).append(comment)
    return 201, comment


def get_comment(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    for comment in itertools.chain.from_iterable(gh.state.comments.values()):
        if comment["id"] == int(params["id"]):
            return 200, comment
    raise ApiError(404, "Not Found")


def edit_comment(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    for comment in itertools.chain.from_iterable(gh.state.comments.values()):
        if comment["id"] == int(params["id"]):
            comment.update(body=body["body"], updated_at=_now())
            return 200, comment
    raise ApiError(404, "Not Found")


def add_labels(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    pull = gh.pull(params["number"])
    names = body.get("labels", []) if isinstance(body, dict) else body
    for name in names:
        if name not in [label["name"] for label in pull["labels"]]:
            pull["labels"].append(
                {
                    "id": next(gh.state.ids),
                    "node_id": "L_1",
                    "url": f"{gh.url}/labels/{name}",
                    "name": name,
                    "description": "",
                    "color": "ededed",
                    "default": False,
                }
            )
    return 200, pull["labels"]


def update_branch(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    pull = gh.pull(params["number"])
    if body and body.get("expected_head_sha") not in (None, pull["head"]["sha"]):
        raise ApiError(422, "expected head sha didn't match current head ref.")
    gh.state.branch_updates.append(pull["number"])
    return 202, {"message": "Updating pull request branch.", "url": pull["html_url"]}


def delete_ref(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    ref = params["ref"]
    if ref in gh.state.deleted_refs:
        raise ApiError(422, "Reference does not exist")
    gh.state.deleted_refs.append(ref)
    gh.state.git.refs.pop(ref, None)
    return 204, None


def list_runs(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    sha = query.get("head_sha", [None])[0]
    wanted = query.get("status", [None])[0]
    branch = query.get("branch", [None])[0]
    runs = [
        r
        for _, r in sorted(gh.state.runs.items(), reverse=True)
        if (sha is None or r["head_sha"] == sha)
        and (wanted is None or wanted in (r["status"], r["conclusion"]))
        and (branch is None or r.get("head_branch") == branch)
    ]
    return 200, {
        "total_count": len(runs),
        "workflow_runs": page_of(runs, query),
    }


def get_run(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    run = gh.state.runs.get(int(params["run_id"]))
    if run is None:
        raise ApiError(404, "Not Found")
    return 200, run


def list_jobs(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    get_run(gh, params, query, body)
    jobs = gh.state.jobs[int(params["run_id"])]
    return 200, {"total_count": len(jobs), "jobs": jobs}


def list_attempt_jobs(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    run = get_run(gh, params, query, body)[1]
    attempt = int(params["attempt"])
    if attempt == run["run_attempt"]:
        jobs = gh.state.jobs[run["id"]]
    elif (run["id"], attempt) in gh.state.attempt_jobs:
        jobs = gh.state.attempt_jobs[(run["id"], attempt)]
    else:
        raise ApiError(404, "Not Found")
    return 200, {"total_count": len(jobs), "jobs": page_of(jobs, query)}


def job_logs(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    job_id = int(params["job_id"])
    if job_id not in gh.state.logs:
        raise ApiError(404, "Not Found")
    return 302, Redirect(f"{gh.url}/_logs/{job_id}")


def rerun_failed(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    run = get_run(gh, params, query, body)[1]
    if run["status"] != "completed":
        raise ApiError(403, "This workflow is already running")
    run.update(run_attempt=run["run_attempt"] + 1, status="queued", conclusion=None)
    gh.state.reruns.append(run["id"])
    return 201, {}


def check_suites(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    suites = gh.state.check_suites.get(params["ref"], [])
    return 200, {"total_count": len(suites), "check_suites": page_of(suites, query)}


def run_artifacts(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    get_run(gh, params, query, body)
    found = gh.state.artifacts.get(int(params["run_id"]), [])
    return 200, {"total_count": len(found), "artifacts": page_of(found, query)}


def artifact_zip(
    gh: LocalGitHub, params: dict[str, str], query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    if int(params["id"]) not in gh.state.artifact_zips:
        raise ApiError(404, "Not Found")
    return 302, Redirect(f"{gh.url}/_artifacts/{params['id']}")


def page_of(items: list[Any], query: dict[str, list[str]]) -> list[Any]:
    """One page of a list wrapped in an object (check runs, workflow runs): per_page <= 100."""
    per_page = min(int(query.get("per_page", ["30"])[0]), 100)
    page = int(query.get("page", ["1"])[0])
    return items[(page - 1) * per_page : page * per_page]


ROUTES: list[tuple[str, str, Handler]] = [
    (REPO, "GET", get_repo),
    (REPO + r"/pulls", "GET", list_pulls),
    (REPO + r"/pulls/(?P<number>\d+)", "GET", get_pull),
    (REPO + r"/pulls/(?P<number>\d+)", "PATCH", update_pull),
    (REPO + r"/pulls/(?P<number>\d+)/reviews", "GET", list_reviews),
    (REPO + r"/pulls/(?P<number>\d+)/merge", "PUT", merge_pull),
    (REPO + r"/pulls/(?P<number>\d+)/merge", "GET", is_merged),
    (REPO + r"/branches/(?P<branch>.+)", "GET", get_branch),
    (REPO + r"/commits/(?P<ref>[^/]+)", "GET", get_commit),
    (REPO + r"/commits/(?P<ref>[^/]+)/status", "GET", combined_status),
    (REPO + r"/commits/(?P<ref>[^/]+)/check-runs", "GET", check_runs),
    (REPO + r"/commits/(?P<ref>[^/]+)/statuses", "GET", list_statuses),
    (REPO + r"/collaborators/(?P<username>[^/]+)/permission", "GET", collaborator_permission),
    (REPO + r"/issues/(?P<number>\d+)/comments", "GET", list_comments),
    (REPO + r"/issues/(?P<number>\d+)/comments", "POST", create_comment),
    (REPO + r"/issues/comments/(?P<id>\d+)", "GET", get_comment),
    (REPO + r"/issues/comments/(?P<id>\d+)", "PATCH", edit_comment),
    (REPO + r"/issues/(?P<number>\d+)/labels", "POST", add_labels),
    (REPO + r"/pulls/(?P<number>\d+)/update-branch", "PUT", update_branch),
    (REPO + r"/git/refs/(?P<ref>.+)", "DELETE", delete_ref),
    (REPO + r"/actions/runs", "GET", list_runs),
    (REPO + r"/actions/runs/(?P<run_id>\d+)", "GET", get_run),
    (REPO + r"/actions/runs/(?P<run_id>\d+)/jobs", "GET", list_jobs),
    (
        REPO + r"/actions/runs/(?P<run_id>\d+)/attempts/(?P<attempt>\d+)/jobs",
        "GET",
        list_attempt_jobs,
    ),
    (REPO + r"/actions/jobs/(?P<job_id>\d+)/logs", "GET", job_logs),
    (REPO + r"/actions/runs/(?P<run_id>\d+)/rerun-failed-jobs", "POST", rerun_failed),
    (REPO + r"/commits/(?P<ref>[^/]+)/check-suites", "GET", check_suites),
    (REPO + r"/actions/runs/(?P<run_id>\d+)/artifacts", "GET", run_artifacts),
    (REPO + r"/actions/artifacts/(?P<id>\d+)/zip", "GET", artifact_zip),
    *more_routes.ROUTES,
]
