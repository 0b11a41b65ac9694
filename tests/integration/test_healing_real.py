"""Healing on real files and real project settings (#17): each case failed on the seed."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from oasis_action.healing.astguard import equivalent
from tests.support.cli import oasis
from tests.support.repos import make_repo

STDLIB_TEXTWRAP = Path(textwrap.__file__)


def test_docformatter_keeps_its_safe_changes_where_it_used_to_fight_black(tmp_path: Path) -> None:
    """The standard library's textwrap.py: docformatter breaks the line before the comma after
    a verbose regular expression and black joins it again, so the seed found no fixed point
    and left the file unformatted, and session 4 gave it black and isort only. Now
    docformatter's docstring changes are kept, the rest of its output is not, and the three
    agree."""
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    shutil.copyfile(STDLIB_TEXTWRAP, repo / "textwrap_copy.py")
    code, out, err = oasis(repo, "auto-fix", "textwrap_copy.py")
    assert code == 0, err
    assert "fixed textwrap_copy.py (black, docformatter)" in out
    assert "no fixed point" not in err
    import black

    text = (repo / "textwrap_copy.py").read_text()
    assert black.format_str(text, mode=black.Mode()) == text, "black --check passes"
    assert oasis(repo, "auto-fix-strict", "textwrap_copy.py")[0] == 0, "one auto-fix converges"
    assert equivalent(STDLIB_TEXTWRAP.read_text(), text), "the regular expressions are kept"


def test_a_project_whose_isort_fights_black_still_gets_black(tmp_path: Path) -> None:
    """A project's own isort settings (line length 120, no profile) join an import black splits
    at 88: no fixed point with isort, so the file gets black alone and says why."""
    names = "OrderedDict, defaultdict, namedtuple, ChainMap, Counter, deque, UserDict"
    files = {
        "pyproject.toml": "[tool.isort]\nline_length = 120\n",
        "m.py": f"from collections import {names}\n\nprint({names})\n",
    }
    repo = make_repo(tmp_path / "r", files)
    code, out, err = oasis(repo, "auto-fix", "m.py")
    assert code == 0, err
    assert "fixed m.py (black)" in out
    assert "black, isort do not agree on this file (no fixed point)" in err
    assert err.count("no fixed point") == 1, "black + isort is not tried again without docformatter"
    assert (repo / "m.py").read_text().startswith("from collections import (\n    OrderedDict,\n")
    assert oasis(repo, "auto-fix-strict", "m.py")[0] == 0, "one auto-fix converges"


def test_a_word_that_import_lines_contain_is_not_quoted_source(tmp_path: Path) -> None:
    """jinja2's parser tests a token against the string 'import'; isort merging two import
    lines changes how often that word appears, which the seed's guard took for a file
    quoting its own source and refused."""
    text = (
        "from os import sep\nfrom os import getcwd\n\n\n"
        'def parse(token):\n    return token == "import" or token == "import"\n'
    )
    repo = make_repo(tmp_path / "r", {"m.py": text})
    code, out, err = oasis(repo, "auto-fix", "m.py")
    assert code == 0, err
    assert (repo / "m.py").read_text().startswith("from os import getcwd, sep\n")


def test_a_file_docformatter_cannot_tokenize_still_gets_black(tmp_path: Path) -> None:
    """docutils' test data (an f-string after a backslash-continued string in a list):
    docformatter's untokenize raises "start (4,0) precedes previous end", and the seed left
    the whole file as it was; black and isort are still applied."""
    text = 'totest = [\n["""\\\nA paragraph.\n""",\nf"""\\\n<document source="t">\n"""],\n]\n'
    repo = make_repo(tmp_path / "r", {"m.py": text})
    code, out, err = oasis(repo, "auto-fix", "m.py")
    assert code == 0, err
    assert "fixed m.py (black)" in out
    assert "docformatter failed: ValueError: start" in err and "(the other tools applied)" in err
    assert (repo / "m.py").read_text().startswith('totest = [\n    [\n        """\\\n')
    assert oasis(repo, "auto-fix-strict", "m.py")[0] == 0, "one auto-fix converges"


def test_line_endings_bom_and_stub_mode_are_kept(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    (repo / "win.py").write_bytes(b"import sys\r\nimport os\r\nx=os.sep+sys.argv[0]\r\n")
    (repo / "bom.py").write_bytes("\ufeffx=1\n".encode())
    (repo / "api.pyi").write_text("def f(x: int) -> int:\n    ...\ndef g() -> None: ...\n")
    code, _, err = oasis(repo, "auto-fix")
    assert code == 0, err
    assert (
        repo / "win.py"
    ).read_bytes() == b"import os\r\nimport sys\r\n\r\nx = os.sep + sys.argv[0]\r\n"
    assert (repo / "bom.py").read_bytes() == "\ufeffx = 1\n".encode()
    assert (repo / "api.pyi").read_text() == "def f(x: int) -> int: ...\ndef g() -> None: ...\n"


def test_data_is_never_changed(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.x]\nbanner = """\nhello   \nworld\n"""\n',
        "table.csv": 'name,comment\na,"two spaces   \nkept"\n',
        "tests/data/expected.txt": "line with trailing spaces   \n",
        "docs/notes.txt": "a note   \n",
    }
    repo = make_repo(tmp_path / "r", files)
    (repo / "logo.bin").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    code, _, err = oasis(repo, "auto-fix")
    assert code == 0, err
    for name, text in files.items():
        if name != "docs/notes.txt":
            assert (repo / name).read_text() == text, name
    assert (repo / "docs/notes.txt").read_text() == "a note\n", "plain text is still fixed"
    assert "logo.bin" not in err, "a binary file is skipped without a word"


def test_one_huge_or_odd_file_never_stops_the_run(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"ok.py": "x=1\n", "skip.py": "# isort: skip_file\nimport b\nimport a\n"}
    )
    (repo / "generated.py").write_text("x = 1\n" * 250_000)
    (repo / "latin.py").write_bytes("s = 'caf\xe9'\n".encode("latin-1"))
    code, _, err = oasis(repo, "auto-fix")
    assert code == 0, err
    assert (repo / "ok.py").read_text() == "x = 1\n"
    assert "generated.py: skipped: 1.5 MB, over the 1 MB per-file budget" in err
    assert "latin.py: skipped: not UTF-8 text" in err
    assert (repo / "skip.py").read_text() == "# isort: skip_file\nimport b\nimport a\n"


def test_the_projects_own_settings_are_used_as_the_tools_read_them(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "pyproject.toml": (
                "[tool.black]\nline-length = 79\nextend-exclude = '^/vendored/'\n\n"
                "[tool.isort]\nforce_single_line = true\n"
            ),
            "m.py": "from os import path, sep\n\nprint(path, sep)\n",
            "vendored/v.py": "x=1\n",
            "d.py": 'def f():\n    """' + "word " * 30 + '"""\n',
        },
    )
    code, _, err = oasis(repo, "auto-fix")
    assert code == 0, err
    assert (repo / "m.py").read_text().startswith("from os import path\nfrom os import sep\n")
    assert (repo / "vendored/v.py").read_text() == "x=1\n", "black's extend-exclude honoured"


def test_black_targets_the_projects_requires_python_as_its_command_line_does(
    tmp_path: Path,
) -> None:
    """black infers its target versions from `requires-python`; the seed read only
    `[tool.black]`, so a long `with` came out split differently from black by hand."""
    files = {
        "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n',
        "m.py": f'with open("{"a" * 30}") as first, open("{"b" * 34}") as second:\n    pass\n',
    }
    repo = make_repo(tmp_path / "r", files)
    assert oasis(repo, "format", "m.py")[0] == 0
    assert (repo / "m.py").read_text().startswith("with (\n    open(")


def test_the_cache_knows_which_tools_ran(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"m.py": "import sys\nimport os\nprint(os, sys)\n"})
    assert oasis(repo, "format", "--tools", "black")[0] == 0
    assert (repo / "m.py").read_text().startswith("import sys\nimport os")
    code, out, _ = oasis(repo, "format")
    assert code == 0 and "reformatted m.py (isort)" in out
    assert (repo / "m.py").read_text().startswith("import os\nimport sys")


def test_a_reordering_that_changes_which_import_wins_is_refused(tmp_path: Path) -> None:
    text = "from b import X\nfrom a import X\n\nprint(X)\n"
    repo = make_repo(tmp_path / "r", {"m.py": text, "a.py": "X = 1\n", "b.py": "X = 2\n"})
    code, _, err = oasis(repo, "auto-fix", "m.py")
    assert code == 0, err
    assert (repo / "m.py").read_text() == text


def test_clean_never_removes_a_tracked_symlink_or_works_blind(tmp_path: Path) -> None:
    import subprocess

    repo = make_repo(tmp_path / "r", {"real/keep.txt": "keep\n", "a/__pycache__/x.pyc": ""})
    (repo / "build").symlink_to("real", target_is_directory=True)
    subprocess.run(["git", "-C", str(repo), "add", "-f", "build"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "link"], check=True)
    code, out, _ = oasis(repo, "clean")
    assert code == 0 and (repo / "build").is_symlink() and (repo / "real/keep.txt").exists()
    (repo / ".git" / "index").write_bytes(b"not an index")
    code, _, err = oasis(repo, "clean")
    assert code == 1 and "git cannot list the tracked files here" in err
    assert (repo / "a/__pycache__").exists()


def test_doctor_reads_files_the_way_their_consumers_do(tmp_path: Path) -> None:
    import json

    repo = make_repo(
        tmp_path / "r",
        {
            "recipe/meta.yaml": "package:\n  name: {{ name }}\n{% if win %}\n  x: 1\n{% endif %}\n",
            "mkdocs.yml": "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
            "requirements.txt": "pyyaml==6.0.2 \\\n    --hash=sha256:" + "a" * 64 + "\n",
            "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.13'\n",
            "types.py": "type Pair[T] = tuple[T, T]\n",
            "broken.yml": "a: [1, 2\n",
        },
    )
    code, out, _ = oasis(repo, "doctor", "--json", "--checks", "python-syntax,yaml,dependencies")
    findings = json.loads(out)
    errors = {(f["file"], f["check"]) for f in findings if f["severity"] == "error"}
    assert errors == {("broken.yml", "yaml")}, findings
    assert code == 1


def test_docstring_text_changes_only_when_the_user_asks(tmp_path: Path) -> None:
    text = 'def load():\n    """load the file"""\n'
    repo = make_repo(tmp_path / "r", {"m.py": text})
    code, _, err = oasis(repo, "auto-fix", "m.py")
    assert code == 0, err
    assert (repo / "m.py").read_text() == text, "__doc__ is part of the program"
    assert "left out 1 docformatter change(s)" in err
    code, out, err = oasis(repo, "auto-fix", "--docstring-text", "m.py")
    assert code == 0, err
    assert (repo / "m.py").read_text() == 'def load():\n    """Load the file."""\n'
    assert "fixed m.py (docformatter)" in out and "left out" not in err


def test_the_clean_file_cache_is_found_by_the_next_process(tmp_path: Path) -> None:
    """black's target versions (inferred from requires-python) and isort's known_first_party
    are sets, printed in an order that follows the interpreter's string hashes: the cache key
    changed from one `oasis` process to the next, so the warm run redid everything."""
    import os
    import subprocess
    import sys

    files = {
        "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n'
        '[tool.isort]\nknown_first_party = ["alpha", "beta", "gamma"]\n',
        "m.py": "import os\n\nprint(os)\n",
    }
    repo = make_repo(tmp_path / "r", files)
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "HOME": str(tmp_path / "home")}
        done = subprocess.run(
            [sys.executable, "-m", "oasis_action", "format"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(done.stdout)
    assert "(0 known clean)" in outputs[0]
    examined = outputs[1].split(" examined")[0].rsplit(" ", 1)[-1]
    assert f"({examined} known clean)" in outputs[1], outputs[1]
