"""Keep-a-Changelog Markdown from Conventional Commits, plus the model's metric deltas."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(r"^(?P<type>[a-z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<subject>.+)$")
SECTIONS = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Changed",
    "refactor": "Changed",
    "revert": "Removed",
    "security": "Security",
    "deprecate": "Deprecated",
}
ORDER = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


@dataclass(frozen=True)
class Change:
    section: str
    text: str
    breaking: bool


def parse_commit(message: str) -> Change | None:
    """A changelog entry for a Conventional Commit, or None (chore, ci, test, docs, style, or not conventional)."""
    lines = message.strip().splitlines()
    match = HEADER.match(lines[0]) if lines else None
    if match is None:
        return None
    breaking = bool(match["bang"]) or any(line.startswith("BREAKING CHANGE") for line in lines[1:])
    section = SECTIONS.get(match["type"])
    if section is None and not breaking:
        return None
    scope = f"**{match['scope']}:** " if match["scope"] else ""
    return Change(section or "Changed", scope + match["subject"].strip(), breaking)


def metric_deltas(new: dict[str, float], old: dict[str, float] | None) -> list[str]:
    rows = []
    for name, value in sorted(new.items()):
        before = (old or {}).get(name)
        delta = f" ({value - before:+.4f} vs previous)" if before is not None else ""
        rows.append(f"- {name}: {value:.4f}{delta}")
    return rows


def render(
    version: str,
    date: str,
    commits: list[str],
    metrics: dict[str, float] | None = None,
    previous_metrics: dict[str, float] | None = None,
    notes: str = "",
) -> str:
    """One Keep-a-Changelog section for `version`."""
    changes = [c for c in (parse_commit(m) for m in commits) if c]
    out = [f"## [{version}] - {date}", ""]
    if notes.strip():
        out += [notes.strip(), ""]
    for section in ORDER:
        entries = [c for c in changes if c.section == section]
        if entries:
            out += [f"### {section}", ""]
            out += [f"- {'**BREAKING** ' if c.breaking else ''}{c.text}" for c in entries]
            out.append("")
    if metrics:
        out += ["### Model", "", *metric_deltas(metrics, previous_metrics), ""]
    if len(out) == 2:
        out += ["No notable changes.", ""]
    return "\n".join(out)


def last_tag(root: Path, before: str = "HEAD") -> str | None:
    """The newest `v*` tag reachable from `before` (HEAD by default)."""
    done = subprocess.run(
        ["git", "-C", str(root), "describe", "--tags", "--abbrev=0", "--match", "v*",
         "--end-of-options", before],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return done.stdout.strip() if done.returncode == 0 else None


def release_range(root: Path, tag: str) -> tuple[str | None, str]:
    """(from, to) of the commits a release lists: the previous tag to the release's own tag
    when it exists already (a re-run rebuilds the same notes), else the last tag to HEAD."""
    exists = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
        capture_output=True,
    )
    if exists.returncode == 0:
        return last_tag(root, f"{tag}^"), tag
    return last_tag(root), "HEAD"


def require_revision(root: Path, revision: str) -> None:
    """Exit 2 unless `revision` names a commit here (a value such as `--output=x` is a name,
    never a git option)."""
    from oasis_action.errors import InputError

    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "-q", "--verify", "--end-of-options",
         f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise InputError(f"--since {revision!r} is not a tag or commit of this repository")


def commits_since(root: Path, tag: str | None, until: str = "HEAD") -> list[str]:
    """Commit messages since `tag` up to `until` (all history without a tag); [] outside a git
    repository."""
    span = [f"{tag}..{until}"] if tag else [until]
    done = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%B%x00", "--end-of-options", *span],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return []
    return [m.strip() for m in done.stdout.split("\0") if m.strip()]
