from __future__ import annotations

import pytest

from oasis_action.errors import InputError
from oasis_action.options import Kind, Option, parse_bool, resolve

ATTEMPTS = Option("max-attempts", Kind.INT, default=3, minimum=1, maximum=10)
DRY = Option("dry-run", Kind.BOOL, default=False)
RETRY_ON = Option("retry-on", Kind.LIST, default=("network",))
METHOD = Option(
    "merge-method", Kind.CHOICE, default="squash", choices=("merge", "squash", "rebase")
)
CONFIDENCE = Option("min-confidence", Kind.FLOAT, default=0.6, minimum=0, maximum=1)
ALL = (ATTEMPTS, DRY, RETRY_ON, METHOD, CONFIDENCE)


def label(option: Option) -> str:
    return f"input '{option.name}'"


@pytest.mark.parametrize("word", ["true", "True", "YES", "1", " on "])
def test_true_words(word: str) -> None:
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", ["false", "No", "0", "OFF"])
def test_false_words(word: str) -> None:
    assert parse_bool(word) is False


def test_not_a_boolean_word() -> None:
    assert parse_bool("maybe") is None


def test_env_name_keeps_hyphens() -> None:
    assert ATTEMPTS.env_name == "INPUT_MAX-ATTEMPTS"
    assert Option("my input").env_name == "INPUT_MY_INPUT"
    assert ATTEMPTS.attr == "max_attempts"


def test_empty_values_take_defaults() -> None:
    values = resolve(ALL, {"max_attempts": "", "dry_run": "  "}, label)
    assert values == {
        "max_attempts": 3,
        "dry_run": False,
        "retry_on": ("network",),
        "merge_method": "squash",
        "min_confidence": 0.6,
    }


def test_values_are_parsed_to_their_types() -> None:
    raw = {
        "max_attempts": "5",
        "dry_run": "yes",
        "retry_on": "network, timeout,\nresource,",
        "merge_method": "rebase",
        "min_confidence": "0.75",
    }
    assert resolve(ALL, raw, label) == {
        "max_attempts": 5,
        "dry_run": True,
        "retry_on": ("network", "timeout", "resource"),
        "merge_method": "rebase",
        "min_confidence": 0.75,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"max_attempts": "three"},
            "input 'max-attempts' must be an integer between 1 and 10, got 'three'",
        ),
        (
            {"max_attempts": "11"},
            "input 'max-attempts' must be an integer between 1 and 10, got '11'",
        ),
        ({"max_attempts": "0"}, "between 1 and 10"),
        (
            {"dry_run": "maybe"},
            "input 'dry-run' must be a boolean (true/false/yes/no/1/0), got 'maybe'",
        ),
        (
            {"merge_method": "fast-forward"},
            "input 'merge-method' must be one of merge, squash, rebase",
        ),
        ({"min_confidence": "1.5"}, "input 'min-confidence' must be a number between 0 and 1"),
        ({"min_confidence": "nan%"}, "input 'min-confidence'"),
    ],
)
def test_bad_values_name_the_input(raw: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve(ALL, raw, label)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_required_input_is_checked_by_the_action_itself() -> None:
    needed = Option("run-id", Kind.INT, required=True, minimum=1)
    with pytest.raises(InputError, match="input 'run-id' is required"):
        resolve((needed,), {"run_id": ""}, label)


def test_ready_values_from_argparse_pass_through() -> None:
    assert resolve((DRY, RETRY_ON), {"dry_run": True, "retry_on": ["a", "b"]}, label) == {
        "dry_run": True,
        "retry_on": ["a", "b"],
    }


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_numbers_must_be_finite(value: str) -> None:
    """`nan` compares false with every bound, so it used to pass `between 0 and 1`."""
    with pytest.raises(InputError, match=r"a number between 0 and 1 \(a finite one\)"):
        resolve(ALL, {"min_confidence": value}, label)
