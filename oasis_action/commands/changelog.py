"""`oasis changelog`: Keep-a-Changelog Markdown from Conventional Commits since the last tag,
plus the current model's metric deltas against the version before it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis_action.fsutil import atomic_write
from oasis_action.options import Option
from oasis_action.runner import Reporter

OPTIONS = (
    Option("since", help="tag to start from (default: the last v* tag)"),
    Option("version", cli_only=True, help="version heading (default: the current model's)"),
    Option("models", default="models", help="model store folder"),
    Option("notes", default="", help="text to put at the top of the section"),
    Option("output", cli_only=True, help="prepend the section to this file (e.g. CHANGELOG.md)"),
)


@dataclass(frozen=True)
class Config:
    since: str | None
    version: str | None
    models: str
    notes: str
    output: str | None


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


def section(workspace: Path, config: Config, version: str | None = None) -> tuple[str, str]:
    from oasis_action.ml.store import utc_now
    from oasis_action.release import changelog

    model_version, metrics, previous = model_metrics(workspace / config.models)
    heading = version or config.version or model_version or "Unreleased"
    start: str | None
    if config.since:
        changelog.require_revision(workspace, config.since)
        start, end = config.since, "HEAD"
    elif version:
        start, end = changelog.release_range(workspace, f"v{version}")
    else:
        start, end = changelog.last_tag(workspace), "HEAD"
    commits = changelog.commits_since(workspace, start, end)
    text = changelog.render(heading, utc_now()[:10], commits, metrics, previous, config.notes)
    return heading, text


def run(config: Config, reporter: Reporter) -> int:
    workspace = reporter.context.workspace
    _, text = section(workspace, config)
    if config.output:
        target = reporter.context.writable(config.output, "--output")
        old = target.read_text(encoding="utf-8") if target.is_file() else "# Changelog\n\n"
        head, _, rest = old.partition("\n## ")
        merged = f"{head.rstrip()}\n\n{text}\n" + (f"## {rest}" if rest else "")
        atomic_write(target, merged, owner_of=workspace)
    reporter.result(text.rstrip("\n"))
    return 0
