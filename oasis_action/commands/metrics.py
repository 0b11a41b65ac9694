"""`oasis metrics`: OASIS's events as Prometheus metrics, for node_exporter's textfile collector
(`--textfile PATH`, written atomically by prometheus-client) or a Pushgateway (`--pushgateway URL`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import Option
from oasis_action.outcome import Outcome

OPTIONS = (
    Option(
        "events",
        metavar="FILE",
        help="the OASIS event store, JSON lines (default: events.jsonl in the state folder)",
    ),
    Option(
        "textfile", metavar="FILE", help="write the metrics here (Prometheus text format, *.prom)"
    ),
    Option("pushgateway", help="push the metrics to this Pushgateway URL"),
    Option("job", default="oasis", help="Pushgateway job name"),
)


@dataclass(frozen=True)
class Config:
    events: str | None
    textfile: str | None
    pushgateway: str | None
    job: str


def build_registry(events: list[dict[str, Any]]) -> Any:
    """A fresh registry holding every OASIS metric, computed from the events."""
    from prometheus_client import CollectorRegistry, Gauge

    registry = CollectorRegistry()
    counts = Counter(e.get("event") for e in events)
    failures = Gauge(
        "oasis_failures_total",
        "CI failures classified, by category",
        ["category"],
        registry=registry,
    )
    for category, count in Counter(
        e.get("category") for e in events if e.get("event") == "failure"
    ).items():
        failures.labels(category=str(category)).set(count)
    for name, event, help_text in (
        ("oasis_retries_total", "rerun", "failed runs OASIS reran"),
        ("oasis_merges_total", "merge", "pull requests OASIS merged"),
        ("oasis_closes_total", "close", "pull requests OASIS closed"),
    ):
        Gauge(name, help_text, registry=registry).set(counts.get(event, 0))
    Gauge("oasis_flaky_tests", "distinct tests found flaky", registry=registry).set(
        len({e.get("test") for e in events if e.get("event") == "flaky"})
    )
    trainings = [e for e in events if e.get("event") == "train"]
    duration = Gauge(
        "oasis_training_duration_seconds", "duration of the latest training", registry=registry
    )
    metric = Gauge(
        "oasis_model_metric",
        "holdout metrics of the latest model",
        ["metric", "version"],
        registry=registry,
    )
    if trainings:
        latest = max(trainings, key=lambda e: e.get("time", 0))
        duration.set(float(latest.get("duration", 0.0)))
        for name, value in (latest.get("metrics") or {}).items():
            metric.labels(metric=name, version=str(latest.get("version", ""))).set(float(value))
    return registry


def run(config: Config, ctx: Context) -> Outcome:
    from prometheus_client import generate_latest, push_to_gateway, write_to_textfile

    from oasis_action import events as store

    workspace = ctx.runner.workspace
    registry = build_registry(
        store.read(workspace / config.events if config.events else ctx.events_store)
    )
    if config.pushgateway and not config.pushgateway.startswith(("http://", "https://")):
        raise InputError(f"--pushgateway must be an http(s) URL, got {config.pushgateway!r}")
    if config.textfile:
        target = ctx.runner.writable(config.textfile, "--textfile")
        if not target.parent.is_dir():
            raise InputError(f"the folder of --textfile {config.textfile!r} does not exist")
        write_to_textfile(str(target), registry)
        ctx.reporter.result(f"metrics written to {config.textfile}")
    if config.pushgateway:
        try:
            push_to_gateway(config.pushgateway, job=config.job, registry=registry, timeout=10)
        except OSError as error:
            from oasis_action.errors import JobFailed

            raise JobFailed(f"pushing to {config.pushgateway} failed: {error}") from None
        ctx.reporter.result(f"metrics pushed to {config.pushgateway} (job {config.job})")
    if not config.textfile and not config.pushgateway:
        ctx.reporter.result(generate_latest(registry).decode().rstrip("\n"))
    return Outcome()
