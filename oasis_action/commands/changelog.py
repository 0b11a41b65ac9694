"""`oasis changelog`: Keep-a-Changelog Markdown from Conventional Commits since the last tag,
plus the current model's metric deltas against the version before it."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.fsutil import atomic_write
from oasis_action.options import MODELS, Option
from oasis_action.outcome import Outcome
from oasis_action.release.changelog import merge_into
from oasis_action.release.notes import TAG_PREFIX, NotesRequest, section

OPTIONS = (
    Option(
        "since", metavar="REV", help="tag or commit to start from (default: the last OASIS tag)"
    ),
    Option("version", cli_only=True, help="version heading (default: the current model's)"),
    MODELS,
    TAG_PREFIX,
    Option("notes", default="", help="text to put at the top of the section"),
    Option(
        "output",
        cli_only=True,
        metavar="FILE",
        help="write the section into this Keep-a-Changelog file (replacing its own section)",
    ),
)


@dataclass(frozen=True)
class Config:
    since: str | None
    version: str | None
    models: str
    tag_prefix: str
    notes: str
    output: str | None


def run(config: Config, ctx: Context) -> Outcome:
    request = NotesRequest(
        ctx.workspace,
        config.models,
        config.tag_prefix,
        config.since,
        config.version,
        config.notes,
        repo_url=ctx.runner.repository_url,
        warn=ctx.reporter.progress,
    )
    heading, text = section(request)
    if config.output:
        target = ctx.runner.writable(config.output, "--output")
        old = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else ""
        atomic_write(target, merge_into(old, text), owner_of=ctx.workspace)
    ctx.reporter.result(text.rstrip("\n"))
    return Outcome(reason=f"changelog section {heading or 'Unreleased'}")
