"""The pytest plugin, fed by `oasis learn --export`, in a real pytest run of a small project:
a known flaky test no longer fails the build (and is reported as quarantined), a real failure
still does."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.integration.test_learning_loop import learn, record_history
from tests.support.github.server import LocalGitHub

FLAKY = "def test_flaky():\n    assert False, 'the network flaked'\n"
OK = "def test_ok():\n    assert True\n"
BROKEN = "def test_broken():\n    assert 1 + 1 == 3\n"


def pytest_run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--junitxml=out.xml",
            *args,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def project_with(tmp_path: Path, *tests: str) -> Path:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "__init__.py").write_text("")
    (project / "tests" / "test_api.py").write_text("\n\n".join(tests))
    (project / "pytest.ini").write_text("[pytest]\n")
    return project


def learned_params(gh: LocalGitHub, tmp_path: Path) -> Path:
    record_history(gh)
    result = learn(gh, tmp_path / "learn", export="params.json")
    assert result.returncode == 0, result.log
    return tmp_path / "learn" / "workspace" / "params.json"


def test_a_flaky_test_is_quarantined_and_the_build_passes(
    local_github: LocalGitHub, tmp_path: Path
) -> None:
    params = learned_params(local_github, tmp_path)
    project = project_with(tmp_path, FLAKY, OK)
    assert pytest_run(project).returncode == 1, "without OASIS the flake fails the build"
    run = pytest_run(project, f"--oasis-params={params}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OASIS quarantine" in run.stdout
    assert (
        "failed, quarantined (the build does not fail): tests/test_api.py::test_flaky" in run.stdout
    )
    report = ET.parse(project / "out.xml").getroot()
    case = next(c for c in report.iter("testcase") if c.get("name") == "test_flaky")
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties["oasis-quarantined"] == "true"


def test_a_real_failure_stays_red(local_github: LocalGitHub, tmp_path: Path) -> None:
    params = learned_params(local_github, tmp_path)
    project = project_with(tmp_path, FLAKY, OK, BROKEN)
    run = pytest_run(project, f"--oasis-params={params}")
    assert run.returncode == 1
    assert "1 failed" in run.stdout and "test_broken" in run.stdout
    assert "xfailed" in run.stdout


def test_a_bad_parameters_file_is_a_usage_error(tmp_path: Path) -> None:
    project = project_with(tmp_path, OK)
    (project / "bad.json").write_text("[]")
    run = pytest_run(project, "--oasis-params=bad.json")
    assert run.returncode == 4 and "not an OASIS parameters file" in run.stderr
