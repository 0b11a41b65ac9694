"""The changelog section of a release: commits of its range plus the model's metric deltas."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def model_metrics(
    store_root: Path,
) -> tuple[str | None, dict[str, Any] | None, dict[str, Any] | None]:
    """(version, metrics, previous version's metrics) of the current model, where there is one."""
    from oasis_action.ml.store import ModelStore, StoreError

    store = ModelStore(store_root)
    if store.current_version() is None:
        return None, None, None
    try:
        current = store.load()
    except StoreError:
        return None, None, None
    previous = current.metadata.get("previous_version")
    old = None
    if previous:
        import semver

        try:
            old = store.load(semver.Version.parse(previous)).metadata.get("metrics")
        except (StoreError, ValueError):
            old = None
    return str(current.version), current.metadata.get("metrics"), old


def section(
    workspace: Path,
    models: str,
    since: str | None = None,
    heading: str | None = None,
    notes: str = "",
    version: str | None = None,
) -> tuple[str, str]:
    """(heading, Markdown) of the changelog section: commits since `since` (else the last tag),
    or, for a released `version`, the same range it was released with."""
    from oasis_action.ml.store import utc_now
    from oasis_action.release import changelog

    model_version, metrics, previous = model_metrics(workspace / models)
    heading = version or heading or model_version or "Unreleased"
    start: str | None
    if since:
        changelog.require_revision(workspace, since)
        start, end = since, "HEAD"
    elif version:
        start, end = changelog.release_range(workspace, f"v{version}")
    else:
        start, end = changelog.last_tag(workspace), "HEAD"
    commits = changelog.commits_since(workspace, start, end)
    text = changelog.render(heading, utc_now()[:10], commits, metrics, previous, notes)
    return heading, text
