"""`oasis predict INPUT.csv [-o OUT.csv]`: predictions of the current model, chunked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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


def run(config: Config, ctx: Context) -> Outcome:
    import pandas as pd

    from oasis_action.ml.data import resolve_data_path
    from oasis_action.ml.features import align, prediction_columns
    from oasis_action.ml.store import ModelStore

    workspace = ctx.runner.workspace
    stored = ModelStore(workspace / config.models).load()
    meta = stored.metadata
    source = resolve_data_path(config.input, workspace)
    booster = stored.booster()
    feature_names = [entry["name"] for entry in meta["features"]]
    target = ctx.runner.writable(config.output, "--output") if config.output else None
    handle, temp_name = tempfile.mkstemp(suffix=".csv.tmp", dir=(target.parent if target else None))
    rows = 0
    try:
        with os.fdopen(handle, "w", newline="") as stream:
            for index, chunk in enumerate(_chunks(source, config.chunk_size)):
                features = align(chunk, meta["features"])
                predicted = prediction_columns(
                    booster.predict(features), meta["task"], meta["classes"]
                )
                extra = chunk.drop(columns=feature_names).reset_index(drop=True)
                pd.concat([extra, predicted], axis=1).to_csv(stream, index=False, header=index == 0)
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


def _chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    """The CSV in chunks of `size` rows, with one clear error for an empty or unreadable file."""
    import pandas as pd

    found = False
    try:
        for chunk in pd.read_csv(path, chunksize=size):
            found = True
            yield chunk
    except pd.errors.EmptyDataError:
        raise InputError(f"input file {path.name!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(
            f"input file {path.name!r} is not a readable CSV: {str(error).splitlines()[0]}"
        ) from None
    if not found:
        raise InputError(f"input file {path.name!r} has a header but no rows")
