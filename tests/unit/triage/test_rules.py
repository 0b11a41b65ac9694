from __future__ import annotations

import pytest

from oasis_action.triage import CATEGORIES
from oasis_action.triage.rules import classify, clean, signature

TS = "2026-11-20T10:15:02.1234567Z "


def actions_log(*lines: str) -> str:
    return "\n".join(["##[group]Run pytest", *(TS + line for line in lines), "##[endgroup]"])


LOGS = {
    "test-failure": actions_log(
        "tests/test_api.py::test_merge FAILED",
        "E       AssertionError: assert 2 == 3",
        "FAILED tests/test_api.py::test_merge - AssertionError",
        "========= 1 failed, 41 passed in 3.21s =========",
    ),
    "compile-error": actions_log(
        '  File "src/app.py", line 12', "    def broken(:", "SyntaxError: invalid syntax"
    ),
    "lint-format": actions_log(
        "would reformat src/app.py",
        "Oh no! 💥 💔 💥",
        "1 file would be reformatted, 9 files would be left unchanged.",
    ),
    "dependency": actions_log(
        "ERROR: Cannot install foo==1.0 and bar==2.0 because these package versions have conflicting dependencies.",
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io",
    ),
    "network": actions_log(
        "Collecting requests",
        "  WARNING: Retrying (Retry(total=4)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 101]')'",
        "curl: (56) Recv failure: Connection reset by peer",
    ),
    "infrastructure": actions_log(
        "##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped."
    ),
    "timeout": actions_log(
        "##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes."
    ),
    "resource": actions_log(
        "cc1plus: fatal error: error writing to /tmp/ccXb.s: No space left on device"
    ),
    "config": actions_log("##[error]Input required and not supplied: token"),
}


@pytest.mark.parametrize("category", sorted(LOGS))
def test_each_category_has_a_signature(category: str) -> None:
    verdict = classify(LOGS[category])
    assert verdict.category == category
    assert verdict.retryable is CATEGORIES[category]
    assert verdict.confidence >= 0.85
    assert verdict.excerpt and TS.strip() not in verdict.excerpt


def test_a_real_bug_is_never_retried_even_with_network_noise() -> None:
    log = LOGS["network"] + "\n" + LOGS["test-failure"]
    assert classify(log).category == "test-failure"
    assert not classify(LOGS["lint-format"] + "\n" + LOGS["timeout"]).retryable


def test_unknown_when_nothing_matches() -> None:
    verdict = classify("step one\nstep two\nProcess completed with exit code 3.\n")
    assert (verdict.category, verdict.retryable, verdict.confidence) == ("unknown", False, 0.0)
    assert verdict.excerpt.endswith("exit code 3.")


def test_signature_masks_what_varies() -> None:
    first = signature(
        "2026-01-01T10:00:00Z fetch https://x/a/b/c failed for 1a2b3c4d5e6f7 after 30 tries"
    )
    second = signature(
        "2026-02-03T11:22:33Z fetch https://x/d/e/f failed for 9f8e7d6c5b4a3 after 12 tries"
    )
    assert first == second


def test_clean_drops_timestamps_and_markers() -> None:
    assert clean(f"##[group]Setup\n{TS}hello\n##[error]boom\r\n") == ["hello", "boom", ""]


def test_triggers_survive_a_prefix_the_regex_parser_factors_out() -> None:
    """`\\bECONNRESET\\b|\\bECONNREFUSED\\b` parses as `\\bE` + a branch: the seed derived no
    trigger per alternative, so Node's `Error: connect ECONNREFUSED` was never looked at."""
    from oasis_action.triage.classifier import classify
    from oasis_action.triage.evidence import literals_of

    assert literals_of(r"\bECONNRESET\b|\bECONNREFUSED\b") == ("ECONNRESET", "ECONNREFUSED")
    assert classify("Error: connect ECONNREFUSED 10.0.0.9:443\n").category == "network"
    go = "dial tcp 10.0.0.9:443: connect: connection refused\n"
    assert classify(go).category == "network", "Go spells it in lower case"
