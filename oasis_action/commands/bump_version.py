"""`oasis bump-version`: a new version of the current model at the given SemVer level."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output

OPTIONS = (
    Option(
        "level",
        Kind.CHOICE,
        default="patch",
        choices=("patch", "minor", "major"),
        help="which part of the version to bump",
    ),
    MODELS,
)


OUTPUTS = (Output("version", "the new model version"),)


@dataclass(frozen=True)
class Config:
    level: str
    models: str


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.store import ModelStore, utc_now

    store = ModelStore(ctx.runner.writable(config.models, "models"), owner_of=ctx.workspace)
    current = store.load()
    metadata = {**current.metadata, "timestamp": utc_now(), "bump": config.level}
    version, _ = store.save_next(
        current.model_text, metadata, config.level, f"bump-{config.level}", current.artifacts()
    )
    ctx.reporter.result(f"{current.version} -> {version}")
    return Outcome(reason=f"{current.version} -> {version}", outputs={"version": str(version)})
