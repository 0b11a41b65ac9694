"""`oasis release`: tag v<semver>, changelog section, and a GitHub Release with the model's files.

The regression gate runs first: a model whose primary holdout metric falls more than
`regression-tolerance` below the latest release's fails the release (exit 1).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis_action.errors import InputError, JobFailed
from oasis_action.github.client import connect, settings_for
from oasis_action.github.port import FullPort
from oasis_action.options import GITHUB_OPTIONS, Kind, Option
from oasis_action.runner import Reporter

TOLERANCE = Option(
    "regression-tolerance",
    Kind.FLOAT,
    default=0.02,
    minimum=0,
    maximum=1,
    help="how far the primary metric may fall below the released model's",
)

OPTIONS = (
    Option("notes", default="", help="text to put at the top of the release notes"),
    Option(
        "confirm",
        Kind.BOOL,
        default=True,
        cli_only=True,
        help="ask before releasing in a terminal (--no-confirm: do not ask)",
    ),
    Option("models", default="models", help="model store folder"),
    TOLERANCE,
    *GITHUB_OPTIONS,
)


@dataclass(frozen=True)
class Config:
    notes: str
    confirm: bool
    models: str
    regression_tolerance: float
    dry_run: bool
    max_api_calls: int
    repo: str | None


def confirm(reporter: Reporter, question: str, skip: bool) -> None:
    """In a terminal, ask; elsewhere (Actions, pipes) go on only with --no-confirm."""
    if skip or reporter.actions:
        return
    if not sys.stdin.isatty():
        raise InputError("not a terminal: pass --no-confirm to release without a prompt")
    reporter.progress(question + " [y/N] ")
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise JobFailed("release cancelled")


def release_current(
    port: FullPort,
    workspace: Path,
    models: str,
    notes: str,
    tolerance: float,
    reporter: Reporter,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Gate, changelog, tag, release. Returns what happened (for outputs and the summary).
    A dry run writes nothing, the local tag included (a tag would empty the next changelog)."""
    from oasis_action.commands.changelog import Config as ChangelogConfig
    from oasis_action.commands.changelog import section
    from oasis_action.ml.store import ModelStore, StoreError
    from oasis_action.ml.training import HIGHER_IS_BETTER
    from oasis_action.release import gate, publish

    store = ModelStore(workspace / models)
    try:
        model = store.load()
    except StoreError as error:
        raise InputError(f"nothing to release: {error}") from None
    primary = model.metadata["primary_metric"]
    _, released = publish.released_metrics(port)
    result = gate.check(
        primary,
        model.metadata["metrics"][primary],
        (released or {}).get(primary),
        tolerance,
        HIGHER_IS_BETTER[primary],
    )
    reporter.info(result.reason)
    if not result.passed:
        raise GateFailed(result.reason)
    _, text = section(
        workspace, ChangelogConfig(None, None, models, notes, None), str(model.version)
    )
    target = _head(workspace) or port.default_branch()
    published = publish.publish(port, model, text, target)
    tagged = False if dry_run else publish.local_tag(workspace, published.tag)
    return {"model": model, "published": published, "gate": result, "notes": text, "tagged": tagged}


class GateFailed(JobFailed):
    """The new model is worse than the released one by more than the tolerance."""


def _head(workspace: Path) -> str | None:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else None


def run(config: Config, reporter: Reporter) -> int:
    workspace = reporter.context.workspace
    confirm(
        reporter,
        f"release the current model of {config.models}/ to GitHub?",
        not config.confirm or config.dry_run,
    )
    with connect(
        settings_for(reporter.context, config.repo, config.max_api_calls, config.dry_run),
        reporter.info,
    ) as (port, budget):
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
            reporter.summary(f"## OASIS release: blocked\n\n{failure}\n")
            raise
        api_calls = budget.used
    published = done["published"]
    verb = "created" if published.created else "updated"
    reporter.result(f"release {published.tag} {verb}: {published.url or '(dry run)'}")
    reporter.summary(
        f"## OASIS release {published.tag}\n\n{done['gate'].reason}\n\n{done['notes']}\n\nAPI calls: {api_calls}\n"
    )
    reporter.set_output("version", str(done["model"].version))
    reporter.set_output("release-url", published.url)
    reporter.set_output("action-taken", "released" if not config.dry_run else "none")
    reporter.set_output("reason", f"release {published.tag} {verb}; {done['gate'].reason}")
    reporter.set_output("api-calls", api_calls)
    return 0
