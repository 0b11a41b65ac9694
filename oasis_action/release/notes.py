"""The changelog section of a release: the commits of its range, the model's metric deltas and
why the version is what it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oasis_action.options import Option
from oasis_action.release.changelog import DEFAULT_PREFIX

TAG_PREFIX = Option(
    "tag-prefix",
    default=DEFAULT_PREFIX,
    help="prefix of OASIS's model release tags (model-v1.2.3); code releases keep theirs",
)


def model_metrics(store_root: Path) -> tuple[str | None, dict[str, Any], dict[str, Any] | None]:
    """(version, its metadata, the previous version's metrics) of the current model."""
    from oasis_action.ml.store import ModelStore, StoreError

    store = ModelStore(store_root)
    try:
        if store.current_version() is None:
            return None, {}, None
        current = store.load()
    except StoreError:
        return None, {}, None
    previous = current.metadata.get("previous_version")
    old = None
    if previous:
        import semver

        try:
            old = store.load(semver.Version.parse(previous)).metadata.get("metrics")
        except (StoreError, ValueError):
            old = None
    return str(current.version), current.metadata, old


@dataclass(frozen=True)
class NotesRequest:
    """Which section to write: a release's (`version`), the current model's, or `[Unreleased]`."""

    workspace: Path
    models: str = "models"
    prefix: str = DEFAULT_PREFIX
    since: str | None = None
    heading: str | None = None
    notes: str = ""
    version: str | None = None
    repo_url: str = ""
    warn: Callable[[str], None] = field(default=lambda line: None, compare=False)


def section(request: NotesRequest) -> tuple[str | None, str]:
    """(heading, Markdown): commits since `since`, else since the last OASIS tag; for a release
    `version`, the range it was released with. Commits after the current model's release go
    under `[Unreleased]` (heading None)."""
    from oasis_action.ml.store import utc_now
    from oasis_action.release import changelog

    root = request.workspace
    changelog.require_repository(root)
    if changelog.is_shallow(root):
        request.warn(
            "this is a shallow clone: the changelog lists only the commits it has "
            "(check out with fetch-depth: 0 for the whole range)"
        )
    model_version, metadata, previous = model_metrics(root / request.models)
    heading = request.version or request.heading or model_version
    start: str | None
    end: str
    if request.since:
        changelog.require_revision(root, request.since)
        start, end = request.since, "HEAD"
    elif request.version:
        start, end = changelog.release_range(root, request.prefix + request.version, request.prefix)
    else:
        start, end = changelog.last_tag(root, request.prefix), "HEAD"
        if heading and changelog.tag_commit(root, request.prefix + heading) is not None:
            heading = None
    released_section = heading is not None and heading == model_version
    text = changelog.render(
        changelog.Section(
            heading,
            utc_now()[:10],
            [c for c in changelog.commits_since(root, start, end) if c is not None],
            metadata.get("metrics") if released_section else None,
            previous if released_section else None,
            request.notes,
            request.repo_url,
            metadata.get("bump_why", ()) if released_section else (),
        )
    )
    return heading, text
