from __future__ import annotations

from pathlib import Path

import pytest

from oasis_action.errors import InputError
from oasis_action.github.events import EventContext, parse_event, read_event, require
from tests.support.paths import EVENTS, load_event


def test_workflow_run() -> None:
    payload = load_event("workflow_run", "completed.1")
    event = parse_event("workflow_run", payload)
    run = payload["workflow_run"]
    assert (event.run_id, event.run_attempt, event.head_sha) == (
        run["id"],
        run["run_attempt"],
        run["head_sha"],
    )
    assert event.action == "completed"
    assert event.repository == payload["repository"]["full_name"]


def test_pull_request_and_review() -> None:
    for name, file in (("pull_request", "opened.1"), ("pull_request_review", "submitted.1")):
        payload = load_event(name, file)
        event = parse_event(name, payload)
        assert event.pull_numbers == (payload["pull_request"]["number"],)
        assert event.head_sha == payload["pull_request"]["head"]["sha"]


def test_check_suite_status_push_dispatch() -> None:
    suite = load_event("check_suite", "completed.1")
    assert parse_event("check_suite", suite).pull_numbers == tuple(
        p["number"] for p in suite["check_suite"]["pull_requests"]
    )
    status = load_event("status", "event.1")
    assert parse_event("status", status).head_sha == status["sha"]
    push = load_event("push", "event.1")
    assert parse_event("push", push).head_sha == push["after"]
    assert (
        parse_event("workflow_dispatch", load_event("workflow_dispatch", "event.1")).pull_numbers
        == ()
    )
    assert parse_event("schedule", {"schedule": "0 3 * * *"}) == EventContext(name="schedule")


@pytest.mark.parametrize(
    "path", sorted(EVENTS.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_every_real_payload_parses(path: Path) -> None:
    event = read_event(path.parent.name, path)
    assert event.name == path.parent.name
    assert all(isinstance(n, int) for n in event.pull_numbers)


def test_bot_sender_is_recognised() -> None:
    payload = load_event("pull_request", "opened.1")
    payload["sender"] = {"login": "oasis[bot]", "type": "Bot"}
    assert parse_event("pull_request", payload).sender_is_bot


def test_bad_event_files(tmp_path: Path) -> None:
    assert read_event("push", None) == EventContext(name="push")
    broken = tmp_path / "event.json"
    broken.write_text("{nope")
    with pytest.raises(InputError, match="not valid JSON"):
        read_event("push", broken)
    broken.write_text("[1]")
    with pytest.raises(InputError, match="JSON object"):
        read_event("push", broken)


def test_unsupported_event_is_exit_2() -> None:
    with pytest.raises(
        InputError, match="ci-retry does not handle `push` events; it runs on: workflow_run"
    ):
        require(EventContext(name="push"), ["workflow_run"], "ci-retry")
    require(EventContext(name="workflow_run"), ["workflow_run"], "ci-retry")
