"""The local GitHub's git data, contents, tags, releases (with uploads), issues and new pulls.

Handlers take (server, path params, query, body) and return (status, JSON body), like the ones in
server.py; ROUTES here are appended to the server's table.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tests.support.github.gitdata import Commit, Entry, GitConflict
from tests.support.paths import load_event

if TYPE_CHECKING:
    from tests.support.github.server import LocalGitHub

Params = dict[str, str]
Query = dict[str, list[str]]
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _error(status: int, message: str) -> Exception:
    from tests.support.github.server import ApiError

    return ApiError(status, message)


def _api(gh: LocalGitHub) -> str:
    return f"https://api.github.com{gh.state.api}"


# --- git data -------------------------------------------------------------------------------


def ref_json(gh: LocalGitHub, ref: str, sha: str) -> dict[str, Any]:
    kind = "commit" if sha in gh.state.git.commits else "tag"
    plural = "commits" if kind == "commit" else "tags"
    return {
        "ref": f"refs/{ref}",
        "node_id": "REF_1",
        "url": f"{_api(gh)}/git/refs/{ref}",
        "object": {"type": kind, "sha": sha, "url": f"{_api(gh)}/git/{plural}/{sha}"},
    }


def commit_json(gh: LocalGitHub, commit: Commit) -> dict[str, Any]:
    api = _api(gh)
    html = f"https://github.com/{gh.state.owner}/{gh.state.name}/commit"

    def person(who: dict[str, str]) -> dict[str, str]:
        return {"name": who["name"], "email": who["email"], "date": who["date"]}

    return {
        "sha": commit.sha,
        "node_id": "GC_1",
        "url": f"{api}/git/commits/{commit.sha}",
        "html_url": f"{html}/{commit.sha}",
        "author": person(commit.author),
        "committer": person(commit.committer),
        "message": commit.message,
        "tree": {"sha": commit.tree, "url": f"{api}/git/trees/{commit.tree}"},
        "parents": [
            {"sha": p, "url": f"{api}/git/commits/{p}", "html_url": f"{html}/{p}"}
            for p in commit.parents
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "payload": None,
            "signature": None,
            "verified_at": None,
        },
    }


def tree_json(gh: LocalGitHub, sha: str) -> dict[str, Any]:
    api = _api(gh)
    entries = []
    for name, entry in sorted(gh.state.git.trees[sha].items()):
        item: dict[str, Any] = {
            "path": name,
            "mode": entry.mode,
            "type": entry.kind,
            "sha": entry.sha,
            "url": f"{api}/git/{entry.kind}s/{entry.sha}",
        }
        if entry.kind == "blob":
            item["size"] = len(gh.state.git.blobs[entry.sha])
        entries.append(item)
    return {"sha": sha, "url": f"{api}/git/trees/{sha}", "truncated": False, "tree": entries}


def get_ref(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    ref = params["ref"]
    sha = gh.state.git.refs.get(ref)
    if sha is None:
        raise _error(404, "Not Found")
    return 200, ref_json(gh, ref, sha)


def create_ref(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    ref, sha = str(body.get("ref", "")), str(body.get("sha", ""))
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise _error(422, "Reference name must start with 'refs/' and have at least two slashes.")
    name = ref.removeprefix("refs/")
    if name in gh.state.git.refs:
        raise _error(422, "Reference already exists")
    if sha not in gh.state.git.commits and sha not in gh.state.git.tags:
        raise _error(422, "Object does not exist")
    gh.state.git.refs[name] = sha
    return 201, ref_json(gh, name, sha)


def update_ref(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    name, sha = params["ref"], str(body.get("sha", ""))
    git = gh.state.git
    if name not in git.refs:
        raise _error(422, "Reference does not exist")
    if sha not in git.commits:
        raise _error(422, "Object does not exist")
    fast_forward = _is_ancestor(gh, git.refs[name], sha)
    if body.get("force") is not True and not fast_forward:
        raise _error(422, "Update is not a fast forward")
    gh.state.ref_updates.append((name, git.refs[name], sha, fast_forward))
    git.refs[name] = sha
    return 200, ref_json(gh, name, sha)


def _is_ancestor(gh: LocalGitHub, ancestor: str, sha: str) -> bool:
    pending, seen = [sha], set()
    while pending:
        current = pending.pop()
        if current == ancestor:
            return True
        if current in seen or current not in gh.state.git.commits:
            continue
        seen.add(current)
        pending.extend(gh.state.git.commits[current].parents)
    return False


def create_blob(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    if not isinstance(body.get("content"), str):
        raise _error(422, "Invalid request: content is required")
    raw = body["content"].encode()
    content = base64.b64decode(raw) if body.get("encoding") == "base64" else raw
    sha = gh.state.git.add_blob(content)
    return 201, {"url": f"{_api(gh)}/git/blobs/{sha}", "sha": sha}


def create_tree(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    git = gh.state.git
    base = body.get("base_tree")
    if base is not None and base not in git.trees:
        raise _error(422, "base_tree is not a valid tree oid")
    changes: dict[str, Entry | None] = {}
    for item in body.get("tree", []):
        path, mode = item["path"], item["mode"]
        if "content" in item:
            changes[path] = Entry(mode, "blob", git.add_blob(item["content"].encode()))
        elif item.get("sha") is None:
            changes[path] = None
        elif item["sha"] not in git.blobs and item["sha"] not in git.trees:
            raise _error(422, f"tree.sha {item['sha']} is not a valid blob")
        else:
            changes[path] = Entry(mode, item.get("type", "blob"), item["sha"])
    sha = git.apply(base, changes)
    return 201, tree_json(gh, sha)


def get_tree(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    if params["sha"] not in gh.state.git.trees:
        raise _error(404, "Not Found")
    return 200, tree_json(gh, params["sha"])


def create_commit(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    author = dict(body.get("author") or {"name": "github-actions[bot]", "email": "bot@local"})
    author.setdefault("date", _now())
    author["epoch"] = str(int(time.time()))
    try:
        commit = gh.state.git.add_commit(
            str(body.get("tree")),
            tuple(body.get("parents", [])),
            str(body.get("message", "")),
            author,
        )
    except GitConflict as error:
        raise _error(422, str(error)) from None
    return 201, commit_json(gh, commit)


def get_git_commit(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    commit = gh.state.git.commits.get(params["sha"])
    if commit is None:
        raise _error(404, "Not Found")
    return 200, commit_json(gh, commit)


def get_contents(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    git = gh.state.git
    ref = query.get("ref", ["main"])[0]
    sha = git.refs.get(f"heads/{ref}") or git.refs.get(f"tags/{ref}") or ref
    commit = git.commits.get(sha)
    entry = git.lookup(commit.tree, params["path"]) if commit else None
    if entry is None or entry.kind != "blob":
        raise _error(404, "Not Found")
    content, path = git.blobs[entry.sha], params["path"]
    api = _api(gh)
    url = f"{api}/contents/{quote(path)}?ref={ref}"
    html = f"https://github.com/{gh.state.owner}/{gh.state.name}/blob/{ref}/{path}"
    return 200, {
        "type": "file",
        "encoding": "base64",
        "size": len(content),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": base64.encodebytes(content).decode(),
        "sha": entry.sha,
        "url": url,
        "git_url": f"{api}/git/blobs/{entry.sha}",
        "html_url": html,
        "download_url": None,
        "_links": {"self": url, "git": f"{api}/git/blobs/{entry.sha}", "html": html},
    }


def list_matching_refs(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    prefix = params["ref"]
    return 200, [
        ref_json(gh, name, sha)
        for name, sha in sorted(gh.state.git.refs.items())
        if name.startswith(prefix)
    ]


# --- releases -------------------------------------------------------------------------------


def _release_template() -> dict[str, Any]:
    return copy.deepcopy(load_event("release", "published.1")["release"])


def release_json(gh: LocalGitHub, release: dict[str, Any]) -> dict[str, Any]:
    return {**release, "assets": list(release["assets"])}


def _find_release(gh: LocalGitHub, release_id: str) -> dict[str, Any]:
    release = gh.state.releases.get(int(release_id))
    if release is None:
        raise _error(404, "Not Found")
    return release


def create_release(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    tag = body.get("tag_name")
    if not tag:
        raise _error(422, "Validation Failed: tag_name is missing")
    if any(r["tag_name"] == tag for r in gh.state.releases.values()):
        raise _error(422, "Validation Failed: already_exists tag_name")
    git = gh.state.git
    target = body.get("target_commitish") or "main"
    sha = git.refs.get(f"heads/{target}", target)
    if f"tags/{tag}" not in git.refs:
        if sha not in git.commits:
            raise _error(422, "Validation Failed: target_commitish is invalid")
        git.refs[f"tags/{tag}"] = sha
    release_id = next(gh.state.ids)
    api, page = _api(gh), f"https://github.com/{gh.state.owner}/{gh.state.name}"
    release = _release_template()
    release.update(
        id=release_id,
        url=f"{api}/releases/{release_id}",
        assets_url=f"{api}/releases/{release_id}/assets",
        upload_url=f"https://api.github.com/api/uploads{gh.state.api}/releases/{release_id}/assets{{?name,label}}",
        html_url=f"{page}/releases/tag/{tag}",
        tag_name=tag,
        target_commitish=target,
        name=body.get("name"),
        body=body.get("body"),
        draft=bool(body.get("draft", False)),
        prerelease=bool(body.get("prerelease", False)),
        created_at=_now(),
        published_at=_now(),
        tarball_url=f"{api}/tarball/{tag}",
        zipball_url=f"{api}/zipball/{tag}",
        assets=[],
    )
    gh.state.releases[release_id] = release
    return 201, release_json(gh, release)


def release_by_tag(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    for release in gh.state.releases.values():
        if release["tag_name"] == params["tag"]:
            return 200, release_json(gh, release)
    raise _error(404, "Not Found")


def get_release(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    return 200, release_json(gh, _find_release(gh, params["id"]))


def latest_release(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    published = [r for r in gh.state.releases.values() if not r["draft"] and not r["prerelease"]]
    if not published:
        raise _error(404, "Not Found")
    return 200, release_json(gh, max(published, key=lambda r: r["id"]))


def update_release(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    release = _find_release(gh, params["id"])
    for key in ("name", "body", "draft", "prerelease", "tag_name"):
        if key in body:
            release[key] = body[key]
    return 200, release_json(gh, release)


def list_releases(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    return 200, [release_json(gh, r) for _, r in sorted(gh.state.releases.items(), reverse=True)]


def upload_asset(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    """POST on the uploads path: the raw bytes are the body, the name is a query parameter."""
    release = _find_release(gh, params["id"])
    name = query.get("name", [""])[0]
    if not name:
        raise _error(422, "Validation Failed: name is missing")
    if any(asset["name"] == name for asset in release["assets"]):
        raise _error(422, "Validation Failed: already_exists name")
    content = body if isinstance(body, bytes) else b""
    asset_id = next(gh.state.ids)
    api = _api(gh)
    asset = {
        "id": asset_id,
        "node_id": "RA_1",
        "name": name,
        "label": query.get("label", [""])[0] or None,
        "content_type": gh.state.last_content_type or "application/octet-stream",
        "size": len(content),
        "digest": "sha256:" + hashlib.sha256(content).hexdigest(),
        "state": "uploaded",
        "url": f"{api}/releases/assets/{asset_id}",
        "browser_download_url": f"https://api.github.com/_assets/{asset_id}/{name}",
        "download_count": 0,
        "created_at": _now(),
        "updated_at": _now(),
        "uploader": copy.deepcopy(release["author"]),
    }
    gh.state.assets[asset_id] = content
    release["assets"].append(asset)
    return 201, asset


def get_asset(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    from tests.support.github.server import Redirect

    for release in gh.state.releases.values():
        for asset in release["assets"]:
            if asset["id"] == int(params["id"]):
                if "application/octet-stream" in gh.state.last_accept:
                    return 302, Redirect(f"{gh.url}/_assets/{asset['id']}/{asset['name']}")
                return 200, asset
    raise _error(404, "Not Found")


def update_asset(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    """Rename an asset (422 when another asset of the release has that name, as on GitHub)."""
    for release in gh.state.releases.values():
        for asset in release["assets"]:
            if asset["id"] == int(params["id"]):
                name = (body or {}).get("name", asset["name"])
                if any(a["name"] == name and a is not asset for a in release["assets"]):
                    raise _error(422, "Validation Failed")
                asset["name"] = name
                asset["browser_download_url"] = (
                    f"https://api.github.com/_assets/{asset['id']}/{name}"
                )
                return 200, asset
    raise _error(404, "Not Found")


def delete_asset(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    for release in gh.state.releases.values():
        for asset in list(release["assets"]):
            if asset["id"] == int(params["id"]):
                release["assets"].remove(asset)
                gh.state.assets.pop(asset["id"], None)
                return 204, None
    raise _error(404, "Not Found")


# --- issues and new pull requests ----------------------------------------------------------


def _next_number(gh: LocalGitHub) -> int:
    return max([0, *gh.state.pulls, *gh.state.issues]) + 1


def _label(gh: LocalGitHub, name: str) -> dict[str, Any]:
    return {
        "id": next(gh.state.ids),
        "node_id": "L_1",
        "url": f"{_api(gh)}/labels/{quote(name)}",
        "name": name,
        "description": "",
        "color": "ededed",
        "default": False,
    }


def create_issue(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    if not body or not body.get("title"):
        raise _error(422, "Validation Failed: title is missing")
    issue = copy.deepcopy(load_event("issue_comment", "created.1")["issue"])
    number = _next_number(gh)
    api = _api(gh)
    issue.update(
        id=next(gh.state.ids),
        number=number,
        title=body["title"],
        body=body.get("body"),
        state="open",
        state_reason=None,
        closed_at=None,
        comments=0,
        created_at=_now(),
        updated_at=_now(),
        url=f"{api}/issues/{number}",
        repository_url=api,
        comments_url=f"{api}/issues/{number}/comments",
        events_url=f"{api}/issues/{number}/events",
        labels_url=f"{api}/issues/{number}/labels{{/name}}",
        html_url=f"https://github.com/{gh.state.owner}/{gh.state.name}/issues/{number}",
        labels=[_label(gh, name) for name in body.get("labels", [])],
    )
    issue.pop("pull_request", None)
    gh.state.issues[number] = issue
    gh.state.comments.setdefault(number, [])
    return 201, issue


def _issue(gh: LocalGitHub, number: str) -> dict[str, Any]:
    issue = gh.state.issues.get(int(number))
    if issue is None:
        raise _error(404, "Not Found")
    return issue


def get_issue(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    return 200, _issue(gh, params["number"])


def edit_issue(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    issue = _issue(gh, params["number"])
    for key in ("title", "body"):
        if key in body:
            issue[key] = body[key]
    if body.get("state") in ("open", "closed") and body["state"] != issue["state"]:
        issue["state"] = body["state"]
        issue["closed_at"] = _now() if body["state"] == "closed" else None
        issue["state_reason"] = "completed" if body["state"] == "closed" else "reopened"
    if "labels" in body:
        issue["labels"] = [_label(gh, name) for name in body["labels"]]
    issue["updated_at"] = _now()
    return 200, issue


def list_issues(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    wanted = query.get("state", ["open"])[0]
    labels = set(filter(None, query.get("labels", [""])[0].split(",")))
    return 200, [
        issue
        for _, issue in sorted(gh.state.issues.items())
        if (wanted == "all" or issue["state"] == wanted)
        and labels <= {label["name"] for label in issue["labels"]}
    ]


def search_issues(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    """`GET /search/issues` for the qualifiers OASIS uses: repo:, is:issue, is:open, label:."""
    terms = query.get("q", [""])[0].split()
    found = []
    for _, issue in sorted(gh.state.issues.items()):
        names = {label["name"] for label in issue["labels"]}
        keep = True
        for term in terms:
            key, _, value = term.partition(":")
            value = value.strip('"')
            if key == "repo":
                keep &= value == f"{gh.state.owner}/{gh.state.name}"
            elif key == "label":
                keep &= value in names
            elif key == "is" and value in ("open", "closed"):
                keep &= issue["state"] == value
        if keep:
            found.append({**issue, "score": 1.0})
    return 200, {
        "total_count": len(found),
        "incomplete_results": False,
        "search_type": "lexical",
        "items": found,
    }


def create_pull(gh: LocalGitHub, params: Params, query: Query, body: Any) -> tuple[int, Any]:
    head, base = str(body.get("head", "")), str(body.get("base", ""))
    git = gh.state.git
    head_ref = head.split(":", 1)[-1]
    if f"heads/{head_ref}" not in git.refs or f"heads/{base}" not in git.refs:
        raise _error(422, "Validation Failed: head or base does not exist")
    for pull in gh.state.pulls.values():
        if pull["state"] == "open" and pull["head"]["ref"] == head_ref:
            raise _error(422, f"A pull request already exists for {gh.state.owner}:{head_ref}.")
    number = _next_number(gh)
    pull = gh.state.add_pull(number, git.refs[f"heads/{head_ref}"], title=body.get("title", ""))
    pull["head"]["ref"] = head_ref
    pull["base"]["ref"] = base
    pull["base"]["sha"] = git.refs[f"heads/{base}"]
    pull["body"] = body.get("body")
    return 201, pull


ROUTES: list[tuple[str, str, Any]] = [
    (REPO + r"/git/ref/(?P<ref>.+)", "GET", get_ref),
    (REPO + r"/git/matching-refs/(?P<ref>.+)", "GET", list_matching_refs),
    (REPO + r"/git/refs", "POST", create_ref),
    (REPO + r"/git/refs/(?P<ref>.+)", "PATCH", update_ref),
    (REPO + r"/git/blobs", "POST", create_blob),
    (REPO + r"/git/trees", "POST", create_tree),
    (REPO + r"/git/trees/(?P<sha>[0-9a-f]{40})", "GET", get_tree),
    (REPO + r"/git/commits", "POST", create_commit),
    (REPO + r"/git/commits/(?P<sha>[0-9a-f]{40})", "GET", get_git_commit),
    (REPO + r"/contents/(?P<path>.+)", "GET", get_contents),
    (REPO + r"/releases", "GET", list_releases),
    (REPO + r"/releases", "POST", create_release),
    (REPO + r"/releases/latest", "GET", latest_release),
    (REPO + r"/releases/tags/(?P<tag>[^/]+)", "GET", release_by_tag),
    (REPO + r"/releases/(?P<id>\d+)", "GET", get_release),
    (REPO + r"/releases/(?P<id>\d+)", "PATCH", update_release),
    (r"/api/uploads" + REPO + r"/releases/(?P<id>\d+)/assets", "POST", upload_asset),
    (REPO + r"/releases/assets/(?P<id>\d+)", "GET", get_asset),
    (REPO + r"/releases/assets/(?P<id>\d+)", "DELETE", delete_asset),
    (REPO + r"/releases/assets/(?P<id>\d+)", "PATCH", update_asset),
    (REPO + r"/issues", "GET", list_issues),
    (REPO + r"/issues", "POST", create_issue),
    (REPO + r"/issues/(?P<number>\d+)", "GET", get_issue),
    (REPO + r"/issues/(?P<number>\d+)", "PATCH", edit_issue),
    (REPO + r"/pulls", "POST", create_pull),
    (r"/search/issues", "GET", search_issues),
]
