"""`oasis auto-fix` on the source distributions of real projects, against black, isort and
docformatter run one after another on the same copy.

    python benchmarks/heal_real.py [--projects requests,toolz,...] [--tests toolz,boltons,sqlparse]

Downloads pinned sdists from the package index (`pip download --no-binary NAME --no-deps`;
their build tools may come as wheels), then per project prints: files fixed; the notes and
reasons for what was left out; whether every rewrite keeps the AST and docstring text; whether
one auto-fix converges (`auto-fix-strict` passes after it); on how many of the files where the
tools by hand agree (another round changes nothing and the program is kept) OASIS's result is
byte for byte theirs; the median over --repeat fresh copies of the first run, the warm run and
the three tools run one after another; the floor (black and docformatter once per file, in
one process, divided over the CPUs) against the tools by hand; and, for `--tests` projects,
their own test suite before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oasis_action.healing.astguard import equivalent  # noqa: E402
from oasis_action.main import main  # noqa: E402

PROJECTS = {
    "requests": "requests==2.32.3",
    "attrs": "attrs==24.2.0",
    "click": "click==8.1.7",
    "rich": "rich==13.9.4",
    "jinja2": "jinja2==3.1.4",
    "toolz": "toolz==1.0.0",
    "boltons": "boltons==24.1.0",
    "dateutil": "python-dateutil==2.9.0.post0",
    "docutils": "docutils==0.21.2",
    "sqlparse": "sqlparse==0.5.2",
    "arrow": "arrow==1.3.0",
    "pyparsing": "pyparsing==3.2.0",
}


def fetch(spec: str, into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
         spec.split("==")[0], "-d", str(into), spec],
        check=True,
    )  # fmt: skip
    archive = next(p for p in into.iterdir() if p.name.endswith((".tar.gz", ".zip")))
    with tarfile.open(archive) as tar:
        tar.extractall(into / "src", filter="data")
    archive.unlink()
    root = next((into / "src").iterdir())
    (root / ".python-version").unlink(missing_ok=True)  # pyenv would refuse to run there
    return root


def git_init(root: Path) -> None:
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "sdist"],
    ):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def python_files(root: Path) -> dict[str, str]:
    found = {}
    for path in root.rglob("*.py*"):
        if path.suffix in (".py", ".pyi") and ".git" not in path.parts:
            found[path.relative_to(root).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    return found


def oasis(root: Path, *argv: str) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(root)
    start = time.perf_counter()
    try:
        code = main(list(argv), {}, out, err)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def oasis_command(root: Path) -> float:
    """`oasis auto-fix` as a user runs it, start-up included, like the tools by hand."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "oasis_action", "auto-fix"], cwd=root, capture_output=True
    )
    return time.perf_counter() - start


def by_hand(root: Path) -> float:
    """black, then isort, then docformatter, each with the project's configuration."""
    start = time.perf_counter()
    for command in (
        ["black", "-q", "."],
        ["isort", "-q", "--settings-path", ".", "."],
        ["docformatter", "-r", "-i", "--black", "."],
    ):
        subprocess.run(command, cwd=root, capture_output=True)
    return time.perf_counter() - start


def by_hand_every_file(root: Path) -> None:
    """The same three tools, but docformatter file by file: `docformatter -r` stops at the
    first file its tokenizer cannot handle (docutils, attrs, boltons), which leaves the rest
    of the timed copy without docformatter."""
    from docformatter.__main__ import _main

    subprocess.run(["black", "-q", "."], cwd=root, capture_output=True)
    subprocess.run(["isort", "-q", "--settings-path", ".", "."], cwd=root, capture_output=True)
    here = os.getcwd()
    os.chdir(root)
    try:
        for path in sorted(python_files(root)):
            try:
                _main(["docformatter", "-i", "--black", path], io.StringIO(), io.StringIO(), None)
            except Exception:  # noqa: BLE001 - that file keeps black and isort
                continue
    finally:
        os.chdir(here)


def agreed(root: Path, before: dict[str, str], hand: dict[str, str]) -> set[str]:
    """The files where the tools by hand reach a fixed point (another black, isort and
    docformatter change nothing) that keeps the program, docstring text included."""
    import black
    import isort
    from docformatter.format import Formatter

    from oasis_action.healing.pyformat import repo_style

    style = repo_style(root)
    found = set()
    for path, text in hand.items():
        try:
            sink = io.StringIO()
            unchanged = (
                black.format_str(text, mode=style.black) == text
                and isort.code(text, config=style.isort) == text
                and Formatter(style.docformatter, sink, sys.stdin, sink)._do_format_code(text)
                == text
            )
        except Exception:  # noqa: BLE001 - a tool that fails on it does not agree
            continue
        if unchanged and equivalent(before.get(path, ""), text):
            found.add(path)
    return found


def run_tests(root: Path) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:oasis",
            "-W",
            "ignore::pytest.PytestRemovedIn9Warning",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return f"exit {done.returncode} ({last[:60]})"


def floor(root: Path) -> float:
    """What black and docformatter alone cost on these files, once each, in one process,
    divided over the CPUs: a first run cannot take less (both must read every file)."""
    import black
    from docformatter.format import Formatter
    from joblib import cpu_count

    from oasis_action.healing.pyformat import repo_style

    style = repo_style(root)
    start = time.perf_counter()
    for text in python_files(root).values():
        with contextlib.suppress(Exception):  # a file a tool cannot read costs what it cost
            black.format_str(text, mode=style.black)
        with contextlib.suppress(Exception):
            sink = io.StringIO()
            Formatter(style.docformatter, sink, sys.stdin, sink)._do_format_code(text)
    return (time.perf_counter() - start) / cpu_count()


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def timed_runs(source: Path, scratch: Path, name: str, repeat: int) -> tuple[float, float, float]:
    """The median first run, warm run and tools-by-hand run, each on a fresh copy."""
    first, warm, hand = [], [], []
    for attempt in range(repeat):
        ours, theirs = scratch / f"{name}-o{attempt}", scratch / f"{name}-t{attempt}"
        shutil.copytree(source, ours)
        shutil.copytree(source, theirs)
        git_init(ours)
        os.environ["HOME"] = str(scratch / f"{name}-home{attempt}")  # empty caches
        first.append(oasis_command(ours))
        warm.append(oasis_command(ours))
        hand.append(by_hand(theirs))
    return median(first), median(warm), median(hand)


def evaluate(name: str, spec: str, with_tests: bool, scratch: Path, repeat: int) -> str:
    source = fetch(spec, scratch / name)
    ours, reference = scratch / f"{name}-oasis", scratch / f"{name}-reference"
    shutil.copytree(source, ours)
    shutil.copytree(source, reference)
    git_init(ours)
    before = python_files(ours)
    tests_before = run_tests(ours) if with_tests else ""
    os.environ["HOME"] = str(scratch / f"{name}-home")  # an empty clean-file cache
    code, _, err, _ = oasis(ours, "auto-fix")
    after = python_files(ours)
    changed = [p for p in before if before[p] != after.get(p)]
    safe = all(equivalent(before[p], after[p]) for p in changed)
    reasons = Counter(
        re.sub(r"\d+", "N", line.split(": ", 2)[-1].split(" (")[0])[:56]
        for line in err.splitlines()
        if line.startswith(("left untouched:", "left as it is:", "partly fixed:"))
    )
    strict, _, _, _ = oasis(ours, "auto-fix-strict")
    by_hand_every_file(reference)
    hand_files = python_files(reference)
    agree = agreed(reference, before, hand_files)
    equal = sum(after[p] == hand_files.get(p) for p in agree)
    tests_after = run_tests(ours) if with_tests else ""
    first, warm, hand = timed_runs(source, scratch, name, repeat)
    least = floor(source)
    skipped = "; ".join(f"{n}x {r}" for r, n in reasons.most_common(3)) or "-"
    return (
        f"| {name} | {len(before)} | {len(changed)} | {skipped} | {'yes' if safe else '**no**'} | "
        f"{'yes' if strict == 0 else '**no**'} | {equal}/{len(agree)} | {first:.1f}s | "
        f"{warm:.2f}s | {hand:.1f}s | {first / hand:.2f}x / {warm / hand:.2f}x | "
        f"{least / hand:.2f}x | "
        f"{tests_before} -> {tests_after} | exit {code} |"
    )


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", default=",".join(PROJECTS))
    parser.add_argument("--tests", default="toolz,boltons,sqlparse")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the median is shown)")
    args = parser.parse_args()
    wanted = [p for p in args.projects.split(",") if p]
    with_tests = set(args.tests.split(","))
    print(
        "| project | .py files | fixed | notes (top reasons) | AST+docstrings kept | "
        "converges | equal to tools by hand where they agree | OASIS first | OASIS warm | tools by hand | "
        "ratio first / warm | floor | own tests before -> after | exit |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in wanted:
            row = evaluate(name, PROJECTS[name], name in with_tests, Path(folder), args.repeat)
            print(row, flush=True)


if __name__ == "__main__":
    main_()
