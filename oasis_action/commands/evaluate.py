"""`oasis evaluate DATA.csv`: metrics of the current model on labelled data."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output

OPTIONS = (
    Option(
        "data",
        required=True,
        positional=True,
        metavar="FILE",
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
    from oasis_action.ml.data import resolve_data_path
    from oasis_action.ml.schema import read_frame
    from oasis_action.ml.store import ModelStore

    stored = ModelStore(ctx.workspace / config.models).load()
    model = stored.model()
    frame = read_frame(resolve_data_path(config.data, ctx.workspace), model.schema_)
    metrics, unlabelled = model.evaluate(frame)
    rows = len(frame) - unlabelled
    if unlabelled:
        ctx.reporter.progress(f"left out {unlabelled} row(s) with no {model.schema_.target!r}")
    if config.json:
        ctx.reporter.result(
            json.dumps({"version": str(stored.version), "rows": rows, "metrics": metrics}, indent=2)
        )
    else:
        ctx.reporter.result(f"model {stored.version} on {rows} rows of {config.data}:")
        ctx.reporter.result(
            "\n".join(f"  {name:<10} {value:.4f}" for name, value in metrics.items())
        )
    return Outcome(outputs={"metrics": metrics})
