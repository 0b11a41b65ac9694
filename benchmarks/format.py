"""`oasis format` on a tree of Python files vs black, isort and docformatter run one after another.

    python benchmarks/format.py [--files 1000]

The tree is made from OASIS's own modules, messed up the way real code is (two-space indents,
imports out of order, single-quoted strings, sloppy docstrings), copied until there are
`--files` files. Each measurement gets a fresh copy and an empty cache (black's and OASIS's).
Baseline, measured in the same run: `black . && isort --profile black . && docformatter -r -i .`.
Second run: `oasis format` again on the formatted tree (nothing to change).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def messed(text: str) -> str:
    text = re.sub(
        r"^((?:    )+)", lambda m: "  " * (len(m.group(1)) // 4), text, flags=re.MULTILINE
    )
    lines = text.splitlines()
    imports = [
        i
        for i, line in enumerate(lines)
        if line.startswith(("import ", "from "))
        and "__future__" not in line
        and line.endswith(tuple("abcdefghijklmnopqrstuvwxyz_"))
    ]
    if len(imports) > 1:
        block = [lines[i] for i in imports]
        for i, line in zip(imports, reversed(block), strict=True):
            lines[i] = line
    return "\n".join(lines).replace('"""', "'''") + "\n"


def make_tree(target: Path, count: int) -> None:
    sources = [p for p in sorted((ROOT / "oasis_action").rglob("*.py")) if p.stat().st_size > 500]
    bodies = [messed(p.read_text()) for p in sources]
    (target / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    for i in range(count):
        folder = target / f"pkg{i // 100:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"mod{i:04d}.py").write_text(bodies[i % len(bodies)])
    subprocess.run(["git", "init", "-q", str(target)], check=True)


def timed(command: list[str], cwd: Path, home: Path) -> float:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        pristine = base / "pristine"
        pristine.mkdir()
        make_tree(pristine, args.files)

        def fresh(name: str) -> tuple[Path, Path]:
            tree, home = base / name, base / f"{name}-home"
            shutil.copytree(pristine, tree)
            home.mkdir()
            return tree, home

        tree, home = fresh("baseline")
        baseline = sum(
            timed(cmd, tree, home)
            for cmd in (
                [str(BIN / "black"), "-q", "."],
                [str(BIN / "isort"), "-q", "--profile", "black", "."],
                [str(BIN / "docformatter"), "-r", "-i", "."],
            )
        )
        tree, home = fresh("oasis")
        first = timed([str(BIN / "oasis"), "format"], tree, home)
        second = timed([str(BIN / "oasis"), "format"], tree, home)
        same = subprocess.run(
            ["diff", "-r", "-q", "-x", ".git", str(base / "baseline"), str(tree)],
            capture_output=True,
            text=True,
        )
        differing = len(same.stdout.splitlines())

    print(f"files: {args.files}, CPUs: {os.cpu_count()}")
    print("| run | wall s | ratio |\n|---|---|---|")
    print(f"| black, then isort, then docformatter (baseline) | {baseline:.2f} | 1.00x |")
    print(
        f"| oasis format, first run | {first:.2f} | {first / baseline:.2f}x of baseline (target <= 0.6x) |"
    )
    print(
        f"| oasis format, nothing to change | {second:.2f} | {second / first:.2f}x of first (target <= 0.1x) |"
    )
    print(f"files whose result differs from the baseline's: {differing}")


if __name__ == "__main__":
    main()
