"""OASIS's pytest plugin: what `oasis learn` learned about each test, applied to the test run.

Off unless `--oasis-params FILE` (or `OASIS_TEST_PARAMS`) names a parameters file written by
`oasis learn --export FILE`. Then, for each test the file names:

- quarantined (it flipped between pass and fail on one commit): a failure is reported as an
  expected failure ("quarantined by OASIS") and does not fail the build; a pass stays a pass;
- reruns: `pytest.mark.flaky(reruns=N)`, applied by pytest-rerunfailures when installed;
- timeout: `pytest.mark.timeout(seconds)`, applied by pytest-timeout when installed.

What was applied is recorded as JUnit properties (`oasis-quarantined`, `oasis-reruns`,
`oasis-timeout`) and listed at the end of the run. Other tests are untouched.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

PARAMS_KEY = pytest.StashKey[dict[str, dict[str, Any]]]()
QUARANTINE = "quarantined by OASIS: this test flips between pass and fail on one commit here"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("oasis", "OASIS learned test parameters")
    group.addoption(
        "--oasis-params",
        metavar="FILE",
        default=os.environ.get("OASIS_TEST_PARAMS") or None,
        help="per-test parameters from `oasis learn --export FILE` (quarantine, reruns, timeout)",
    )


def load(path: str) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise pytest.UsageError(f"--oasis-params {path}: {error}") from None
    tests = data.get("tests") if isinstance(data, dict) and data.get("format") == 1 else None
    if not isinstance(tests, dict):
        raise pytest.UsageError(f"--oasis-params {path}: not an OASIS parameters file")
    return {str(k): v for k, v in tests.items() if isinstance(v, dict)}


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--oasis-params")
    if path:
        config.stash[PARAMS_KEY] = load(path)


def junit_id(nodeid: str) -> str:
    """The id JUnit XML gives a test (`tests.test_x.TestA::test_b`), as CI artifacts hold it."""
    path, *rest = nodeid.split("::")
    module = path.removesuffix(".py").replace("/", ".").replace("\\", ".")
    return "::".join([".".join([module, *rest[:-1]]), rest[-1]]) if rest else module


def _apply(item: pytest.Item, found: dict[str, Any], config: pytest.Config) -> None:
    plugins = config.pluginmanager
    if found.get("quarantined"):
        item.add_marker(pytest.mark.xfail(reason=QUARANTINE, strict=False))
        item.user_properties.append(("oasis-quarantined", "true"))
    reruns = found.get("reruns")
    rerun = isinstance(reruns, int) and reruns > 0 and not found.get("quarantined")
    if rerun and plugins.hasplugin("rerunfailures"):
        item.add_marker(pytest.mark.flaky(reruns=reruns))
        item.user_properties.append(("oasis-reruns", str(reruns)))
    timeout = found.get("timeout")
    if isinstance(timeout, (int, float)) and timeout > 0 and plugins.hasplugin("timeout"):
        item.add_marker(pytest.mark.timeout(timeout))
        item.user_properties.append(("oasis-timeout", str(timeout)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    params = config.stash.get(PARAMS_KEY, None)
    if not params:
        return
    for item in items:
        found = params.get(item.nodeid) or params.get(junit_id(item.nodeid))
        if found:
            _apply(item, found, config)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if PARAMS_KEY not in config.stash:
        return
    quarantined = [
        report.nodeid
        for report in terminalreporter.stats.get("xfailed", [])
        if QUARANTINE in str(getattr(report, "wasxfail", ""))
    ]
    if quarantined:
        terminalreporter.write_sep("-", "OASIS quarantine")
        for nodeid in quarantined:
            terminalreporter.write_line(f"failed, quarantined (the build does not fail): {nodeid}")
