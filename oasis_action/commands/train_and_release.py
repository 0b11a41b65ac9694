"""`train-and-release`: train, evaluate on the holdout, gate against the released model, bump,
changelog, release — and roll the store back when the gate or the post-release smoke test fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oasis_action.commands import train
from oasis_action.commands.release import TOLERANCE, GateFailed, release_current
from oasis_action.errors import JobFailed
from oasis_action.github.client import connect, settings_for
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.runner import Reporter

OPTIONS = (
    *train.OPTIONS,
    Option("release", Kind.BOOL, default=True, help="publish a GitHub Release (false: train only)"),
    TOLERANCE,
    Option("notes", default="", help="text to put at the top of the release notes"),
    *GITHUB_OPTIONS,
)


@dataclass(frozen=True)
class Config(train.Config):
    """`train`'s configuration plus what releasing needs."""

    release: bool
    regression_tolerance: float
    notes: str
    dry_run: bool
    max_api_calls: int
    repo: str | None


def _smoke_rows(workspace: Any, config: Config, metadata: dict[str, Any]) -> Any:
    from oasis_action.ml import data as mldata
    from oasis_action.ml.features import align

    frame = mldata.read_csv(mldata.resolve_data_path(config.data, workspace))
    return align(mldata.prepare_features(frame.head(50)), metadata["features"])


def run(config: Config, reporter: Reporter) -> int:
    from oasis_action.ml.store import ModelStore
    from oasis_action.release.publish import smoke_test

    workspace = reporter.context.workspace
    store = ModelStore(reporter.context.writable(config.models, "models"), owner_of=workspace)
    before = store.current_version()
    train.run(config, reporter)
    if not config.release:
        return 0

    def roll_back(why: str) -> None:
        if before is not None:
            store.make_current(before, event="rollback")
            reporter.info(f"{why}; the model store is back at {before}")

    settings = settings_for(reporter.context, config.repo, config.max_api_calls, config.dry_run)
    with connect(settings, reporter.info) as (port, budget):
        try:
            done = release_current(
                port,
                workspace,
                config.models,
                config.notes,
                config.regression_tolerance,
                reporter,
                config.dry_run,
            )
        except GateFailed as failure:
            roll_back("the regression gate failed")
            reporter.summary(f"## OASIS train-and-release: blocked\n\n{failure}\n")
            raise
        published, model = done["published"], done["model"]
        problem = (
            ""
            if config.dry_run
            else smoke_test(
                port, published.tag, model, _smoke_rows(workspace, config, model.metadata)
            )
        )
        api_calls = budget.used
    if problem:
        roll_back(f"post-release smoke test failed: {problem}")
        raise JobFailed(f"release {published.tag} failed its smoke test: {problem}")
    metrics = model.metadata["metrics"]
    reporter.summary(
        f"## OASIS train-and-release {published.tag}\n\n{done['gate'].reason}\n\n| metric | value |\n|---|---|\n"
        + "\n".join(f"| {k} | {v:.4f} |" for k, v in metrics.items())
        + f"\n\n{done['notes']}\n\nAPI calls: {api_calls}\n"
    )
    reporter.set_output("release-url", published.url)
    reporter.set_output("action-taken", "released" if not config.dry_run else "trained")
    reporter.set_output("reason", f"released {published.tag}; {done['gate'].reason}")
    reporter.set_output("api-calls", api_calls)
    return 0
