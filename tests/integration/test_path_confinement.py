"""Paths OASIS writes to never lead out of the workspace: no `..`, no absolute path in Actions,
and never through a symbolic link a repository committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import oasis
from tests.support.paths import PROJECT_ROOT
from tests.support.repos import make_repo
from tests.support.runner import RunnerSandbox, Step, run_inprocess

ROOT_ACTION = PROJECT_ROOT / "action.yml"


@pytest.mark.parametrize(
    "argv",
    [
        ["doctor", "--output", "reports/doctor.json"],
        ["changelog", "--output", "reports/CHANGELOG.md"],
        ["train", "--models", "reports/models", "--num-boost-round", "3"],
        ["metrics", "--textfile", "reports/oasis.prom"],
        ["clean", "reports"],
    ],
    ids=["doctor", "changelog", "train", "metrics", "clean"],
)
def test_a_committed_link_is_never_written_through(tmp_path: Path, argv: list[str]) -> None:
    outside = tmp_path / "home" / ".ssh"
    outside.mkdir(parents=True)
    (outside / "authorized_keys").write_text("ssh-ed25519 AAAA mine\n")
    repo = tmp_path / "repo"
    make_repo(repo, {"a.py": "x = 1\n"})
    (repo / "reports").symlink_to(outside)
    code, _, err = oasis(repo, *argv)
    assert code == 2, err
    assert "goes through a symbolic link (reports)" in err
    assert sorted(p.name for p in outside.iterdir()) == ["authorized_keys"]
    assert (outside / "authorized_keys").read_text() == "ssh-ed25519 AAAA mine\n"


@pytest.mark.parametrize("output", ["../escaped.json", "ABSOLUTE"])
def test_in_actions_outputs_stay_in_the_workspace(tmp_path: Path, output: str) -> None:
    sandbox = RunnerSandbox.create(tmp_path / "run")
    make_repo(sandbox.workspace, {"a.py": "x = 1\n"})
    absolute = tmp_path / "elsewhere" / "escaped.json"
    given = str(absolute) if output == "ABSOLUTE" else output
    result = run_inprocess(Step(ROOT_ACTION, {"command": "doctor", "output": given}), sandbox)
    assert result.returncode == 2, result.log
    assert "is outside the workspace" in result.stderr
    assert not (sandbox.workspace.parent / "escaped.json").exists()
    assert not absolute.exists()


def test_on_the_command_line_an_explicit_folder_is_the_users_choice(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    make_repo(repo, {"a.py": "x = 1\n"})
    code, _, err = oasis(repo, "doctor", "--output", str(tmp_path / "elsewhere" / "d.json"))
    assert code == 0, err
    assert (tmp_path / "elsewhere" / "d.json").is_file()
