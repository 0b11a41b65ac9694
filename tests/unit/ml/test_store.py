from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import semver

from oasis_action.errors import JobFailed
from oasis_action.ml.store import ModelStore, StoreError, bump
from oasis_action.release.versioning import model_level


def test_bump_levels() -> None:
    v = semver.Version.parse("1.2.3")
    assert [str(bump(v, level)) for level in ("patch", "minor", "major")] == [
        "1.2.4",
        "1.3.0",
        "2.0.0",
    ]
    assert str(bump(None, "patch")) == "0.1.0"


@pytest.mark.parametrize(
    ("new", "previous", "higher", "level"),
    [
        (0.9, None, True, "minor"),
        (0.95, 0.9, True, "minor"),
        (0.9, 0.9, True, "patch"),
        (1.0, 2.0, False, "minor"),
        (3.0, 2.0, False, "patch"),
    ],
)
def test_auto_bump(new: float, previous: float | None, higher: bool, level: str) -> None:
    """The model's own level (`--bump auto`): a better primary metric is minor, else patch."""
    same = {"task": "binary", "target": "t", "classes": [0, 1], "features": [{"name": "a"}]}
    current = None if previous is None else {**same, "metrics": {"m": previous}}
    assert model_level({**same, "metrics": {"m": new}}, current, "m", higher)[0] == level


def test_a_schema_change_is_a_major_bump() -> None:
    old = {"task": "binary", "target": "t", "classes": [0, 1], "features": [{"name": "a"}]}
    new = {**old, "features": [{"name": "b"}], "metrics": {"m": 0.1}}
    assert model_level(new, {**old, "metrics": {"m": 0.9}}, "m", True)[0] == "major"


def test_save_load_history_and_no_overwrite(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    assert store.current_version() is None
    with pytest.raises(StoreError, match="run `oasis train` first"):
        store.load()
    store.save(
        "tree-one", {"metrics": {"auc": 0.9}, "timestamp": "t1"}, semver.Version(0, 1, 0), "train"
    )
    store.save(
        "tree-two", {"metrics": {"auc": 0.95}, "timestamp": "t2"}, semver.Version(0, 2, 0), "train"
    )
    assert str(store.current_version()) == "0.2.0"
    assert (tmp_path / "models" / "model.txt").read_text() == "tree-two"
    assert (tmp_path / "models" / "version.txt").read_text() == "0.2.0\n"
    assert [str(v) for v in store.versions()] == ["0.1.0", "0.2.0"]
    with pytest.raises(JobFailed, match="already exists"):
        store.save("other", {}, semver.Version(0, 1, 0), "train")
    assert store.load(semver.Version(0, 1, 0)).model_text == "tree-one"
    store.make_current(semver.Version(0, 1, 0), "rollback")
    assert store.load().model_text == "tree-one"
    assert [e["event"] for e in store.history()] == ["train", "train", "rollback"]


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    store.save("tree", {}, semver.Version(1, 0, 0), "train")
    (tmp_path / "versions" / "1.0.0" / "model.txt").write_text("evil")
    with pytest.raises(StoreError, match="sha256"):
        store.load()


def test_torn_history_line_is_skipped(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    store.save("tree", {}, semver.Version(1, 0, 0), "train")
    with open(store.history_path, "a") as handle:
        handle.write('{"event": "tra')
    assert len(store.history()) == 1


def test_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    with (
        store.lock(),
        pytest.raises(StoreError, match="locked by another process"),
        ModelStore(tmp_path).lock(timeout=0.2),
    ):
        pass


KILLER = textwrap.dedent("""
    import sys, semver
    from oasis_action.ml.store import ModelStore
    store = ModelStore(sys.argv[1])
    big = "x" * 200_000_000
    print("saving", flush=True)
    store.save(big, {"metrics": {}}, semver.Version(9, 9, 9), "train")
    """)


def test_kill_9_during_save_leaves_the_previous_model(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    store.save("previous tree", {"metrics": {"auc": 0.99}}, semver.Version(1, 0, 0), "train")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "saving\n"
    time.sleep(0.15)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    survivor = ModelStore(tmp_path)
    assert str(survivor.current_version()) == "1.0.0"
    assert survivor.load().model_text == "previous tree"
    assert [json.dumps(e["version"]) for e in survivor.history()] == ['"1.0.0"']
