"""One version, two sources of change: the commits since the last model release, and what
changed in the model. The higher level wins, and each source says why.

- commits (Conventional Commits 1.0.0): a breaking change is major (minor before 1.0.0),
  `feat` minor, `fix`/`perf` patch;
- the model: a changed task, target, class list or feature set is major (its users' inputs or
  outputs changed); a better primary metric is minor; anything else is patch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import semver

from oasis_action.release.commits import LEVELS, cancel_reverts, expand, parse, zero_major
from oasis_action.release.gate import schema_change


def model_level(
    new: dict[str, Any], current: dict[str, Any] | None, primary: str, higher_is_better: bool
) -> tuple[str, str]:
    """(level, why) from the model alone; `new` and `current` are metadata-shaped."""
    if current is None:
        return "minor", "model: the first version"
    changed = schema_change(new, current)
    if changed:
        return "major", f"model: {changed} (major)"
    value, before = new["metrics"][primary], current.get("metrics", {}).get(primary)
    if not isinstance(before, (int, float)):
        return "minor", f"model: {primary}={value:.4f}, the current version has none (minor)"
    improved = value > before if higher_is_better else value < before
    compared = f"{primary} {value:.4f} vs {before:.4f}"
    return (
        ("minor", f"model: {compared}, better (minor)")
        if improved
        else (
            "patch",
            f"model: {compared}, not better (patch)",
        )
    )


def commit_level(
    messages: Sequence[tuple[str, str]], current: semver.Version | None, since: str | None
) -> tuple[str | None, str]:
    """(level or None, why) from the commits since the last model release."""
    parsed = [c for c in (parse(m, sha) for sha, m in messages) if c is not None]
    kept = cancel_reverts(expand(parsed))
    counts = Counter("breaking" if c.breaking else c.type for c in kept if c.level)
    raw = max((c.level for c in kept), key=LEVELS.index, default=None)
    level = zero_major(raw, current)
    origin = f"since {since}" if since else "in the whole history"
    if level is None:
        return None, f"commits: {len(messages)} {origin}, none asks for a release"
    listed = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    note = " (breaking before 1.0.0: minor)" if raw == "major" and level == "minor" else ""
    return level, f"commits: {listed} {origin} ({level}{note})"


def bump_to(released: semver.Version | None, level: str | None) -> semver.Version | None:
    """The version the commits ask for: the last release bumped at their level."""
    if level is None:
        return None
    if released is None:
        return semver.Version(0, 1, 0)
    bumped = {"major": released.bump_major, "minor": released.bump_minor}
    return bumped.get(level, released.bump_patch)()


def next_version(
    current: semver.Version | None, messages: Sequence[tuple[str, str]]
) -> tuple[semver.Version | None, str | None]:
    """(next version, level) from `(sha, message)` pairs since the release `current`; (None,
    None) when no commit asks for a release. The first release is 0.1.0."""
    level, _ = commit_level(messages, current, None)
    return bump_to(current, level), level
