"""The event that started a run (`GITHUB_EVENT_PATH`), reduced to what a behaviour needs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oasis_action.errors import InputError

if TYPE_CHECKING:
    from oasis_action.runner import RunnerContext


@dataclass(frozen=True)
class EventContext:
    name: str
    action: str = ""
    repository: str = ""
    pull_numbers: tuple[int, ...] = ()
    run_id: int | None = None
    run_attempt: int | None = None
    head_sha: str = ""
    conclusion: str | None = None
    sender: str = ""
    sender_is_bot: bool = False
    head_repository: str = ""
    """For a workflow_run, the repository its head commit is in (a fork's name for a fork PR)."""

    def from_fork(self, repository: str) -> bool:
        """The run's head is in another repository than the one OASIS acts on."""
        return bool(self.head_repository) and self.head_repository.lower() != repository.lower()


def _pulls(items: Iterable[dict[str, Any]] | None) -> tuple[int, ...]:
    return tuple(sorted({int(item["number"]) for item in items or () if "number" in item}))


def _specific(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The event-specific fields, by event name."""
    if name == "workflow_run":
        run = payload.get("workflow_run") or {}
        return {
            "run_id": run.get("id"),
            "run_attempt": run.get("run_attempt"),
            "head_sha": run.get("head_sha", ""),
            "conclusion": run.get("conclusion"),
            "pull_numbers": _pulls(run.get("pull_requests")),
            "head_repository": str((run.get("head_repository") or {}).get("full_name", "")),
        }
    if name in ("pull_request", "pull_request_target", "pull_request_review"):
        pull = payload.get("pull_request") or {}
        return {"pull_numbers": _pulls([pull]), "head_sha": (pull.get("head") or {}).get("sha", "")}
    if name in ("check_suite", "check_run"):
        suite = payload.get(name) or {}
        return {
            "pull_numbers": _pulls(suite.get("pull_requests")),
            "head_sha": suite.get("head_sha", ""),
            "conclusion": suite.get("conclusion"),
        }
    if name == "status":
        return {"head_sha": payload.get("sha", ""), "conclusion": payload.get("state")}
    if name == "push":
        return {"head_sha": payload.get("after", "")}
    return {}


def parse_event(name: str, payload: dict[str, Any]) -> EventContext:
    """The event's fields; a payload that does not have the event's shape is bad input (exit 2),
    never an internal error."""
    try:
        sender = payload.get("sender") or {}
        event = EventContext(
            name=name,
            action=str(payload.get("action") or ""),
            repository=str((payload.get("repository") or {}).get("full_name", "")),
            sender=str(sender.get("login", "")),
            sender_is_bot=sender.get("type") == "Bot",
            **_specific(name, payload),
        )
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        raise InputError(
            f"the `{name}` event file does not have a `{name}` event's shape ({error})"
        ) from None
    typed = isinstance(event.head_sha, str) and all(
        isinstance(v, int) or v is None for v in (event.run_id, event.run_attempt)
    )
    if not typed or isinstance(event.run_id, bool):
        raise InputError(f"the `{name}` event file does not have a `{name}` event's shape")
    return event


PULL_SCOPED = frozenset(
    {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}
)
"""Events about one pull request: one that names none is acted on by nobody (never a sweep)."""


NO_PULL = "the event names no pull request: nothing to do"


def names_no_pull(event: EventContext) -> bool:
    return event.name in PULL_SCOPED and not event.pull_numbers


def read_event(name: str, path: Path | None) -> EventContext:
    """The event of this run; outside Actions (no event file) an empty `name` event."""
    if path is None or not path.is_file():
        return EventContext(name=name)
    try:
        payload = json.loads(path.read_text(encoding="utf-8") or "{}")
    except json.JSONDecodeError as error:
        raise InputError(f"the event file {path} is not valid JSON: {error}") from None
    if not isinstance(payload, dict):
        raise InputError(f"the event file {path} does not hold a JSON object")
    return parse_event(name, payload)


def require(event: EventContext, supported: Iterable[str], action: str) -> None:
    """Exit 2 with a clear message when `action` is started by an event it does not handle."""
    allowed = tuple(supported)
    if event.name and event.name not in allowed:
        raise InputError(
            f"{action} does not handle `{event.name}` events; it runs on: {', '.join(allowed)}"
        )


def read_supported_event(
    context: RunnerContext, supported: Iterable[str], action: str
) -> EventContext:
    """This run's event; exit 2 when `action` does not handle it."""
    event = read_event(context.event_name, context.event_path)
    require(event, supported, action)
    return event


def ignored_actor(event: EventContext, ignored: Iterable[str]) -> str:
    """Why the event is skipped when an ignored account, such as OASIS's own, sent it (its
    writes must never trigger it again); '' when it is not."""
    if not event.sender or event.sender not in set(ignored):
        return ""
    return f"event sent by {event.sender}, an ignored actor (no loops on OASIS's own writes)"
