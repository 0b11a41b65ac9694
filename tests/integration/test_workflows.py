"""Workflow templates, reusable workflows and the pre-commit hook: complete, pinned, least privilege."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from oasis_action import registry
from tests.support.cli import oasis
from tests.support.paths import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "workflows-templates"
SEED = (
    "ci",
    "oasis-auto-fix",
    "oasis-auto-fix-pr",
    "oasis-auto-fix-nightly",
    "oasis-auto-merge",
    "oasis-auto-close",
    "oasis-ci-retry",
    "oasis-train-release",
)
WORKFLOWS = sorted(
    [*TEMPLATES.glob("*.yml"), *(PROJECT_ROOT / ".github" / "workflows").glob("*.yml")]
)


def test_every_seed_workflow_has_a_template_and_gallery_properties() -> None:
    assert {p.stem for p in TEMPLATES.glob("*.yml")} == set(SEED)
    for name in SEED:
        properties = json.loads((TEMPLATES / f"{name}.properties.json").read_text())
        assert set(properties) == {"name", "description", "iconName", "categories", "filePatterns"}
        assert properties["categories"] and properties["filePatterns"]
    assert "$default-branch" in (TEMPLATES / "ci.yml").read_text()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_pinned_and_serialised(path: Path) -> None:
    text = path.read_text()
    data = yaml.safe_load(text)
    assert data["permissions"] == {}, "top-level permissions: {} (each job asks for what it needs)"
    triggers = data[True]
    assert "pull_request_target" not in triggers
    if "workflow_call" not in triggers:
        assert "concurrency" in data
    for job in data["jobs"].values():
        assert "permissions" in job and "timeout-minutes" in job
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses and not uses.startswith("./"):
                assert re.fullmatch(
                    r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses
                ), f"{uses} is not pinned by SHA"
            assert "${{ github.event" not in step.get("run", ""), "no event fields inside run:"
    for uses in re.findall(r"uses: (\S+@[0-9a-f]{40})", text):
        assert re.search(
            re.escape(uses) + r" # v\d", text
        ), f"{uses}: the version belongs in a comment"


def test_reusable_workflows_mirror_their_actions() -> None:
    for path in (PROJECT_ROOT / ".github" / "workflows").glob("reusable-*.yml"):
        name = path.stem.removeprefix("reusable-")
        action = yaml.safe_load((PROJECT_ROOT / "actions" / name / "action.yml").read_text())
        call = yaml.safe_load(path.read_text())[True]["workflow_call"]
        assert set(call["inputs"]) <= set(action["inputs"])
        assert set(call["outputs"]) <= set(action["outputs"])


def test_pre_commit_hooks_run_the_gate(tmp_path: Path) -> None:
    hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        command = hook["entry"].split()
        assert command[0] == "oasis" and command[1] in registry.COMMANDS
    (tmp_path / "messy.py").write_text("import sys\nimport os\nx=os.sep+sys.argv[0]\n")
    gate = next(h for h in hooks if h["id"] == "oasis-auto-fix-strict")
    code, out, _ = oasis(tmp_path, *gate["entry"].split()[1:], "messy.py")
    assert code == 1 and "+import os" in out
