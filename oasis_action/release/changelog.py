"""Keep-a-Changelog Markdown from Conventional Commits, plus the model's metric deltas; and the
git side of releases: OASIS's tags (a prefix of their own, SemVer-validated), the range of a
release, commits read safely whatever their encoding."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import semver

from oasis_action.errors import InputError
from oasis_action.release.commits import Commit, cancel_reverts, expand, parse

DEFAULT_PREFIX = "model-v"
SECTIONS = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Changed",
    "refactor": "Changed",
    "revert": "Changed",
    "security": "Security",
    "deprecate": "Deprecated",
}
ORDER = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def group(commits: Iterable[Commit | None]) -> dict[str, list[Commit]]:
    """Changelog sections and their commits: squash merges expanded, reverts cancelled against
    what they revert; chores, docs, tests and the like only when they break something."""
    sections: dict[str, list[Commit]] = {}
    for commit in cancel_reverts(expand(c for c in commits if c is not None)):
        section = SECTIONS.get(commit.type) or ("Changed" if commit.breaking else None)
        if section:
            sections.setdefault(section, []).append(commit)
    return sections


def entry(commit: Commit, repo_url: str = "") -> str:
    """One changelog line: scope, subject, the breaking-change text, PR and commit links."""
    text = (f"**{commit.scope}:** " if commit.scope else "") + commit.subject
    if commit.type == "revert" and not commit.subject.startswith("Revert"):
        text = f"Reverted: {text}"
    if commit.breaking:
        text = f"**BREAKING** {text}"
        explained = commit.breaking_text.strip()
        if explained and explained != commit.subject:
            text += " (" + " ".join(explained.split()) + ")"
    if commit.pull is not None:
        text += (
            f" ([#{commit.pull}]({repo_url}/pull/{commit.pull}))"
            if repo_url
            else f" (#{commit.pull})"
        )
    if commit.sha and repo_url:
        text += f" ([{commit.sha[:7]}]({repo_url}/commit/{commit.sha}))"
    return f"- {text}"


def metric_deltas(new: dict[str, float], old: dict[str, float] | None) -> list[str]:
    rows = []
    for name, value in sorted(new.items()):
        before = (old or {}).get(name)
        delta = f" ({value - before:+.4f} vs previous)" if before is not None else ""
        rows.append(f"- {name}: {value:.4f}{delta}")
    return rows


@dataclass(frozen=True)
class Section:
    """What one changelog section says."""

    version: str | None
    """None: the `[Unreleased]` section."""
    date: str
    commits: Sequence[Commit]
    metrics: dict[str, float] | None = None
    previous_metrics: dict[str, float] | None = None
    notes: str = ""
    repo_url: str = ""
    why: Sequence[str] = ()
    """Why the version is what it is (the commits' level and the model's)."""


def render(section: Section) -> str:
    """One Keep-a-Changelog section."""
    title = f"## [{section.version}] - {section.date}" if section.version else "## [Unreleased]"
    out = [title, ""]
    if section.notes.strip():
        out += [section.notes.strip(), ""]
    grouped = group(section.commits)
    for name in ORDER:
        if grouped.get(name):
            out += [f"### {name}", "", *(entry(c, section.repo_url) for c in grouped[name]), ""]
    if section.metrics:
        out += ["### Model", "", *metric_deltas(section.metrics, section.previous_metrics), ""]
    if section.why:
        out += ["### Version", "", *(f"- {line}" for line in section.why), ""]
    if len(out) == 2:
        out += ["No notable changes.", ""]
    return "\n".join(out)


def merge_into(existing: str, section: str) -> str:
    """`existing` (a Keep-a-Changelog file, possibly empty) with `section` in its place: a
    section for the same version is replaced, an `[Unreleased]` section gives way to a
    release, a new one goes above the newest. Running it twice changes nothing."""
    if not existing.strip():
        return f"# Changelog\n\n{section.rstrip()}\n"
    title = section.splitlines()[0]
    key = title.split(" - ")[0].strip()
    lines = existing.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    drop = {i for i in starts if lines[i].split(" - ")[0].strip() in (key, "## [Unreleased]")}
    kept: list[str] = []
    skipping = False
    for index, line in enumerate(lines):
        if index in starts:
            skipping = index in drop
        if not skipping:
            kept.append(line)
    first = next((i for i, line in enumerate(kept) if line.startswith("## ")), len(kept))
    head = "\n".join(kept[:first]).rstrip()
    tail = "\n".join(kept[first:]).strip()
    parts = [part for part in (head, section.strip(), tail) if part]
    return "\n\n".join(parts) + "\n"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True)


def require_repository(root: Path) -> None:
    """Exit 2 outside a git work tree or in one with no commits."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise InputError(f"{root} is not a git repository: the changelog is made from its commits")
    if _git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}").returncode != 0:
        raise InputError(f"the git repository at {root} has no commits yet")


def is_shallow(root: Path) -> bool:
    done = _git(root, "rev-parse", "--is-shallow-repository")
    return done.stdout.strip() == b"true"


def tags(
    root: Path, prefix: str, merged_into: str | None = None
) -> list[tuple[semver.Version, str]]:
    """OASIS's tags (`<prefix><semver>`, a valid SemVer after the prefix), oldest first."""
    args = ["tag", "--list", f"{prefix}*"]
    if merged_into:
        args[1:1] = ["--merged", merged_into]
    done = _git(root, *args)
    found = []
    for raw in done.stdout.decode("utf-8", "replace").split():
        rest = raw[len(prefix) :]
        if raw.startswith(prefix) and semver.Version.is_valid(rest):
            found.append((semver.Version.parse(rest), raw))
    return sorted(found)


def last_tag(root: Path, prefix: str, before: str = "HEAD") -> str | None:
    """The highest OASIS tag reachable from `before`."""
    found = tags(root, prefix, before)
    return found[-1][1] if found else None


def tag_commit(root: Path, tag: str) -> str | None:
    done = _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}")
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def release_range(root: Path, tag: str, prefix: str) -> tuple[str | None, str]:
    """(from, to) of the commits a release lists: the previous OASIS tag to the release's own
    tag when it exists already (a re-run rebuilds the same notes), else the last tag to HEAD."""
    if tag_commit(root, tag) is not None:
        earlier = [t for v, t in tags(root, prefix, f"{tag}^") if t != tag]
        return (earlier[-1] if earlier else None), tag
    return last_tag(root, prefix), "HEAD"


def require_revision(root: Path, revision: str) -> None:
    """Exit 2 unless `revision` names a commit here (a value such as `--output=x` is a name,
    never a git option)."""
    done = _git(root, "rev-parse", "-q", "--verify", "--end-of-options", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise InputError(f"--since {revision!r} is not a tag or commit of this repository")


def messages_since(root: Path, start: str | None, until: str = "HEAD") -> list[tuple[str, str]]:
    """(sha, message) of the commits after `start` up to `until` (all history without a start),
    newest first; a message in any encoding is read (undecodable bytes replaced), never fatal."""
    span = [f"{start}..{until}"] if start else [until]
    done = _git(root, "log", "--format=%H%x1f%B%x1e", "--end-of-options", *span)
    if done.returncode != 0:
        raise InputError(f"git log failed: {done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    pairs = []
    for record in done.stdout.decode("utf-8", "replace").split("\x1e"):
        sha, _, message = record.strip("\n").partition("\x1f")
        if sha.strip():
            pairs.append((sha.strip(), message))
    return pairs


def commits_since(root: Path, start: str | None, until: str = "HEAD") -> list[Commit | None]:
    """The commits of the range, parsed (None for a commit that is not conventional)."""
    return [parse(message, sha) for sha, message in messages_since(root, start, until)]
