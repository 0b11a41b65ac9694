from __future__ import annotations

import os
from pathlib import Path

import pytest

from oasis_action.fsutil import atomic_write, give_to_owner


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic_write(target, "one")
    target.chmod(0o600)
    atomic_write(target, b"two")
    assert target.read_text() == "two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "model.txt"
    atomic_write(target, "old")

    class Exploding(bytes):
        pass

    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root, as in the Docker action")
def test_files_written_as_root_go_to_the_workspace_owner(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    os.chown(workspace, 1001, 1001)
    written = atomic_write(workspace / "deep" / "report.json", "{}", owner_of=workspace)
    assert written.stat().st_uid == 1001
    assert (workspace / "deep").stat().st_uid == 1001
    outside = tmp_path / "other.txt"
    outside.write_text("x")
    give_to_owner(outside, workspace)
    assert outside.stat().st_uid == 1001
