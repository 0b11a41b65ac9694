from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from oasis_action.commands.doctor import failed
from oasis_action.health import CHECKS, Finding, register, run_checks
from oasis_action.health.repo import RepoContext
from oasis_action.health.report import render_table
from tests.support.repos import git, make_repo


def findings(root: Path, *checks: str) -> list[Finding]:
    return run_checks(RepoContext(root), checks)


def test_syntax_errors_with_line(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "a.py": "x = (\n",
            "b.py": "print('ok')\n",
            "c.py": "def f():\nreturn 1\n",
            "d.py": "x = 1\0\n",
        },
    )
    got = {(f.file, f.line) for f in findings(tmp_path, "python-syntax")}
    assert ("a.py", 1) in got
    assert ("c.py", 2) in got
    assert any(f == "d.py" for f, _ in got)
    assert not any(f == "b.py" for f, _ in got)


def test_ignored_files_are_not_checked(tmp_path: Path) -> None:
    make_repo(tmp_path, {".gitignore": "build/\n", "build/gen.py": "def (:\n", "ok.py": "x = 1\n"})
    assert findings(tmp_path, "python-syntax") == []


def test_outside_git_walks_the_tree(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text("def (:\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.py").write_text("def (:\n")
    got = findings(tmp_path, "python-syntax", "git")
    assert [(f.check, f.file) for f in got] == [("python-syntax", "pkg/bad.py"), ("git", None)]
    assert got[1].message == "not a git repository"


def test_yaml_errors_and_workflow_keys(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "bad.yaml": "a: b: c\n",
            "tabs.yml": "a:\n\t- b\n",
            "ok.yml": "---\na: 1\n---\nb: 2\n",
            ".github/workflows/ci.yml": "name: ci\non: push\njobs:\n  test:\n    steps:\n      - name: nothing\n",
            ".github/workflows/nojobs.yml": "on: push\n",
            ".github/workflows/list.yml": "- 1\n",
            ".github/workflows/notrigger.yml": "jobs:\n  x:\n    uses: o/r/.github/workflows/w.yml@v1\n",
            ".github/workflows/steps.yml": "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: run\n",
            ".github/workflows/jobs.yml": "on: push\njobs: 3\n",
            ".github/workflows/nosteps.yml": "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n",
        },
    )
    got = {(f.check, f.file, f.line, f.message) for f in findings(tmp_path, "yaml")}
    files = Counter(f for _, f, _, _ in got)
    assert files["bad.yaml"] == 1 and files["tabs.yml"] == 1 and "ok.yml" not in files
    assert (
        "workflow",
        ".github/workflows/ci.yml",
        4,
        "job `test` needs `runs-on` (or `uses`)",
    ) in got
    assert (
        "workflow",
        ".github/workflows/ci.yml",
        6,
        "a step of job `test` has neither `uses` nor `run`",
    ) in got
    assert ("workflow", ".github/workflows/nojobs.yml", 1, "workflow has no `jobs:`") in got
    assert ("workflow", ".github/workflows/list.yml", 1, "a workflow must be a mapping") in got
    assert (
        "workflow",
        ".github/workflows/notrigger.yml",
        1,
        "workflow has no `on:` trigger",
    ) in got
    assert (
        "workflow",
        ".github/workflows/steps.yml",
        5,
        "`steps` of job `x` must be a list",
    ) in got
    assert ("workflow", ".github/workflows/jobs.yml", 2, "`jobs:` must map job ids to jobs") in got
    assert ("workflow", ".github/workflows/nosteps.yml", 3, "job `x` has no `steps`") in got


def test_dependencies(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "x"\ndependencies = [\n  "pyyaml>=1",\n  "surely-not-installed-pkg>=1",\n  "pytest<1",\n  "windows-only; sys_platform == \'win32\'",\n  "bad requirement !!",\n]\n'
    make_repo(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "requirements.txt": "# pinned\n-r other.txt\nanother-missing-pkg==1.0  # why\n",
        },
    )
    got = {
        (f.severity, f.file, f.line, f.message.split(" ")[0])
        for f in findings(tmp_path, "dependencies")
    }
    assert got == {
        ("warning", "pyproject.toml", 5, "`surely-not-installed-pkg`"),
        ("warning", "pyproject.toml", 6, "`pytest`"),
        ("error", "pyproject.toml", 8, "invalid"),
        ("warning", "requirements.txt", 3, "`another-missing-pkg`"),
    }


def test_broken_pyproject_is_not_a_crash(tmp_path: Path) -> None:
    make_repo(tmp_path, {"pyproject.toml": "[project\n"})
    assert findings(tmp_path, "dependencies") == []


def test_git_state(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.txt": "1\n"})
    assert findings(tmp_path, "git") == []
    (tmp_path / "a.txt").write_text("2\n")
    (tmp_path / "new.txt").write_text("new\n")
    git(tmp_path, "checkout", "-q", "--detach")
    messages = [f.message for f in findings(tmp_path, "git")]
    assert messages == [
        "1 file(s) with uncommitted changes",
        "HEAD is detached (normal in a CI checkout of a pull request)",
        "1 untracked file(s): new.txt",
    ]


def test_gpu_is_reported_never_an_error(tmp_path: Path) -> None:
    got = findings(tmp_path, "gpu")
    assert got and all(f.severity == "info" for f in got)


def test_checks_are_extensible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oasis_action.health.CHECKS", dict(CHECKS))
    register("always", "a test check")(
        lambda context: [Finding("always", "warning", "hello", "x", 1)]
    )
    assert [f.message for f in findings(tmp_path, "always")] == ["hello"]


@pytest.mark.parametrize(
    ("counts", "fail_on", "expected"),
    [
        ({"error": 1}, "error", True),
        ({"warning": 1}, "error", False),
        ({"warning": 1}, "warning", True),
        ({"info": 3}, "warning", False),
        ({"error": 2}, "never", False),
    ],
)
def test_failure_threshold(counts: dict[str, int], fail_on: str, expected: bool) -> None:
    assert failed(Counter(counts), fail_on) is expected


def test_table_escapes_pipes() -> None:
    table = render_table([Finding("yaml", "error", "a | b\nc", "f.yml", 2)])
    assert table.splitlines()[-1] == "| error | yaml | `f.yml` | 2 | a \\| b c |"
    assert render_table([]) == "No findings: the repository is healthy."


def test_links_out_of_the_workspace_are_never_read_or_quoted(tmp_path: Path) -> None:
    """A committed `requirements-ci.txt -> /proc/self/environ` would publish the step's secrets
    in the health issue; a `x.yml -> /dev/zero` would never finish."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "environ").write_text("INPUT_GITHUB-TOKEN=ghs_leaked0000\nSECRET=hunter2-x\n")
    repo = tmp_path / "repo"
    make_repo(repo, {"ok.py": "x = 1\n"})
    (repo / "requirements-ci.txt").symlink_to(outside / "environ")
    (repo / "config.yml").symlink_to(outside / "environ")
    (repo / "zero.yml").symlink_to("/dev/zero")
    (repo / "inner.yml").symlink_to(repo / "ok.py")
    git(repo, "add", "-A")
    shown = " ".join(f"{f.message} {f.file}" for f in findings(repo))
    assert "ghs_leaked" not in shown and "hunter2" not in shown
    assert RepoContext(repo).files == ["inner.yml", "ok.py"]


def test_untrusted_names_and_messages_cannot_break_out_of_the_table() -> None:
    hostile = Finding("yaml", "error", "@org/team <img src=x> [x](y) | boom", "a`|b.yml", 1)
    row = render_table([hostile]).splitlines()[-1]
    assert row.count(" | ") == 4, "still five cells"
    assert "@org" not in row.replace("\\@org", "") and "<img" not in row.replace("\\<img", "")
    assert "`a'\u2502b.yml`" in row
