"""Git data, pull requests, issues and releases through the port, against the local GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from oasis_action.github.client import GitHubError, Settings, connect
from oasis_action.github.port import FileChange
from tests.support.github.server import LocalGitHub
from tests.support.repos import git, make_repo

AUTHOR = ("oasis-bot", "oasis@example.invalid")


def settings(gh: LocalGitHub, **extra: object) -> Settings:
    return Settings(api_url=gh.url, token=gh.token, repository="octo-org/octo-repo", **extra)  # type: ignore[arg-type]


@pytest.fixture
def seeded(local_github: LocalGitHub, tmp_path: Path) -> tuple[LocalGitHub, Path, str]:
    repo = make_repo(
        tmp_path / "repo",
        {"README.md": "# demo\n", "src/app.py": "x = 1\n", "src/deep/util.py": "y = 2\n"},
    )
    head = local_github.state.git.import_repository(repo)
    return local_github, repo, head


def test_commit_through_git_data_api_matches_git_itself(
    seeded: tuple[LocalGitHub, Path, str],
) -> None:
    gh, repo, head = seeded
    changes = [FileChange("src/app.py", "x = 2\n"), FileChange("src/deep/new.py", "z = 3\n")]
    with connect(settings(gh), print) as (port, budget):
        sha = port.commit_files(head, changes, "style: auto-fix", AUTHOR)
        commit = port.git_commit(sha)
    assert commit.parents == (head,) and commit.message == "style: auto-fix"
    assert commit.author_name == "oasis-bot"
    assert budget.used == 4
    for change in changes:
        path = repo / change.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change.content)
    git(repo, "add", "-A")
    assert commit.tree == git(repo, "write-tree").strip()


def test_branches_fast_forward_or_force(seeded: tuple[LocalGitHub, Path, str]) -> None:
    gh, _, head = seeded
    with connect(settings(gh), print) as (port, _):
        assert port.branch_sha("oasis/auto-fix") is None
        port.create_branch("oasis/auto-fix", head)
        one = port.commit_files(head, [FileChange("a.txt", "1\n")], "one", AUTHOR)
        port.move_branch("oasis/auto-fix", one, force=False)
        other = port.commit_files(head, [FileChange("a.txt", "2\n")], "two", AUTHOR)
        with pytest.raises(GitHubError, match="422.*fast forward"):
            port.move_branch("oasis/auto-fix", other, force=False)
        port.move_branch("oasis/auto-fix", other, force=True)
        assert port.branch_sha("oasis/auto-fix") == other
        port.create_tag("v1.0.0", head)
        assert port.tag_sha("v1.0.0") == head and port.tag_sha("v9.9.9") is None
        with pytest.raises(GitHubError, match="already exists"):
            port.create_tag("v1.0.0", head)
    assert [(name, ff) for name, _, _, ff in gh.state.ref_updates] == [
        ("heads/oasis/auto-fix", True),
        ("heads/oasis/auto-fix", False),
    ]


def test_pull_requests_open_find_and_edit(seeded: tuple[LocalGitHub, Path, str]) -> None:
    gh, _, head = seeded
    with connect(settings(gh), print) as (port, _):
        assert port.default_branch() == gh.state.repository["default_branch"]
        port.create_branch("fix", head)
        assert port.find_pull("fix") is None
        number = port.create_pull("fix", "main", "Auto-fix", "body one")
        found = port.find_pull("fix")
        assert found is not None and found.number == number and found.head_sha == head
        port.edit_pull(number, "Auto-fix", "body two")
        with pytest.raises(GitHubError, match="422.*already exists"):
            port.create_pull("fix", "main", "again", "")
    assert gh.state.pulls[number]["body"] == "body two"


def test_issues_by_label(local_github: LocalGitHub) -> None:
    with connect(settings(local_github), print) as (port, _):
        assert port.find_issue("oasis:health") is None
        number = port.create_issue("OASIS health report", "all bad", ["oasis:health"])
        port.create_issue("unrelated", "", ["bug"])
        found = port.find_issue("oasis:health")
        assert found is not None and found.number == number and found.state == "open"
        port.edit_issue(number, "OASIS health report", "all good", "closed")
        closed = port.find_issue("oasis:health")
    assert closed is not None and closed.state == "closed" and closed.body == "all good"


def test_search_issues_endpoint(local_github: LocalGitHub) -> None:
    with connect(settings(local_github), print) as (port, _):
        port.create_issue("report", "", ["oasis:health"])
    answer = requests.get(
        f"{local_github.url}/search/issues",
        params={"q": "repo:octo-org/octo-repo is:issue is:open label:oasis:health"},
        headers={"Authorization": f"token {local_github.token}"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["total_count"] == 1


def test_release_assets_upload_replace_download(
    seeded: tuple[LocalGitHub, Path, str], tmp_path: Path
) -> None:
    gh, _, head = seeded
    model = tmp_path / "model.txt"
    model.write_bytes(b"tree\nversion=v4\n" * 100)
    with connect(settings(gh), print) as (port, _):
        assert port.release("v1.0.0") is None and port.latest_release() is None
        created = port.create_release("v1.0.0", "v1.0.0", "notes", "main")
        assert created is not None and port.tag_sha("v1.0.0") == head
        port.upload_asset(created.id, str(model), "model.txt", "text/plain")
        release = port.release("v1.0.0")
        assert release is not None and release.body == "notes"
        asset = release.asset("model.txt")
        assert asset is not None and asset.size == model.stat().st_size
        assert port.download_asset(asset.id) == model.read_bytes()
        port.delete_asset(asset.id)
        port.update_release(release.id, "v1.0.0", "new notes")
        latest = port.latest_release()
    assert latest is not None and latest.assets == () and latest.body == "new notes"
    assert not any("Authorization" in r.path for r in gh.requests)


def test_dry_run_makes_no_git_writes(seeded: tuple[LocalGitHub, Path, str]) -> None:
    gh, _, head = seeded
    with connect(settings(gh, dry_run=True), print) as (port, _):
        assert port.branch_sha("main") == head
        assert port.commit_files(head, [FileChange("a", "b")], "m", AUTHOR) is None
        port.create_branch("x", head)
        assert port.create_pull("x", "main", "t", "b") is None
        assert port.create_issue("t", "b", []) is None
    assert gh.writes() == []


def test_check_suites_endpoint(local_github: LocalGitHub) -> None:
    from github import Auth, Github

    local_github.state.add_check_suite("b" * 40, "failure")
    client = Github(auth=Auth.Token(local_github.token), base_url=local_github.url)
    suites = list(client.get_repo("octo-org/octo-repo").get_commit("b" * 40).get_check_suites())
    assert [(s.head_sha, s.conclusion) for s in suites] == [("b" * 40, "failure")]
