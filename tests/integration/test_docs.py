"""The docs site builds without warnings, its action pages match the action.yml files, and the
onboarding notebook runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    mkdocs = shutil.which("mkdocs")
    if mkdocs is None:
        pytest.fail("mkdocs is not installed: pip install -e '.[test]'")
    built = subprocess.run(
        [mkdocs, "build", "--strict", "-q", "-d", str(target)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return target


def text_of(page: Path) -> str:
    return re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name",
    [
        "oasis",
        "ci-retry",
        "auto-merge",
        "auto-close",
        "auto-fix-pr",
        "nightly-heal",
        "train-and-release",
        "triage",
    ],
)
def test_action_pages_match_action_yml(site: Path, name: str) -> None:
    path = (
        PROJECT_ROOT / "action.yml"
        if name == "oasis"
        else PROJECT_ROOT / "actions" / name / "action.yml"
    )
    spec = yaml.safe_load(path.read_text())
    page = text_of(site / "actions" / name / "index.html")
    for key, item in spec["inputs"].items():
        assert key in page, f"input {key} missing from the {name} page"
        assert str(item.get("default", "")).replace("&", "&amp;") in page or "${{" in str(
            item.get("default")
        )
    for key in spec.get("outputs", {}):
        assert key in page


def test_cli_reference_lists_every_command(site: Path) -> None:
    from oasis_action.registry import COMMANDS

    page = text_of(site / "cli" / "index.html")
    for name in COMMANDS:
        assert f"oasis {name}" in page
    assert "--max-attempts" in page and "--no-confirm" in page


def test_onboarding_notebook_runs(tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(PROJECT_ROOT / "docs" / "tutorials" / "onboarding.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs
    )
    assert "'network'" in shown and "0.1.0" in shown
