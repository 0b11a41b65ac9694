"""Releases people can trust (#16): the next version from commits and model, a tag namespace
of OASIS's own, never taking over a release it did not make, a gate against its own latest
model release, reconciled tags, and errors that say what is wrong."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from oasis_action.ml.data import bundled_dataset
from tests.support.cli import oasis
from tests.support.github.server import LocalGitHub
from tests.support.repos import git, make_repo

REPO = ("--repo", "octo-org/octo-repo")


@pytest.fixture
def project(local_github: LocalGitHub, tmp_path: Path) -> tuple[LocalGitHub, Path]:
    workspace = make_repo(
        tmp_path / "ws", {"README.md": "# m\n", "data/train.csv": bundled_dataset().read_text()}
    )
    git(workspace, "commit", "-q", "--allow-empty", "-m", "feat: first model")
    local_github.state.git.import_repository(
        workspace, local_github.state.repository["default_branch"]
    )
    return local_github, workspace


def env(gh: LocalGitHub) -> dict[str, str]:
    return {"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": gh.token}


def train(workspace: Path, *extra: str) -> dict[str, object]:
    code, out, err = oasis(
        workspace, "train", "--data", "data/train.csv", "--no-plots", "--json", *extra
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def release(gh: LocalGitHub, workspace: Path) -> tuple[int, str, str]:
    return oasis(workspace, "release", "--no-confirm", *REPO, env=env(gh))


def commit(workspace: Path, message: str) -> None:
    git(workspace, "commit", "-q", "--allow-empty", "-m", message)


def test_the_next_version_comes_from_commits_and_model(
    project: tuple[LocalGitHub, Path],
) -> None:
    gh, workspace = project
    assert train(workspace)["version"] == "0.1.0"
    assert release(gh, workspace)[0] == 0
    commit(workspace, "feat: a new input")
    second = train(workspace)
    assert second["version"] == "0.2.0", "same data, same model: the feat commit makes it minor"
    assert any("1 feat since model-v0.1.0 (minor)" in line for line in second["bump_why"])
    commit(workspace, "fix: a typo")
    assert train(workspace)["version"] == "0.2.1"
    third = train(workspace, "--features", "mean_radius,mean_texture,mean_area")
    assert third["version"] == "1.0.0", "three features instead of thirty is a major change"
    assert any("the feature set changed (major)" in line for line in third["bump_why"])


def test_a_release_oasis_did_not_make_is_never_edited(project: tuple[LocalGitHub, Path]) -> None:
    gh, workspace = project
    train(workspace)
    human = make_human_release(gh, "model-v0.1.0", "Hand-written notes")
    code, _, err = release(gh, workspace)
    assert code == 1 and "was not made by OASIS" in err and len(err.strip().splitlines()) == 1
    assert human["body"] == "Hand-written notes" and human["assets"] == []


def make_human_release(gh: LocalGitHub, tag: str, body: str) -> dict[str, object]:
    from tests.support.github import more_routes

    status, created = more_routes.create_release(
        gh,
        {},
        {},
        {
            "tag_name": tag,
            "name": tag,
            "body": body,
            "target_commitish": gh.state.repository["default_branch"],
        },
    )
    assert status == 201
    return gh.state.releases[created["id"]]  # type: ignore[no-any-return]


def test_the_gate_compares_with_oasis_own_latest_model_release(
    project: tuple[LocalGitHub, Path],
) -> None:
    """A code release `v2.0.0` (no metadata.json) made the seed's gate pass anything."""
    gh, workspace = project
    train(workspace)
    assert release(gh, workspace)[0] == 0
    make_human_release(gh, "v2.0.0", "code release")
    frame = pd.read_csv(workspace / "data/train.csv")
    frame["target"] = frame["target"].sample(frac=1.0, random_state=3).to_numpy()
    frame.to_csv(workspace / "data/train.csv", index=False)
    worse = train(workspace, "--bump", "patch")
    assert worse["metrics"]["auc"] < 0.8  # type: ignore[index]
    code, _, err = release(gh, workspace)
    assert code == 1 and "vs released" in err and "the regression gate fails" in err
    assert sorted(r["tag_name"] for r in gh.state.releases.values()) == ["model-v0.1.0", "v2.0.0"]


def test_a_schema_change_needs_a_major_version(project: tuple[LocalGitHub, Path]) -> None:
    gh, workspace = project
    train(workspace)
    assert release(gh, workspace)[0] == 0
    train(workspace, "--features", "mean_radius,mean_texture", "--bump", "minor")
    code, _, err = release(gh, workspace)
    assert code == 1 and "the feature set changed since model-v0.1.0" in err


def test_local_and_remote_tags_must_agree(project: tuple[LocalGitHub, Path]) -> None:
    gh, workspace = project
    train(workspace)
    commit(workspace, "chore: somewhere else")
    git(workspace, "tag", "model-v0.1.0", "HEAD~1")
    code, _, err = release(gh, workspace)
    assert code == 1 and "tag model-v0.1.0 here names" in err
    assert gh.state.releases == {}


def test_commits_after_a_release_are_unreleased(project: tuple[LocalGitHub, Path]) -> None:
    gh, workspace = project
    train(workspace)
    assert release(gh, workspace)[0] == 0
    git(workspace, "fetch", "-q", "--tags", str(workspace))  # the tag is local already
    commit(workspace, "feat: after the release")
    code, out, _ = oasis(workspace, "changelog", "--output", "CHANGELOG.md")
    assert code == 0 and out.startswith("## [Unreleased]") and "after the release" in out
    (workspace / "CHANGELOG.md").write_text("## [0.1.0] - 2026-01-01\n\n- first\n")
    for _ in range(2):
        assert oasis(workspace, "changelog", "--output", "CHANGELOG.md")[0] == 0
    text = (workspace / "CHANGELOG.md").read_text()
    assert text.count("## [Unreleased]") == 1 and text.index("[Unreleased]") < text.index("[0.1.0]")


def test_errors_say_what_is_wrong(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    code, out, err = oasis(outside, "changelog")
    assert code == 2 and "is not a git repository" in err and out == ""
    empty = tmp_path / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q", str(empty)], check=True)
    code, _, err = oasis(empty, "changelog")
    assert code == 2 and "has no commits yet" in err
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    code, _, err = oasis(repo, "changelog", "--since", "v9.9.9")
    assert code == 2 and "is not a tag or commit" in err
    latin = "fix: caf\xe9 cr\xe8me".encode("latin-1")
    subprocess.run(
        ["git", "-C", str(repo), "-c", "i18n.commitEncoding=latin-1", "commit", "-q",
         "--allow-empty", "-F", "-"],
        input=latin, check=True,
    )  # fmt: skip
    code, out, err = oasis(repo, "changelog")
    assert code == 0 and "### Fixed" in out and "internal error" not in err
    no_model = [oasis(repo, name)[0] for name in ("version", "bump-version")]
    assert no_model == [1, 1]


def test_a_shallow_clone_is_said(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin", {"a.txt": "a\n"})
    for n in range(3):
        commit(origin, f"fix: number {n}")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow)], check=True
    )
    code, _, err = oasis(shallow, "changelog")
    assert code == 0 and "shallow clone" in err
