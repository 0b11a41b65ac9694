"""format, auto-fix, auto-fix-strict and clean on real git repositories."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest

from oasis_action.healing.astguard import equivalent
from tests.support.cli import oasis
from tests.support.repos import git, make_repo

MESSY = {
    "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.black]\nline-length = 100\n",
    ".gitignore": "generated/\n",
    "src/demo/__init__.py": "",
    "src/demo/core.py": (
        "import sys\nimport os\nfrom collections import OrderedDict, defaultdict\n"
        "def load( path,mode = 'r' ):\n"
        "  '''   Load a file\n\n     Returns its text.   \n  '''\n"
        "  with open(path,mode) as handle: return handle.read()\n"
        "def longest(items): return max(items, key=lambda item: (len(item), item, sys.maxsize, os.sep))\n"
        "TABLE = {'a':OrderedDict(), 'b':defaultdict(list)}\n"
    ),
    "src/demo/cli.py": "from demo.core import load\nimport argparse\ndef main():\n    p=argparse.ArgumentParser()\n    return load(p)\n",
    "src/demo/broken.py": "def broken(:\n    pass\n",
    "config/settings.yml": "name: demo   \nsteps:\n\t- build\n\t- test\n",
    "config/broken.yaml": "items: [1, 2\n",
    "generated/ugly.py": "x=1\n",
    "README.md": "# Demo  \nline\n",
    "run.sh": "#!/bin/sh\necho hi\n",
}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", MESSY)
    (repo / "run.sh").chmod(0o755)
    (repo / "tools.py").write_text("import b\nimport a\n")
    os.chmod(repo / "tools.py", 0o755)
    return repo


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_auto_fix_is_safe_idempotent_and_honours_config(messy: Path) -> None:
    before = snapshot(messy)
    code, out, err = oasis(messy, "auto-fix")
    assert code == 0, err
    after = snapshot(messy)
    assert set(after) == set(before), "no file created or lost"
    changed = {p for p in before if before[p] != after[p]}
    assert changed == {"src/demo/core.py", "src/demo/cli.py", "config/settings.yml", "tools.py"}
    for path in changed & {"src/demo/core.py", "src/demo/cli.py", "tools.py"}:
        assert equivalent(before[path], after[path])
        ast.parse(after[path])
    core = after["src/demo/core.py"]
    assert core.startswith(
        "import os\nimport sys\nfrom collections import OrderedDict, defaultdict\n"
    )
    assert (
        "def longest(items):\n    return max(items, key=lambda item: (len(item), item, sys.maxsize, os.sep))"
        in core
    )
    assert '"""Load a file' in core and '"""Load a file.' not in core, "docstring text kept"
    assert (
        "partly fixed: src/demo/core.py: left out 1 docformatter change(s) beyond docstring" in err
    )
    assert after["config/settings.yml"] == "name: demo\nsteps:\n  - build\n  - test\n"
    assert after["generated/ugly.py"] == "x=1\n", ".gitignored files are not touched"
    assert after["src/demo/broken.py"] == before["src/demo/broken.py"]
    assert "left untouched: src/demo/broken.py: black cannot parse it" in err
    assert os.access(messy / "tools.py", os.X_OK), "file mode kept"
    assert "fixed src/demo/core.py (black, isort)" in out

    code, out, _ = oasis(messy, "auto-fix", "--no-cache")
    assert code == 0 and snapshot(messy) == after, "auto-fix twice = auto-fix once"
    assert "0 file(s) fixed" in out


def test_strict_gate_changes_nothing_and_shows_a_diff(messy: Path) -> None:
    before = snapshot(messy)
    code, out, _ = oasis(messy, "auto-fix-strict", "--diff")
    assert code == 1
    assert snapshot(messy) == before
    assert "would fix src/demo/cli.py (black, isort)" in out
    assert "+++ b/config/settings.yml" in out and "-\t- build" in out
    oasis(messy, "auto-fix")
    code, out, _ = oasis(messy, "auto-fix-strict")
    assert code == 0 and "nothing to fix" in out


def test_format_touches_python_only_and_skips_known_clean_files(messy: Path) -> None:
    code, out, _ = oasis(messy, "format", "src", "--tools", "black")
    assert code == 0
    assert "reformatted src/demo/core.py" in out
    assert (messy / "config/settings.yml").read_text() == MESSY["config/settings.yml"]
    assert (messy / "tools.py").read_text() == "import b\nimport a\n", "outside the paths given"
    code, out, _ = oasis(messy, "format", "src", "--tools", "black")
    assert "4 examined (4 known clean)" in out and "1 left untouched" in out


def test_many_files_run_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    files = {
        f"pkg/m{i:03d}.py": f"import sys\nimport os\nX{i}=[ os.sep,sys.argv ]\n" for i in range(60)
    }
    repo = make_repo(tmp_path / "many", files)
    code, out, _ = oasis(repo, "format")
    assert code == 0 and "60 file(s) reformatted" in out
    assert (
        repo / "pkg/m007.py"
    ).read_text() == "import os\nimport sys\n\nX7 = [os.sep, sys.argv]\n"


def test_an_ast_changing_rewrite_is_refused(tmp_path: Path) -> None:
    # isort with force_sort_within_sections off moves a late import across code: meaning changes.
    repo = make_repo(
        tmp_path / "r",
        {
            "pyproject.toml": "[tool.isort]\nprofile = 'black'\nfloat_to_top = true\n",
            "m.py": "import os\n\nprint(os.sep)\nimport sys\n\nprint(sys.argv)\n",
        },
    )
    code, _, err = oasis(repo, "auto-fix")
    assert code == 0
    assert (
        repo / "m.py"
    ).read_text() == "import os\n\nprint(os.sep)\nimport sys\n\nprint(sys.argv)\n"
    assert "would change the program" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["format", "nope"], "path 'nope' does not exist"),
        (["auto-fix", "--tools", "black,yapf"], "unknown tool(s) yapf"),
        (["format", "../.."], "outside the repository"),
        (["clean", "missing"], "is not a directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(messy: Path, argv: list[str], message: str) -> None:
    before = snapshot(messy)
    code, _, err = oasis(messy, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert snapshot(messy) == before


def test_clean_never_removes_tracked_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "c", {"build/keep.txt": "tracked\n", "src/a.py": "x = 1\n"})
    for junk in (
        "src/__pycache__/a.cpython-311.pyc",
        ".pytest_cache/v/x",
        "dist/pkg.whl",
        "demo.egg-info/PKG-INFO",
        "run.log",
        "models/versions/0.1.0/model.txt",
        "sub/models/keep.txt",
    ):
        (repo / junk).parent.mkdir(parents=True, exist_ok=True)
        (repo / junk).write_text("x")
    (repo / "build/extra.o").write_text("x")
    code, out, _ = oasis(repo, "clean", "--dry-run")
    assert code == 0 and (repo / "dist").exists()
    assert "would remove dist/" in out and "build" not in out
    code, out, _ = oasis(repo, "clean")
    left = {
        p.relative_to(repo).as_posix()
        for p in repo.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    assert left == {
        "build/keep.txt",
        "build/extra.o",
        "src/a.py",
        "models/versions/0.1.0/model.txt",
        "sub/models/keep.txt",
    }
    oasis(repo, "clean", "--models")
    assert not (repo / "models").exists() and (repo / "sub/models/keep.txt").exists()
    assert git(repo, "status", "--porcelain") == "?? build/extra.o\n?? sub/\n"


def test_oasis_state_is_never_healed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "s", {"a.py": "x = 1\n"})
    (repo / ".oasis").mkdir()
    (repo / ".oasis/events.jsonl").write_text('{"event": "merge"}   \n')
    (repo / ".oasis/notes.txt").write_text("trailing   \n")
    code, out, _ = oasis(repo, "auto-fix")
    assert code == 0 and "1 examined" in out
    assert (repo / ".oasis/notes.txt").read_text() == "trailing   \n"


def test_works_outside_git(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "venv/lib").mkdir(parents=True)
    (folder / "venv/lib/x.py").write_text("x=1\n")
    (folder / "a.py").write_text("x=1\n")
    code, out, _ = oasis(folder, "format")
    assert code == 0 and (folder / "a.py").read_text() == "x = 1\n"
    assert (folder / "venv/lib/x.py").read_text() == "x=1\n"
    assert subprocess.run(["git", "-C", str(folder), "status"], capture_output=True).returncode != 0
