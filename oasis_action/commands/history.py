"""`oasis history`: every recorded model event, oldest first."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome

OPTIONS = (
    MODELS,
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print JSON lines"),
)


@dataclass(frozen=True)
class Config:
    models: str
    json: bool


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.store import ModelStore

    entries = ModelStore(ctx.runner.workspace / config.models).history()
    for entry in entries:
        if config.json:
            ctx.reporter.result(json.dumps(entry, sort_keys=True))
            continue
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in (entry.get("metrics") or {}).items())
        ctx.reporter.result(
            f"{entry.get('timestamp', '')}  {entry.get('version', ''):<10} {entry.get('event', ''):<12} {metrics}"
        )
    if not entries and not config.json:
        ctx.reporter.result("no model history yet: run `oasis train`")
    return Outcome()
