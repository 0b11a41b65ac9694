"""`oasis changelog`: Keep-a-Changelog Markdown from Conventional Commits since the last tag,
plus the current model's metric deltas against the version before it."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.fsutil import atomic_write
from oasis_action.options import MODELS, Option
from oasis_action.outcome import Outcome
from oasis_action.release.notes import section

OPTIONS = (
    Option("since", help="tag to start from (default: the last v* tag)"),
    Option("version", cli_only=True, help="version heading (default: the current model's)"),
    MODELS,
    Option("notes", default="", help="text to put at the top of the section"),
    Option(
        "output",
        cli_only=True,
        metavar="FILE",
        help="prepend the section to this file (e.g. CHANGELOG.md)",
    ),
)


@dataclass(frozen=True)
class Config:
    since: str | None
    version: str | None
    models: str
    notes: str
    output: str | None


def run(config: Config, ctx: Context) -> Outcome:
    workspace = ctx.runner.workspace
    _, text = section(workspace, config.models, config.since, config.version, config.notes)
    if config.output:
        target = ctx.runner.writable(config.output, "--output")
        old = target.read_text(encoding="utf-8") if target.is_file() else "# Changelog\n\n"
        head, _, rest = old.partition("\n## ")
        merged = f"{head.rstrip()}\n\n{text}\n" + (f"## {rest}" if rest else "")
        atomic_write(target, merged, owner_of=workspace)
    ctx.reporter.result(text.rstrip("\n"))
    return Outcome()
