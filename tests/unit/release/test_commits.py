"""Conventional Commits 1.0.0 to the specification: its own examples, then what the release
trial found the seed got wrong, then real history (python-semantic-release's releases)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import semver

from oasis_action.release.changelog import Section, group, merge_into, render
from oasis_action.release.commits import cancel_reverts, expand, parse
from oasis_action.release.versioning import next_version

SPEC_EXAMPLES = [
    (
        "feat: allow provided config object to extend other configs\n\n"
        "BREAKING CHANGE: `extends` key in config file is now used for extending other config files",
        "feat", True, "major",
    ),
    ("feat!: send an email to the customer when a product is shipped", "feat", True, "major"),
    ("feat(api)!: send an email to the customer when a product is shipped", "feat", True, "major"),
    (
        "chore!: drop support for Node 6\n\n"
        "BREAKING CHANGE: use JavaScript features not available in Node 6.",
        "chore", True, "major",
    ),
    ("docs: correct spelling of CHANGELOG", "docs", False, None),
    ("feat(lang): add Polish language", "feat", False, "minor"),
    (
        "fix: prevent racing of requests\n\nIntroduce a request id and a reference to latest "
        "request. Dismiss\nincoming responses other than from latest request.\n\nRemove "
        "timeouts which were used to mitigate the racing issue but are\nobsolete now.\n\n"
        "Reviewed-by: Z\nRefs: #123",
        "fix", False, "patch",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("message", "kind", "breaking", "level"), SPEC_EXAMPLES)
def test_the_specifications_examples(
    message: str, kind: str, breaking: bool, level: str | None
) -> None:
    commit = parse(message)
    assert commit is not None
    assert (commit.type, commit.breaking, commit.level) == (kind, breaking, level)


def test_footers_scope_and_breaking_text() -> None:
    commit = parse(SPEC_EXAMPLES[6][0])
    assert commit is not None and commit.footers == (("Reviewed-by", "Z"), ("Refs", "#123"))
    first = parse(SPEC_EXAMPLES[0][0])
    assert first is not None and first.breaking_text.startswith("`extends` key in config file")
    scoped = parse("feat(api)!: send an email")
    assert scoped is not None and scoped.scope == "api" and scoped.breaking_text == "send an email"


@pytest.mark.parametrize(
    ("message", "breaking"),
    [
        ("docs: explain releases\n\nBREAKING CHANGES are listed in their own section.", False),
        ("fix: x\n\nBREAKING-CHANGE: the option is gone", True),
        ("fix: x\n\nbreaking change: lower case is a plain footer", False),
        ("fix: x\n\nBREAKING CHANGE: spans\ntwo lines", True),
    ],
)
def test_breaking_is_a_footer_or_a_bang_never_prose(message: str, breaking: bool) -> None:
    commit = parse(message)
    assert commit is not None and commit.breaking is breaking


def test_types_are_case_insensitive_and_the_header_needs_its_space() -> None:
    assert (commit := parse("Feat: shout")) is not None and commit.level == "minor"
    assert parse("feat:no space") is None
    assert parse("Merge branch 'main'") is None
    assert (pulled := parse("fix: relax a pin (#632)")) is not None and pulled.pull == 632
    assert pulled.subject == "relax a pin"


def test_git_reverts_and_conventional_reverts_cancel_what_they_revert() -> None:
    feature = parse("feat: risky thing", "a" * 40)
    git_revert = parse(f'Revert "feat: risky thing"\n\nThis reverts commit {"a" * 40}.', "b" * 40)
    assert git_revert is not None and git_revert.reverts == ("a" * 40,)
    assert cancel_reverts([c for c in (feature, git_revert) if c]) == []
    by_header = parse("revert: feat: risky thing", "c" * 40)
    assert cancel_reverts([c for c in (feature, by_header) if c]) == []
    earlier = parse("revert: feat: released last month\n\nRefs: 1234567", "d" * 40)
    sections = group([earlier])
    assert "Removed" not in sections and sections["Changed"][0].type == "revert"


def test_squash_merges_count_each_listed_commit() -> None:
    squash = parse("chore: sync (#541)\n\n* ci: drop 3.6\n* fix: upgrade pytest")
    assert squash is not None
    assert [c.header for c in expand([squash])] == [
        "chore: sync (#541)",
        "ci: drop 3.6",
        "fix: upgrade pytest",
    ]
    assert str(next_version(semver.Version(1, 0, 0), [("1", squash_message())])[0]) == "1.0.1"


def squash_message() -> str:
    return "chore: sync (#541)\n\n* ci: drop 3.6\n* fix: upgrade pytest"


@pytest.mark.parametrize(
    ("current", "messages", "expected"),
    [
        (None, ["fix: a"], "0.1.0"),
        ("0.3.1", ["feat!: new api"], "0.4.0"),
        ("1.3.1", ["feat!: new api"], "2.0.0"),
        ("1.3.1", ["feat: a", "fix: b"], "1.4.0"),
        ("1.3.1", ["perf: faster"], "1.3.2"),
        ("1.3.1", ["docs: a", "chore: b"], None),
    ],
)
def test_next_version(current: str | None, messages: list[str], expected: str | None) -> None:
    version = semver.Version.parse(current) if current else None
    computed, _ = next_version(version, [(str(i), m) for i, m in enumerate(messages)])
    assert (str(computed) if computed else None) == expected


def test_entries_show_breaking_text_and_links() -> None:
    commits = [
        parse("feat(store): new layout (#7)\n\nBREAKING CHANGE: models/ moved", "f" * 40),
        parse("fix: tear-free history", "e" * 40),
    ]
    text = render(
        Section("2.0.0", "2026-11-30", [c for c in commits if c], repo_url="https://gh/o/r")
    )
    assert (
        "- **BREAKING** **store:** new layout (models/ moved) ([#7](https://gh/o/r/pull/7))"
        " ([fffffff](https://gh/o/r/commit/" + "f" * 40 + "))"
    ) in text
    assert "### Fixed" in text and render(Section(None, "", [])).startswith("## [Unreleased]")


@pytest.mark.parametrize(
    "existing",
    [
        "",
        "# Changelog\n\nAll notable changes.\n\n## [0.1.0] - 2026-01-01\n\n- old\n",
        "## [0.1.0] - 2026-01-01\n\n- old\n",
        "# Changelog\n\n## [Unreleased]\n\n- pending\n\n## [0.1.0] - 2026-01-01\n\n- old\n",
    ],
)
def test_output_is_idempotent_on_keep_a_changelog_files(existing: str) -> None:
    section = "## [0.2.0] - 2026-11-30\n\n### Added\n\n- one\n"
    once = merge_into(existing, section)
    assert merge_into(once, section) == once
    assert once.count("## [0.2.0]") == 1 and "[Unreleased]" not in once
    if "- old" in existing:
        assert once.index("## [0.2.0]") < once.index("## [0.1.0]") and "- old" in once


def test_real_history_python_semantic_release() -> None:
    """62 of the 63 releases: the miss is 7.21.0, whose only commits are a style commit and a
    merge of a branch (its features are on the merged branch, not in this list)."""
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "release_versions.py"
    spec = importlib.util.spec_from_file_location("release_versions", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    history = module.releases()
    previous = history[0][0].replace(patch=history[0][0].patch - 1)
    misses = []
    for version, messages in history:
        computed, _ = next_version(previous, [(f"{i:07x}", m) for i, m in enumerate(messages)])
        if computed != version:
            misses.append(str(version))
        previous = version
    assert len(history) == 63 and misses == ["7.21.0"]
