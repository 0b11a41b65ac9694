"""changelog, release and train-and-release against the local GitHub, on a real git checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from oasis_action.ml.data import bundled_dataset
from oasis_action.release import changelog, gate
from oasis_action.release.commits import parse
from tests.support.cli import oasis
from tests.support.github.server import LocalGitHub
from tests.support.paths import PROJECT_ROOT
from tests.support.repos import git, make_repo
from tests.support.runner import RunnerSandbox, Step, run_inprocess

ACTION = PROJECT_ROOT / "actions" / "train-and-release" / "action.yml"


def test_changelog_groups_conventional_commits() -> None:
    messages = [
        "feat(cli): add rollback",
        "fix: keep history untorn",
        "chore: bump deps",
        "refactor!: new store layout",
        "not conventional",
    ]
    text = changelog.render(
        changelog.Section(
            "1.2.0",
            "2026-11-23",
            [c for c in (parse(m) for m in messages) if c],
            {"auc": 0.99},
            {"auc": 0.98},
        )
    )
    assert text.startswith("## [1.2.0] - 2026-11-23\n")
    assert "### Added\n\n- **cli:** add rollback" in text
    assert "### Fixed\n\n- keep history untorn" in text
    assert "- **BREAKING** new store layout" in text
    assert "- auc: 0.9900 (+0.0100 vs previous)" in text
    assert "bump deps" not in text and "not conventional" not in text


@pytest.mark.parametrize(
    ("new", "released", "higher", "passed"),
    [
        (0.97, 0.98, True, True),
        (0.95, 0.98, True, False),
        (0.5, None, True, True),
        (1.05, 1.0, False, False),
    ],
)
def test_regression_gate(new: float, released: float | None, higher: bool, passed: bool) -> None:
    assert gate.check("m", new, released, 0.02, higher).passed is passed


@pytest.fixture
def project(local_github: LocalGitHub, tmp_path: Path) -> tuple[LocalGitHub, Path]:
    workspace = make_repo(
        tmp_path / "ws", {"README.md": "# model\n", "data/train.csv": bundled_dataset().read_text()}
    )
    git(workspace, "commit", "-q", "--allow-empty", "-m", "feat: first model")
    local_github.state.git.import_repository(
        workspace, local_github.state.repository["default_branch"]
    )
    return local_github, workspace


def step(gh: LocalGitHub, **inputs: str) -> Step:
    github = {
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": "octo-org/octo-repo",
        "GITHUB_EVENT_NAME": "workflow_dispatch",
    }
    return Step(
        ACTION, {"data": "data/train.csv", **inputs}, event={}, github=github, token=gh.token
    )


def test_train_and_release_then_rerelease_is_idempotent(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = project
    result = run_inprocess(step(gh), RunnerSandbox.create(tmp_path / "r1", workspace))
    assert result.returncode == 0, result.log
    assert result.outputs["action-taken"] == "released" and result.outputs["version"] == "0.1.0"
    assert json.loads(result.outputs["metrics"])["auc"] >= 0.985
    (release,) = gh.state.releases.values()
    assert release["tag_name"] == "model-v0.1.0"
    assert "### Added\n\n- first model" in release["body"]
    first_notes = release["body"]
    assert {a["name"] for a in release["assets"]} == {
        "model.txt",
        "metadata.json",
        "importance.png",
        "roc.png",
    }
    model = next(a for a in release["assets"] if a["name"] == "model.txt")
    stored = (workspace / "models/current/model.txt").read_bytes()
    assert gh.state.assets[model["id"]] == stored
    meta = next(a for a in release["assets"] if a["name"] == "metadata.json")
    assert json.loads(gh.state.assets[meta["id"]])["metrics"]["auc"] >= 0.985
    assert gh.state.git.refs["tags/model-v0.1.0"] == git(workspace, "rev-parse", "HEAD").strip()
    assert git(workspace, "tag") == "model-v0.1.0\n"
    assert "| auc |" in result.summary

    code, out, err = oasis(
        workspace,
        "release",
        "--no-confirm",
        "--repo",
        "octo-org/octo-repo",
        env={"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": gh.token},
    )
    assert code == 0, err
    assert "release model-v0.1.0 updated" in out
    assert len(gh.state.releases) == 1
    assert release["body"] == first_notes, "a re-run rebuilds the same notes, not an empty section"
    assert sorted(a["name"] for a in release["assets"]) == [
        "importance.png",
        "metadata.json",
        "model.txt",
        "roc.png",
    ]


def test_a_worse_model_is_blocked_and_rolled_back(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = project
    first = run_inprocess(step(gh), RunnerSandbox.create(tmp_path / "r1", workspace))
    assert first.returncode == 0, first.log
    frame = pd.read_csv(workspace / "data/train.csv")
    frame["target"] = frame["target"].sample(frac=1.0, random_state=3).to_numpy()
    frame.to_csv(workspace / "data/train.csv", index=False)
    second = run_inprocess(step(gh), RunnerSandbox.create(tmp_path / "r2", workspace))
    assert second.returncode == 1
    assert "the regression gate fails" in second.stderr
    assert "back at 0.1.0" in second.log
    assert (workspace / "models/current").resolve().name == "0.1.0"
    assert len(gh.state.releases) == 1


def test_release_without_a_model_or_prompt_is_bad_input(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    env = {"GITHUB_API_URL": local_github.url, "GITHUB_TOKEN": local_github.token}
    code, _, err = oasis(
        tmp_path, "release", "--no-confirm", "--repo", "octo-org/octo-repo", env=env
    )
    assert code == 1 and "no model in" in err and "run `oasis train` first" in err
    code, _, err = oasis(tmp_path, "release", "--repo", "octo-org/octo-repo", env=env)
    assert code == 2 and "pass --no-confirm" in err


def test_changelog_command_writes_atomically(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "c", {"a.txt": "a\n"})
    git(repo, "tag", "model-v0.1.0")
    for message in ("feat: one", "fix: two"):
        git(repo, "commit", "-q", "--allow-empty", "-m", message)
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2026-01-01\n\n- old\n")
    code, out, _ = oasis(repo, "changelog", "--version", "0.2.0", "--output", "CHANGELOG.md")
    assert code == 0 and "### Added\n\n- one" in out
    text = (repo / "CHANGELOG.md").read_text()
    assert text.index("## [0.2.0]") < text.index("## [0.1.0]") and "- old" in text


@pytest.mark.parametrize("since", ["--output=written-by-git.txt", "v9.9.9", "-p"])
def test_since_is_a_revision_never_a_git_option(tmp_path: Path, since: str) -> None:
    from tests.support.repos import make_repo

    make_repo(tmp_path, {"a.txt": "a\n"})
    code, _, err = oasis(tmp_path, "changelog", f"--since={since}")
    assert code == 2 and "is not a tag or commit of this repository" in err
    assert not (tmp_path / "written-by-git.txt").exists()


def test_a_planted_link_in_the_next_version_folder_is_never_published(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    """`models/versions/0.1.0/x.png -> ../../../.git/config` (committed by a pull request)
    would publish the checkout's credentials as a release asset."""
    gh, workspace = project
    (workspace / ".git" / "config").write_text(
        (workspace / ".git" / "config").read_text()
        + "[http]\n  extraheader = AUTHORIZATION: basic c2VjcmV0\n"
    )
    planted = workspace / "models" / "versions" / "0.1.0"
    planted.mkdir(parents=True)
    (planted / "x.png").symlink_to(workspace / ".git" / "config")
    (planted / "stale.png").write_bytes(b"not ours")
    result = run_inprocess(step(gh), RunnerSandbox.create(tmp_path / "r1", workspace))
    assert result.returncode == 0, result.log
    (release,) = gh.state.releases.values()
    assert {a["name"] for a in release["assets"]} == {
        "model.txt", "metadata.json", "importance.png", "roc.png",
    }  # fmt: skip
    assert not any(b"extraheader" in data for data in gh.state.assets.values())
    assert not (planted / "x.png").exists() and not (planted / "stale.png").exists()


def test_release_refuses_a_plot_that_is_not_the_one_training_wrote(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = project
    code, _, err = oasis(workspace, "train", "--data", "data/train.csv", "--num-boost-round", "5")
    assert code == 0, err
    version = (workspace / "models/current/version.txt").read_text().strip()
    plot = workspace / "models/versions" / version / "roc.png"
    plot.unlink()
    plot.symlink_to(workspace / ".git" / "config")
    env = {"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": gh.token}
    code, _, err = oasis(
        workspace, "release", "--no-confirm", "--repo", "octo-org/octo-repo", env=env
    )
    assert code == 1 and "refusing to release roc.png" in err
    assert gh.state.releases == {} or not any(
        a["name"] == "roc.png" for r in gh.state.releases.values() for a in r["assets"]
    )


def test_a_dry_run_release_writes_nothing_not_even_a_local_tag(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    gh, workspace = project
    code, _, err = oasis(workspace, "train", "--data", "data/train.csv", "--num-boost-round", "5")
    assert code == 0, err
    env = {"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": gh.token}
    code, out, err = oasis(
        workspace, "release", "--dry-run", "--repo", "octo-org/octo-repo", env=env
    )
    assert code == 0, err
    assert git(workspace, "tag") == "", "a dry run must not tag: the next changelog would be empty"
    assert gh.writes() == [] and gh.state.releases == {}


def test_a_failed_upload_never_leaves_the_release_without_its_model(
    project: tuple[LocalGitHub, Path], tmp_path: Path
) -> None:
    """Replacing assets deleted the old one before uploading the new: a failed upload left the
    release without model.txt. Now the new one goes up first, under a temporary name."""
    from tests.support.github.server import Fault

    gh, workspace = project
    first = run_inprocess(step(gh), RunnerSandbox.create(tmp_path / "r1", workspace))
    assert first.returncode == 0, first.log
    (release,) = gh.state.releases.values()
    before = {a["name"]: gh.state.assets[a["id"]] for a in release["assets"]}
    gh.inject(Fault("POST", r"/api/uploads/.*/assets", status=502, times=1))
    env = {"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": gh.token}
    code, _, err = oasis(
        workspace, "release", "--no-confirm", "--repo", "octo-org/octo-repo", env=env
    )
    assert code == 1, err
    after = {a["name"]: gh.state.assets[a["id"]] for a in release["assets"]}
    assert after["model.txt"] == before["model.txt"], "the old model is still released"
    code, _, err = oasis(
        workspace, "release", "--no-confirm", "--repo", "octo-org/octo-repo", env=env
    )
    assert code == 0, err
    assert sorted(a["name"] for a in release["assets"]) == sorted(before)
