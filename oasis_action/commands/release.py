"""`oasis release`: tag v<semver>, changelog section, and a GitHub Release with the model's files.

The regression gate runs first: a model whose primary holdout metric falls more than
`regression-tolerance` below the latest release's fails the release (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import GITHUB_OPTIONS, MODELS, Kind, Option
from oasis_action.outcome import Outcome, Output
from oasis_action.release.flow import (
    TOLERANCE,
    GateFailed,
    confirm,
    release_current,
    request_for,
)
from oasis_action.release.notes import TAG_PREFIX

OPTIONS = (
    Option("notes", default="", help="text to put at the top of the release notes"),
    Option(
        "confirm",
        Kind.BOOL,
        default=True,
        cli_only=True,
        help="ask before releasing in a terminal (--no-confirm: do not ask)",
    ),
    MODELS,
    TAG_PREFIX,
    TOLERANCE,
    *GITHUB_OPTIONS,
)


OUTPUTS = (
    Output("version", "the released model version"),
    Output("release-url", "the GitHub Release page"),
)


@dataclass(frozen=True)
class Config:
    notes: str
    confirm: bool
    models: str
    tag_prefix: str
    regression_tolerance: float
    dry_run: bool
    max_api_calls: int
    repo: str | None


def run(config: Config, ctx: Context) -> Outcome:
    confirm(
        ctx,
        f"release the current model of {config.models}/ to GitHub?",
        not config.confirm or config.dry_run,
    )
    with ctx.github(config.repo, config.max_api_calls, config.dry_run) as port:
        try:
            done = release_current(port, request_for(config, ctx), ctx)
        except GateFailed as failure:
            blocked = Outcome(summary=[f"## OASIS release: blocked\n\n{failure}\n"])
            raise failure.with_outcome(blocked) from None
    published = done["published"]
    verb = "created" if published.created else "updated"
    ctx.reporter.result(f"release {published.tag} {verb}: {published.url or '(dry run)'}")
    return Outcome(
        action_taken="released" if not config.dry_run else "none",
        reason=f"release {published.tag} {verb}; {done['gate'].reason}",
        outputs={"version": str(done["model"].version), "release-url": published.url},
        summary=[
            f"## OASIS release {published.tag}\n\n{done['gate'].reason}\n\n{done['notes']}\n\nAPI calls: {ctx.api_calls}\n"
        ],
    )
