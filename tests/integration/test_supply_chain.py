"""What runs with the write token is pinned: the base image by digest, every dependency by hash,
every released action by the image digest, and zizmor finds nothing in any persona."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.paths import PROJECT_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", re.MULTILINE)


def locked(path: Path) -> dict[str, str]:
    text = path.read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    pins = {}
    for block in blocks:
        match = PIN.match(block)
        assert match, f"{path.name}: not a pinned requirement: {block[:60]!r}"
        assert "--hash=sha256:" in block, f"{path.name}: {match.group(1)} has no hash"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_the_lock_agrees_with_pyproject() -> None:
    """CI fails when a dependency is added or its range moves without `pip-compile` again."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    pins = locked(PROJECT_ROOT / "requirements.lock")
    for spec in project["project"]["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(
            pins[name], prereleases=True
        ), f"requirements.lock pins {requirement.name}=={pins[name]}, pyproject wants {requirement.specifier}"
    build = locked(PROJECT_ROOT / "requirements-build.lock")
    for spec in project["build-system"]["requires"]:
        requirement = Requirement(spec)
        assert requirement.specifier.contains(build[canonicalize_name(requirement.name)])


def test_the_image_installs_only_hashed_files_on_a_digest_pinned_base() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    default = re.search(r"^ARG BASE_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    assert default and re.search(r"@sha256:[0-9a-f]{64}$", default.group(1))
    installs = [
        line
        for line in dockerfile.splitlines()
        if "pip install" in line and not line.startswith("#")
    ]
    assert all("--require-hashes" in line or "--no-deps" in line for line in installs)
    assert "--no-build-isolation" in dockerfile, "the build backend comes from the hashed lock too"


def test_released_actions_run_the_image_by_digest(tmp_path: Path) -> None:
    copy = tmp_path / "release"
    shutil.copytree(PROJECT_ROOT / "actions", copy / "actions")
    shutil.copy(PROJECT_ROOT / "action.yml", copy / "action.yml")
    shutil.copytree(PROJECT_ROOT / "tools", copy / "tools")
    image = "ghcr.io/octo-org/oasis@sha256:" + "ab" * 32
    done = subprocess.run(
        [sys.executable, str(copy / "tools" / "pin_image.py"), image],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = [copy / "action.yml", *sorted((copy / "actions").glob("*/action.yml"))]
    for path in files:
        runs = yaml.safe_load(path.read_text())["runs"]
        assert runs["image"] == f"docker://{image}", path
        original = PROJECT_ROOT / path.relative_to(copy)
        assert (
            yaml.safe_load(original.read_text())["inputs"]
            == yaml.safe_load(path.read_text())["inputs"]
        )
    audited = subprocess.run(
        [shutil.which("zizmor") or "zizmor", "--offline", "--no-progress", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert audited.returncode == 0 and "ignored" not in audited.stdout, audited.stdout
    bad = subprocess.run(
        [sys.executable, str(copy / "tools" / "pin_image.py"), "ghcr.io/octo-org/oasis:latest"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2, "a tag is never pinned: only a digest"


@pytest.mark.parametrize("persona", ["regular", "pedantic", "auditor"])
def test_zizmor_finds_nothing_in_any_persona(persona: str) -> None:
    files = [
        PROJECT_ROOT / "action.yml",
        *sorted(PROJECT_ROOT.glob("actions/*/action.yml")),
        *sorted(PROJECT_ROOT.glob("workflows-templates/*.yml")),
        *sorted(PROJECT_ROOT.glob(".github/workflows/*.yml")),
    ]
    audited = subprocess.run(
        [shutil.which("zizmor") or "zizmor", "--offline", "--no-progress", "--persona", persona, *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert audited.returncode == 0, audited.stdout + audited.stderr
