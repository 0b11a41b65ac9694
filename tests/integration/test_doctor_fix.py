"""`oasis doctor --fix [--commit [--push]]` on real repositories with a real bare remote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import oasis
from tests.support.repos import git, make_repo

FILES = {
    "app.py": "import sys\nimport os\nprint(os.sep,sys.argv)\n",
    "ci/settings.yml": "steps:\n\t- build\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    root = make_repo(tmp_path / "work", FILES)
    git(root, "config", "user.name", "Dev")
    git(root, "config", "user.email", "dev@example.invalid")
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "-q", "origin", "main")
    return root


def test_fix_commit_push(repo: Path) -> None:
    code, out, _ = oasis(repo, "doctor", "--checks", "yaml")
    assert code == 1 and "settings.yml" in out
    code, out, err = oasis(repo, "doctor", "--checks", "yaml", "--fix", "--commit", "--push")
    assert code == 0, err
    assert "fixed app.py" in out and "fixed ci/settings.yml" in out
    assert "0 error(s)" in out
    assert git(repo, "status", "--porcelain") == ""
    message = git(repo, "log", "-1", "--format=%an|%s")
    assert message == "Dev|style: oasis doctor --fix\n"
    assert git(repo, "rev-parse", "HEAD") == git(repo, "rev-parse", "origin/main")
    assert git(repo, "show", "--stat", "--format=", "HEAD").count("|") == 2


def test_dirty_tree_is_refused_unless_allowed(repo: Path) -> None:
    (repo / "notes.txt").write_text("wip")
    code, _, err = oasis(repo, "doctor", "--fix")
    assert code == 2 and "uncommitted changes (notes.txt)" in err
    assert (repo / "app.py").read_text() == FILES["app.py"]
    code, out, _ = oasis(repo, "doctor", "--fix", "--allow-dirty", "--checks", "yaml")
    assert code == 0 and "fixed app.py" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--commit"], "--commit and --push need --fix"),
        (["--fix", "--push"], "--push needs --commit"),
    ],
)
def test_flag_combinations(repo: Path, argv: list[str], message: str) -> None:
    code, _, err = oasis(repo, "doctor", *argv)
    assert code == 2 and message in err


def test_commit_outside_git_and_failed_push(tmp_path: Path, repo: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x=1\n")
    code, _, err = oasis(plain, "doctor", "--fix", "--commit")
    assert code == 2 and "not a git work tree" in err
    git(repo, "remote", "set-url", "origin", str(tmp_path / "missing.git"))
    code, _, err = oasis(repo, "doctor", "--fix", "--commit", "--push", "--checks", "git")
    assert code == 1 and "git push to origin/main failed" in err
