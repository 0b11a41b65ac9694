"""`oasis version`: the current model version (and its metadata with --json)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output

OPTIONS = (
    MODELS,
    Option(
        "json", Kind.BOOL, default=False, cli_only=True, help="print the version's metadata as JSON"
    ),
)


OUTPUTS = (Output("version", "the current model version"),)


@dataclass(frozen=True)
class Config:
    models: str
    json: bool


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.store import ModelStore

    stored = ModelStore(ctx.runner.workspace / config.models).load()
    if config.json:
        ctx.reporter.result(json.dumps(stored.metadata, indent=2, sort_keys=True))
    else:
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in stored.metadata.get("metrics", {}).items())
        ctx.reporter.result(
            f"{stored.version} ({stored.metadata.get('task')}, {metrics}, trained {stored.metadata.get('timestamp')})"
        )
    return Outcome(outputs={"version": str(stored.version)})
