"""`oasis predict INPUT.csv [-o OUT.csv]`: predictions of the current model, chunked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output

if TYPE_CHECKING:
    import pandas as pd

OPTIONS = (
    Option(
        "input",
        required=True,
        positional=True,
        metavar="FILE",
        help="CSV with the model's feature columns (extra columns pass through)",
    ),
    Option(
        "output",
        short="-o",
        metavar="FILE",
        help="where to write the predictions CSV (stdout when absent)",
    ),
    MODELS,
    Option(
        "chunk-size", Kind.INT, default=200_000, minimum=1, help="rows read and predicted at a time"
    ),
)


OUTPUTS = (Output("rows", "rows predicted", 0),)


@dataclass(frozen=True)
class Config:
    input: str
    output: str | None
    models: str
    chunk_size: int


def _target_file(ctx: Context, output: str | None) -> Path | None:
    if not output:
        return None
    target = ctx.runner.writable(output, "--output")
    if not target.parent.is_dir():
        raise InputError(f"the folder of --output {output!r} does not exist")
    return target


def _with_predictions(chunk: pd.DataFrame, model: Any) -> pd.DataFrame:
    """The input's own columns (the features and a label column left out) and the predictions."""
    import pandas as pd

    schema = model.schema_
    predicted = model.predict(chunk)
    dropped = {*schema.feature_names, schema.target}
    extra = chunk[[c for c in chunk.columns if c not in dropped]].reset_index(drop=True)
    clash = sorted(set(extra.columns) & set(predicted.columns))
    if clash:
        raise InputError(
            f"input column(s) {', '.join(clash)} would clash with the prediction columns: rename them"
        )
    return pd.concat([extra, predicted], axis=1)


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.data import resolve_data_path
    from oasis_action.ml.schema import read_chunks
    from oasis_action.ml.store import ModelStore

    stored = ModelStore(ctx.workspace / config.models).load()
    model = stored.model()
    source = resolve_data_path(config.input, ctx.workspace)
    target = _target_file(ctx, config.output)
    handle, temp_name = tempfile.mkstemp(suffix=".csv.tmp", dir=(target.parent if target else None))
    rows = 0
    try:
        with os.fdopen(handle, "w", newline="") as stream:
            for index, chunk in enumerate(read_chunks(source, model.schema_, config.chunk_size)):
                _with_predictions(chunk, model).to_csv(stream, index=False, header=index == 0)
                rows += len(chunk)
        if target is None:
            with open(temp_name, encoding="utf-8") as written:
                ctx.reporter.result(written.read().rstrip("\n"))
            os.unlink(temp_name)
        else:
            os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    if target is not None:
        ctx.reporter.result(
            f"{rows} predictions from model {stored.version} written to {config.output}"
        )
    return Outcome(outputs={"rows": rows})
