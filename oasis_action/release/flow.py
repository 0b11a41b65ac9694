"""The release flow shared by `release` and `train-and-release`: confirm, gate, notes, tag, publish."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError, JobFailed
from oasis_action.github.port import FullPort
from oasis_action.options import Kind, Option

TOLERANCE = Option(
    "regression-tolerance",
    Kind.FLOAT,
    default=0.02,
    minimum=0,
    maximum=1,
    help="how far the primary metric may fall below the released model's",
)


def confirm(ctx: Context, question: str, skip: bool) -> None:
    """In a terminal, ask; elsewhere (Actions, pipes) go on only with --no-confirm."""
    if skip or ctx.reporter.actions:
        return
    if not sys.stdin.isatty():
        raise InputError("not a terminal: pass --no-confirm to release without a prompt")
    ctx.reporter.progress(question + " [y/N] ")
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise JobFailed("release cancelled")


def release_current(
    port: FullPort,
    workspace: Path,
    models: str,
    notes: str,
    tolerance: float,
    ctx: Context,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Gate, changelog, tag, release. Returns what happened (for outputs and the summary).
    A dry run writes nothing, the local tag included (a tag would empty the next changelog)."""
    from oasis_action.ml.store import ModelStore, StoreError
    from oasis_action.ml.training import HIGHER_IS_BETTER
    from oasis_action.release import gate, publish
    from oasis_action.release.notes import section

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
    ctx.reporter.info(result.reason)
    if not result.passed:
        raise GateFailed(result.reason)
    _, text = section(workspace, models, notes=notes, version=str(model.version))
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
