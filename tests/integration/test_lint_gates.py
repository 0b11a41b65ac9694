"""Lint gates: action.yml and workflow files validate, actionlint and zizmor report nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from oasis_action import registry
from tests.support.paths import PROJECT_ROOT

ACTION_FILES = sorted([PROJECT_ROOT / "action.yml", *PROJECT_ROOT.glob("actions/*/action.yml")])
WORKFLOW_FILES = sorted(
    [*PROJECT_ROOT.glob(".github/workflows/*.yml"), *PROJECT_ROOT.glob("workflows-templates/*.yml")]
)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not installed: pip install -e '.[test]'")
    return path


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def schema_check(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return run(tool("check-jsonschema"), "--builtin-schema", f"vendor.{schema}", str(path))


@pytest.mark.parametrize("path", ACTION_FILES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_action_metadata_validates(path: Path) -> None:
    checked = schema_check("github-actions", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = yaml.safe_load(path.read_text())
    for key in ("name", "description", "author", "branding"):
        assert data.get(key), f"{path}: `{key}` is missing"
    for kind in ("inputs", "outputs"):
        for name, spec in (data.get(kind) or {}).items():
            assert spec.get("description"), f"{path}: {kind[:-1]} `{name}` has no description"


@pytest.mark.parametrize("path", ACTION_FILES[1:], ids=lambda p: p.parent.name)
def test_per_action_runs_its_command_in_the_image(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    name = path.parent.name
    assert name in registry.COMMANDS
    assert data["runs"] == {"using": "docker", "image": "../../Dockerfile", "args": [name]}


def test_schema_gate_catches_a_broken_action(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    broken.write_text("name: x\ndescription: y\nruns:\n  using: docker\n")
    assert schema_check("github-actions", broken).returncode != 0


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_workflow_passes_schema_actionlint_and_zizmor(path: Path) -> None:
    checked = schema_check("github-workflows", path)
    assert checked.returncode == 0, checked.stdout
    linted = run(tool("actionlint"), "-no-color", str(path))
    assert linted.returncode == 0, linted.stdout
    audited = run(tool("zizmor"), "--offline", "--no-progress", str(path))
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_workflow_gates_catch_problems(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ${{ undefined.context }}\n"
    )
    assert run(tool("actionlint"), "-no-color", str(workflow)).returncode != 0
    assert run(tool("zizmor"), "--offline", "--no-progress", str(workflow)).returncode != 0
    workflow.write_text("on: push\njobs:\n  build:\n    steps: []\n")
    assert schema_check("github-workflows", workflow).returncode != 0


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "--quiet"),
        ("black", "--check", "--quiet"),
        ("isort", "--check-only", "--quiet"),
    ],
    ids=lambda c: c[0],
)
def test_code_style(command: tuple[str, ...]) -> None:
    """House style holds on the whole project (ruff: complexity <= 10, no unused imports, ...)."""
    folders = [str(PROJECT_ROOT / name) for name in ("oasis_action", "tests", "benchmarks")]
    checked = run(tool(command[0]), *command[1:], *folders)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_types_check(tmp_path: Path) -> None:
    """mypy finds no type error in the package (and does find one in a bad file)."""
    checked = run(tool("mypy"), "--no-incremental", str(PROJECT_ROOT / "oasis_action"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x: int) -> str:\n    return x\n")
    assert run(tool("mypy"), "--no-incremental", str(bad)).returncode != 0
