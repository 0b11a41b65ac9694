"""Next version and changelog entries from real Conventional-Commits history, side by side with
the versions the project actually released.

    python benchmarks/release_versions.py [--show N]

Data: benchmarks/data/psr-commits.txt, the commits of python-semantic-release's releases
7.15.1 to 8.0.1 (a project that versions itself from its commits with its own tool). For each
release: the version OASIS computes from the previous release and that release's commits, the
version released, and the changelog entries OASIS would list per section.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import semver

from oasis_action.release.changelog import group
from oasis_action.release.commits import parse
from oasis_action.release.versioning import next_version

DATA = Path(__file__).parent / "data" / "psr-commits.txt"


def releases(path: Path = DATA) -> list[tuple[semver.Version, list[str]]]:
    """(version, commit messages) oldest first; indented lines join the commit above."""
    found: list[tuple[semver.Version, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("## "):
            continue
        if line.startswith("## "):
            found.append((semver.Version.parse(line[3:].strip()), []))
        elif line.startswith("  ") and found[-1][1]:
            found[-1][1][-1] += ("\n\n" if "\n" not in found[-1][1][-1] else "\n") + line.strip()
        elif line.strip():
            found[-1][1].append(line)
    return found[::-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=8, help="releases to print in full")
    args = parser.parse_args()
    history = releases()
    previous = history[0][0].replace(patch=history[0][0].patch - 1)
    agree = 0
    rows = []
    for version, messages in history:
        computed, level = next_version(previous, [(f"{i:07x}", m) for i, m in enumerate(messages)])
        match = computed == version
        agree += match
        sections = Counter(
            section
            for section, entries in group([parse(m) for m in messages]).items()
            for _ in entries
        )
        listed = ", ".join(f"{name} {count}" for name, count in sorted(sections.items()))
        rows.append(
            f"| {previous} | {version} | {computed or '-'} ({level or 'no bump'}) | {'yes' if match else '**no**'} | {listed} |"
        )
        previous = version
    print("| from | released | OASIS computes | same | entries per section |")
    print("|---|---|---|---|---|")
    shown = rows[-args.show :] if args.show else rows
    print("\n".join(shown))
    misses = [r for r in rows if "**no**" in r]
    if misses and args.show:
        print("\nReleases where OASIS disagrees:")
        print("\n".join(misses))
    print(f"\n{agree} of {len(history)} releases: OASIS computes the version the project released.")


if __name__ == "__main__":
    main()
