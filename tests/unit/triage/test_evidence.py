"""Evidence beats keywords: what decides is the failing step's own verdict, never a stray word."""

from __future__ import annotations

import pytest

from oasis_action.triage.evidence import RULES, literals_of, scan
from oasis_action.triage.rules import classify


def actions(*lines: str, code: int = 1) -> str:
    return "\n".join(
        ["##[group]Run make test", *lines, f"##[error]Process completed with exit code {code}."]
    )


def test_a_network_error_printed_inside_a_failing_test_is_a_test_failure() -> None:
    log = actions(
        "tests/test_client.py::test_fetch FAILED",
        "E   requests.exceptions.ConnectionError: Connection refused",
        "==== 1 failed, 20 passed in 2.1s ====",
    )
    verdict = classify(log)
    assert (verdict.category, verdict.retryable) == ("test-failure", False)


def test_timed_out_in_a_test_name_is_not_a_timeout() -> None:
    log = actions(
        "tests/test_retry.py::test_request_timed_out_is_retried FAILED",
        "==== 1 failed, 3 passed in 0.4s ====",
    )
    assert classify(log).category == "test-failure"


def test_an_error_the_job_recovered_from_does_not_decide() -> None:
    log = "\n".join(
        [
            "##[group]Run pip install -r requirements.txt",
            "WARNING: Retrying after connection broken by 'NewConnectionError: Connection refused'",
            "Successfully installed requests",
            "##[endgroup]",
            "##[group]Run black --check .",
            "would reformat src/app.py",
            "##[error]Process completed with exit code 1.",
        ]
    )
    verdict = classify(log)
    assert (verdict.category, verdict.step) == ("lint-format", "black --check .")


def test_warnings_never_decide() -> None:
    log = actions("##[warning]Connection reset by peer", "Build finished", code=2)
    assert not classify(log).retryable


def test_transient_evidence_alone_is_retryable() -> None:
    log = actions("curl: (56) Recv failure: Connection reset by peer", code=56)
    verdict = classify(log)
    assert (verdict.category, verdict.retryable) == ("network", True)
    assert "Connection reset by peer" in verdict.excerpt


def test_a_test_that_failed_because_it_timed_out_is_a_timeout() -> None:
    log = actions(
        "[info] - should answer *** FAILED ***",
        "[info]   com.twitter.util.TimeoutException: 30.seconds",
        "[error] Failed: Total 10, Failed 1, Errors 0, Passed 9",
    )
    assert classify(log).category == "timeout"


def test_a_timeout_never_outweighs_a_compiler_or_a_linter() -> None:
    log = actions("src/a.rs:3:5: error[E0425]: cannot find value", "context deadline exceeded")
    assert not classify(log).retryable


def test_a_download_that_failed_for_a_network_reason_is_network() -> None:
    log = actions(
        "WARNING: Retrying after connection broken by ReadTimeoutError: Read timed out.",
        "ERROR: Could not find a version that satisfies the requirement numpy==9.9",
        "ERROR: No matching distribution found for numpy==9.9",
    )
    assert classify(log).category == "network"
    missing = actions("ERROR: No matching distribution found for numpy==9.9")
    assert classify(missing).category == "dependency"


def test_a_projects_own_missing_module_is_its_bug() -> None:
    own = actions(
        '  File "/src/app/main.py", line 1, in <module>',
        "    from app.router_utils import helper",
        "ModuleNotFoundError: No module named 'app.router_utils'",
    )
    assert classify(own).category == "compile-error"
    third_party = actions("ImportError: No module named cv2", "FAILED (failures=6)")
    assert classify(third_party).category == "dependency"


@pytest.mark.parametrize(
    ("report", "category"),
    [
        ("  1. [L296] 301 https://a.example/x  → https://b.example/x", "lint-format"),
        ("  1. [L0239] 522 http://a.example/img.jpg", "network"),
        ("  1. http://a.example/p Connection refused - connect(2)", "network"),
    ],
)
def test_link_checkers_are_lint_unless_every_link_failed_for_a_transient_reason(
    report: str, category: str
) -> None:
    log = actions("Issues :-(", "> Links ", report, "> Dupes ", "  None ✓")
    assert classify(log).category == category


def test_every_rule_is_found_by_its_triggers() -> None:
    """A rule runs only on lines holding a trigger: every alternative must carry one."""
    for rule in RULES:
        derived = literals_of(rule.pattern.pattern)
        assert derived is None or set(derived) <= set(rule.triggers), rule.pattern.pattern
        assert rule.triggers and all(rule.triggers), rule.pattern.pattern


def test_scan_reports_each_rule_once_per_line() -> None:
    hits = scan(["FAILED (failures=2)", "FAILED (failures=2)"])
    assert [(h.category, h.line) for h in hits] == [("test-failure", 0), ("test-failure", 1)]
