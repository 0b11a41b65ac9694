"""Conventional Commits 1.0.0, parsed to the specification (https://www.conventionalcommits.org).

- header `type(scope)!: description`; the type is case-insensitive (`Feat:` is `feat`), a
  colon and a space follow it;
- footers are the trailing paragraph(s) of `Token: value` or `Token #value` lines (a value may
  continue on the next lines); `BREAKING CHANGE` (upper case) and `BREAKING-CHANGE` mark a
  breaking change, and so does `!` before the colon. "BREAKING CHANGES are..." in a body is
  prose, not a footer;
- git's own `Revert "<header>"` (with "This reverts commit <sha>.") and `revert: <header>`
  (with `Refs: <sha>`) revert a commit; a revert and what it reverts cancel out in one range;
- a squash merge whose body lists the squashed commits (`* feat: x`) counts each of them.

No library does this to the spec here (commitizen and python-semantic-release parse inside
their own frameworks), so the examples of the specification are tests of this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import semver

HEADER = re.compile(
    r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?(?P<bang>!)?: (?P<subject>\S.*)$"
)
FOOTER = re.compile(
    r"^(?P<token>BREAKING CHANGE|BREAKING-CHANGE|[A-Za-z][\w-]*)(?:: | #)(?P<value>.*)$"
)
GIT_REVERT = re.compile(r'^Revert "(?P<header>.+)"$')
REVERTS_SHA = re.compile(r"This reverts commit (?P<sha>[0-9a-f]{7,40})")
PULL = re.compile(r"\s*\(#(?P<number>\d+)\)\s*$")
SQUASHED = re.compile(r"^\s*[*-] (?P<header>[A-Za-z][\w-]*(?:\([^()\r\n]*\))?!?: \S.*)$")
LEVELS = (None, "patch", "minor", "major")
BREAKING_TOKENS = ("BREAKING CHANGE", "BREAKING-CHANGE")


@dataclass(frozen=True)
class Commit:
    """One parsed commit (or one item of a squash merge)."""

    sha: str
    type: str
    scope: str
    subject: str
    breaking: bool = False
    breaking_text: str = ""
    footers: tuple[tuple[str, str], ...] = ()
    pull: int | None = None
    reverts: tuple[str, ...] = ()
    """Shas, or headers, of the commits this one reverts."""
    header: str = ""
    squashed: tuple[Commit, ...] = field(default=(), compare=False)

    @property
    def level(self) -> str | None:
        """The SemVer level this commit asks for (before the 0.x rule)."""
        if self.breaking:
            return "major"
        return {"feat": "minor", "fix": "patch", "perf": "patch"}.get(self.type)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def parse_footers(body_lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(body lines, footers): footers are the trailing paragraphs whose first line is one."""
    paragraphs = _paragraphs(body_lines)
    start = len(paragraphs)
    while start > 0 and FOOTER.match(paragraphs[start - 1][0]):
        start -= 1
    footers: list[tuple[str, str]] = []
    for paragraph in paragraphs[start:]:
        for line in paragraph:
            match = FOOTER.match(line)
            if match:
                footers.append((match["token"], match["value"].strip()))
            elif footers:
                token, value = footers[-1]
                footers[-1] = (token, f"{value}\n{line.strip()}")
    body = [line for paragraph in paragraphs[:start] for line in [*paragraph, ""]]
    return body, footers


def _revert_targets(header: str, body: str, footers: list[tuple[str, str]]) -> tuple[str, ...]:
    shas = REVERTS_SHA.findall(body)
    shas += [
        sha
        for token, value in footers
        if token.lower() == "refs"
        for sha in re.findall(r"\b[0-9a-f]{7,40}\b", value)
    ]
    return tuple(shas) or ((header,) if header else ())


def parse(message: str, sha: str = "") -> Commit | None:
    """The commit, or None when its header is not a Conventional Commit (nor a git revert)."""
    lines = message.strip("\n").splitlines()
    if not lines:
        return None
    first = lines[0].strip()
    body_lines, footers = parse_footers(lines[1:])
    body = "\n".join(body_lines)
    git_revert = GIT_REVERT.match(first)
    if git_revert:
        reverted = git_revert["header"]
        return Commit(
            sha, "revert", "", f'Revert "{reverted}"', header=first,
            reverts=_revert_targets(reverted, body, footers),
        )  # fmt: skip
    match = HEADER.match(first)
    if match is None:
        return None
    kind = match["type"].lower()
    breaking_footer = next((v for t, v in footers if t in BREAKING_TOKENS), "")
    subject = match["subject"].strip()
    pull = PULL.search(subject)
    reverts = _revert_targets(subject, body, footers) if kind == "revert" else ()
    commit = Commit(
        sha,
        kind,
        (match["scope"] or "").strip(),
        PULL.sub("", subject) if pull else subject,
        bool(match["bang"]) or bool(breaking_footer),
        breaking_footer or (subject if match["bang"] else ""),
        tuple(footers),
        int(pull["number"]) if pull else None,
        reverts,
        first,
    )
    squashed = tuple(
        item
        for line in body_lines
        if (found := SQUASHED.match(line))
        for item in [parse(found["header"], sha)]
        if item is not None and item.header != first
    )
    return Commit(**{**commit.__dict__, "squashed": squashed})


def expand(commits: Iterable[Commit]) -> list[Commit]:
    """Each commit, and for a squash merge each commit it lists (the merge's own header kept:
    `feat!: v8 (#619)` still counts as the breaking change it says it is)."""
    out: list[Commit] = []
    for commit in commits:
        out.append(commit)
        out.extend(item for item in commit.squashed if item.header != commit.header)
    return out


def cancel_reverts(commits: Sequence[Commit]) -> list[Commit]:
    """The commits left once every revert and the commit it reverts (both in this range) are
    dropped; a revert of something released earlier stays (it is a change of this release)."""
    by_key = {c.sha: c for c in commits if c.sha}
    by_key.update({c.header: c for c in commits if c.header})
    dropped: set[int] = set()
    for commit in commits:
        for target in commit.reverts:
            hit = next((c for key, c in by_key.items() if key and key.startswith(target)), None)
            if hit is not None and hit is not commit:
                dropped.update({id(hit), id(commit)})
                break
    return [c for c in commits if id(c) not in dropped]


def zero_major(level: str | None, current: semver.Version | None) -> str | None:
    """Before 1.0.0 a breaking change is a minor bump (python-semantic-release's and
    commitizen's default: `major_on_zero` / `major_version_zero` off)."""
    if level == "major" and current is not None and current.major == 0:
        return "minor"
    return level
