"""The release flow shared by `release` and `train-and-release`: confirm, gate, notes, tag, publish."""

from __future__ import annotations

import sys
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ReleaseRequest:
    """What `release` and `train-and-release` ask the flow to do."""

    workspace: Path
    models: str
    notes: str
    tolerance: float
    prefix: str
    dry_run: bool = False
    repo_url: str = ""


def request_for(config: Any, ctx: Context) -> ReleaseRequest:
    """The request of a command that declares the release options (`release`,
    `train-and-release`): models, notes, regression-tolerance, tag-prefix, dry-run, repo."""
    return ReleaseRequest(
        ctx.workspace,
        config.models,
        config.notes,
        config.regression_tolerance,
        config.tag_prefix,
        config.dry_run,
        ctx.runner.url_of(config.repo or ctx.runner.repository),
    )


def release_current(port: FullPort, request: ReleaseRequest, ctx: Context) -> dict[str, Any]:
    """Gate, changelog, tag, release. Returns what happened (for outputs and the summary).

    The gate compares with the latest release OASIS made (its marker and its metadata.json);
    a changed schema needs a major version. A release of the same tag that OASIS did not make
    is never edited, and local and remote tags must name the same commit. A dry run writes
    nothing, the local tag included (a tag would empty the next changelog)."""
    from oasis_action.ml.store import ModelStore
    from oasis_action.release import publish
    from oasis_action.release.notes import NotesRequest, section

    model = ModelStore(request.workspace / request.models).load()
    tag = f"{request.prefix}{model.version}"
    publish.refuse_foreign(port.release(tag), tag)
    released = publish.latest_oasis_release(port, request.prefix, exclude=tag)
    result = _gate(model, released, request.tolerance)
    ctx.reporter.info(result.reason)
    if not result.passed:
        raise GateFailed(result.reason)
    notes_request = NotesRequest(
        request.workspace,
        request.models,
        request.prefix,
        notes=request.notes,
        version=str(model.version),
        repo_url=request.repo_url,
        warn=ctx.reporter.progress,
    )
    _, text = section(notes_request)
    target = _head(request.workspace) or port.default_branch()
    publish.reconcile_tags(port, request.workspace, tag, target)
    published = publish.publish(port, model, text, target, tag)
    tagged = False if request.dry_run else publish.local_tag(request.workspace, tag)
    return {"model": model, "published": published, "gate": result, "notes": text, "tagged": tagged}


def _gate(model: Any, released: Any, tolerance: float) -> Any:
    from oasis_action.ml.training import HIGHER_IS_BETTER
    from oasis_action.release import gate

    primary = model.metadata["primary_metric"]
    changed = gate.schema_change(model.metadata, released.metadata if released else None)
    if changed and model.version.major == released.version.major:
        return gate.GateResult(
            False, primary, model.metadata["metrics"][primary], None, tolerance,
            f"{changed} since {released.tag}: a new schema needs a major version "
            "(train with --bump major or --bump auto)",
        )  # fmt: skip
    before = released.metadata.get("metrics", {}).get(primary) if released and not changed else None
    return gate.check(
        primary, model.metadata["metrics"][primary], before, tolerance, HIGHER_IS_BETTER[primary]
    )


class GateFailed(JobFailed):
    """The new model is worse than the released one by more than the tolerance."""


def _head(workspace: Path) -> str | None:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else None
