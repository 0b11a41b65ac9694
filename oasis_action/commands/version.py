"""`oasis version`: the current model version (and its metadata with --json)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oasis_action.options import Kind, Option
from oasis_action.runner import Reporter

OPTIONS = (
    Option("models", default="models", help="model store folder"),
    Option(
        "json", Kind.BOOL, default=False, cli_only=True, help="print the version's metadata as JSON"
    ),
)


@dataclass(frozen=True)
class Config:
    models: str
    json: bool


def run(config: Config, reporter: Reporter) -> int:
    from oasis_action.ml.store import ModelStore

    stored = ModelStore(reporter.context.workspace / config.models).load()
    if config.json:
        reporter.result(json.dumps(stored.metadata, indent=2, sort_keys=True))
    else:
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in stored.metadata.get("metrics", {}).items())
        reporter.result(
            f"{stored.version} ({stored.metadata.get('task')}, {metrics}, trained {stored.metadata.get('timestamp')})"
        )
    reporter.set_output("version", str(stored.version))
    return 0
