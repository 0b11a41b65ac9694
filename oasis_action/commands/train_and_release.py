"""`train-and-release`: train, evaluate on the holdout, gate against the released model, bump,
changelog, release — and roll the store back when the gate or the post-release smoke test fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import JobFailed
from oasis_action.markdown import table
from oasis_action.ml.pipeline import TRAIN_OPTIONS, TrainConfig, trained_outcome
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.release.flow import TOLERANCE, GateFailed, release_current, request_for

OPTIONS = (
    *TRAIN_OPTIONS,
    Option("release", Kind.BOOL, default=True, help="publish a GitHub Release (false: train only)"),
    TOLERANCE,
    Option("notes", default="", help="text to put at the top of the release notes"),
    *GITHUB_OPTIONS,
)

OUTPUTS = (
    Output("version", "the released model version"),
    Output("metrics", "holdout metrics as JSON", {}),
    Output("release-url", "the GitHub Release page"),
    Output("model-path", "path of the stored model file in the workspace"),
)


@dataclass(frozen=True)
class Config(TrainConfig):
    """`train`'s configuration plus what releasing needs."""

    release: bool
    regression_tolerance: float
    notes: str
    dry_run: bool
    max_api_calls: int
    repo: str | None


def _smoke_rows(workspace: Any, config: Config, stored: Any) -> Any:
    """The first rows of the training data as the released model sees them (its schema)."""
    from oasis_action.ml import data as mldata
    from oasis_action.ml.schema import read_chunks

    schema = stored.model().schema_
    path = mldata.resolve_data_path(config.data, workspace)
    return schema.transform(next(read_chunks(path, schema, 50)))


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.ml.pipeline import train_and_store
    from oasis_action.ml.store import ModelStore
    from oasis_action.release.publish import smoke_test

    store = ModelStore(ctx.runner.writable(config.models, "models"), owner_of=ctx.workspace)
    before = store.current_version()
    outcome = trained_outcome(train_and_store(config, ctx), ctx)
    if not config.release:
        return outcome

    def roll_back(why: str) -> None:
        if before is not None:
            store.make_current(before, event="rollback")
            ctx.reporter.info(f"{why}; the model store is back at {before}")

    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        try:
            done = release_current(port, request_for(config, ctx), ctx)
        except GateFailed as failure:
            roll_back("the regression gate failed")
            blocked = f"## OASIS train-and-release: blocked\n\n{failure}\n"
            raise failure.with_outcome(Outcome(summary=[blocked])) from None
        published, model = done["published"], done["model"]
        problem = (
            ""
            if config.dry_run
            else smoke_test(port, published.tag, model, _smoke_rows(ctx.workspace, config, model))
        )
    if problem:
        roll_back(f"post-release smoke test failed: {problem}")
        raise JobFailed(f"release {published.tag} failed its smoke test: {problem}")
    metrics = model.metadata["metrics"]
    rows = [(name, f"{value:.4f}") for name, value in metrics.items()]
    outcome.summary = [
        f"## OASIS train-and-release {published.tag}\n\n{done['gate'].reason}\n\n{table(('metric', 'value'), rows)}"
        f"\n\n{done['notes']}\n\nAPI calls: {ctx.api_calls}\n"
    ]
    outcome.outputs["release-url"] = published.url
    outcome.action_taken = "released" if not config.dry_run else "trained"
    outcome.reason = f"released {published.tag}; {done['gate'].reason}"
    return outcome
