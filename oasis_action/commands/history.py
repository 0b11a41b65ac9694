"""`oasis history`: every recorded model event, oldest first."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.options import Kind, Option
from oasis_action.runner import Reporter

OPTIONS = (
    Option("models", default="models", help="model store folder"),
    Option("json", Kind.BOOL, default=False, cli_only=True, help="print JSON lines"),
)


@dataclass(frozen=True)
class Config:
    models: str
    json: bool


def run(config: Config, reporter: Reporter) -> int:
    from oasis_action.ml.store import ModelStore

    entries = ModelStore(reporter.context.workspace / config.models).history()
    for entry in entries:
        if config.json:
            reporter.result(json.dumps(entry, sort_keys=True))
            continue
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in (entry.get("metrics") or {}).items())
        reporter.result(
            f"{entry.get('timestamp', '')}  {entry.get('version', ''):<10} {entry.get('event', ''):<12} {metrics}"
        )
    if not entries and not config.json:
        reporter.result("no model history yet: run `oasis train`")
    return 0
