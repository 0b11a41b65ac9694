"""`oasis evaluate DATA.csv`: metrics of the current model on labelled data."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output

OPTIONS = (
    Option(
        "data",
        required=True,
        positional=True,
        help="labelled CSV holding the features and the target",
    ),
    MODELS,
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print the metrics as JSON"),
)


OUTPUTS = (Output("metrics", "the metrics as JSON", {}),)


@dataclass(frozen=True)
class Config:
    data: str
    models: str
    json: bool


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.data import read_csv, resolve_data_path
    from oasis_action.ml.features import align
    from oasis_action.ml.store import ModelStore
    from oasis_action.ml.training import evaluate

    workspace = ctx.runner.workspace
    stored = ModelStore(workspace / config.models).load()
    meta = stored.metadata
    frame = read_csv(resolve_data_path(config.data, workspace))
    if meta["target"] not in frame.columns:
        raise InputError(f"target column {meta['target']!r} is not in {config.data}")
    frame = frame[frame[meta["target"]].notna()]
    truth = frame[meta["target"]]
    if meta["task"] != "regression":
        index = {str(label): position for position, label in enumerate(meta["classes"])}
        unknown = sorted({str(v) for v in truth} - set(index))
        if unknown:
            raise InputError(f"labels the model never saw: {', '.join(unknown[:5])}")
        truth = truth.map(lambda value: index[str(value)])
    booster = stored.booster()
    raw = booster.predict(align(frame, meta["features"]))
    metrics = evaluate(meta["task"], truth.to_numpy(), raw)
    if config.json:
        ctx.reporter.result(
            json.dumps(
                {"version": str(stored.version), "rows": len(frame), "metrics": metrics}, indent=2
            )
        )
    else:
        ctx.reporter.result(f"model {stored.version} on {len(frame)} rows of {config.data}:")
        ctx.reporter.result(
            "\n".join(f"  {name:<10} {value:.4f}" for name, value in metrics.items())
        )
    return Outcome(outputs={"metrics": metrics})
