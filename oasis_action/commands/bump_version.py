"""`oasis bump-version`: a new version of the current model at the given SemVer level."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.options import Kind, Option
from oasis_action.runner import Reporter

OPTIONS = (
    Option(
        "level",
        Kind.CHOICE,
        default="patch",
        choices=("patch", "minor", "major"),
        help="which part of the version to bump",
    ),
    Option("models", default="models", help="model store folder"),
)


@dataclass(frozen=True)
class Config:
    level: str
    models: str


def run(config: Config, reporter: Reporter) -> int:
    from oasis_action.ml.store import ModelStore, bump, utc_now

    workspace = reporter.context.workspace
    store = ModelStore(reporter.context.writable(config.models, "models"), owner_of=workspace)
    current = store.load()
    version = bump(current.version, config.level)
    metadata = {
        **current.metadata,
        "timestamp": utc_now(),
        "previous_version": str(current.version),
        "bump": config.level,
    }
    store.save(current.model_text, metadata, version, event=f"bump-{config.level}")
    reporter.result(f"{current.version} -> {version}")
    reporter.set_output("version", str(version))
    return 0
