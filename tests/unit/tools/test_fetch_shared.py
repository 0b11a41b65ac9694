"""The layout the shared-data fetcher produces is the one the tests read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.support.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))

from fetch_shared import event_name, lay_out_events  # noqa: E402


def test_octokit_example_names_map_to_ours(tmp_path: Path) -> None:
    source = tmp_path / "examples"
    for name in (
        "workflow_run/completed.payload.json",
        "workflow_run/completed.with-pull-requests.payload.json",
        "workflow_run/requested.payload.json",
        "push/payload.json",
        "push/with-new-branch.payload.json",
        "push/1.payload.json",
    ):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(json.dumps({"file": name}))
    assert lay_out_events(source, tmp_path / "events") == 6
    laid = sorted(
        p.relative_to(tmp_path / "events").as_posix() for p in (tmp_path / "events").rglob("*.json")
    )
    assert laid == [
        "push/event.1.json",
        "push/event.2.json",
        "push/with-new-branch.1.json",
        "workflow_run/completed.1.json",
        "workflow_run/completed.2.json",
        "workflow_run/requested.1.json",
    ]
    assert event_name(Path("payload.json")) == "event"
