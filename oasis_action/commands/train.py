"""`oasis train`: train LightGBM on a CSV (the bundled dataset by default) and store a new version."""

from __future__ import annotations

import json

from oasis_action.context import Context
from oasis_action.ml.pipeline import TRAIN_OPTIONS, TrainConfig, trained_outcome
from oasis_action.outcome import Outcome, Output

OPTIONS = TRAIN_OPTIONS
Config = TrainConfig

OUTPUTS = (
    Output("version", "the new model version"),
    Output("metrics", "holdout metrics as JSON", {}),
    Output("model-path", "path of the stored model file"),
)


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.pipeline import train_and_store

    stored = train_and_store(config, ctx)
    metrics_text = ", ".join(f"{k}={v:.4f}" for k, v in stored.metrics.items())
    ctx.reporter.result(
        json.dumps(stored.metadata, indent=2)
        if config.json
        else f"model {stored.version} saved to {stored.folder} ({metrics_text})"
    )
    return trained_outcome(stored, ctx)
