"""`oasis triage cluster`: group failure logs by what failed (category and signature)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import Kind, Option
from oasis_action.outcome import Outcome
from oasis_action.triage.logs import read_log

OPTIONS = (
    Option(
        "logs", Kind.LIST, positional=True, many=True, default=(), metavar="LOG", help="log files"
    ),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print the clusters as JSON"),
    Option(
        "similarity",
        Kind.FLOAT,
        default=0.6,
        minimum=0,
        maximum=1,
        help="cosine similarity that joins a cluster",
    ),
)


@dataclass(frozen=True)
class Config:
    logs: tuple[str, ...]
    json: bool
    similarity: float


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.triage.classifier import classify_many, model_for
    from oasis_action.triage.cluster import cluster as group

    if not config.logs:
        raise InputError("triage cluster needs log files")
    workspace = ctx.runner.workspace
    texts = [read_log(workspace / p, p) for p in list(config.logs)]
    model = model_for(ctx.state_dir)
    verdicts = classify_many(texts, model)
    clusters = group(
        list(zip(list(config.logs), texts, verdicts, strict=True)), model, config.similarity
    )
    if config.json:
        ctx.reporter.result(json.dumps([c.to_json() for c in clusters], indent=2))
    else:
        for c in clusters:
            ctx.reporter.result(
                f"{len(c.members):>4}  {c.category:<15} {c.signature[:90]}  e.g. {c.members[0]}"
            )
    return Outcome(reason=f"{len(clusters)} cluster(s) in {len(config.logs)} log(s)")
