"""Typed options: one declaration serves both the CLI flag and the action input.

A command declares its options once. The CLI turns them into `--flags`; the action entrypoint
reads them from `INPUT_*` variables. Both hand raw strings to :func:`resolve`, so a value means
the same thing whichever way it arrives.
"""

from __future__ import annotations

import enum
import keyword
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from oasis_action.errors import InputError

TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})


class Kind(enum.Enum):
    """How a raw string becomes a value."""

    STR = "string"
    BOOL = "boolean"
    INT = "integer"
    FLOAT = "number"
    LIST = "comma list"
    CHOICE = "choice"


@dataclass(frozen=True)
class Option:
    """One input of an action, which is also one flag (or positional) of the CLI."""

    name: str
    kind: Kind = Kind.STR
    default: Any = None
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    positional: bool = False
    many: bool = False
    cli_only: bool = False
    secret: bool = False
    short: str | None = None
    metavar: str | None = None
    aliases: tuple[str, ...] = field(default=())

    @property
    def attr(self) -> str:
        """The Python identifier holding this option's value (`from` becomes `from_`)."""
        attr = self.name.replace("-", "_")
        return attr + "_" if keyword.iskeyword(attr) else attr

    @property
    def env_name(self) -> str:
        """The variable the runner sets: `INPUT_` + upper-cased name, hyphens kept."""
        return "INPUT_" + self.name.replace(" ", "_").upper()


def parse_bool(raw: str) -> bool | None:
    """The boolean a word stands for, or None when it is no boolean word."""
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _describe(option: Option) -> str:
    if option.kind is Kind.CHOICE:
        return "one of " + ", ".join(option.choices)
    if option.kind is Kind.BOOL:
        return "a boolean (true/false/yes/no/1/0)"
    bounds = ""
    if option.minimum is not None and option.maximum is not None:
        bounds = f" between {option.minimum:g} and {option.maximum:g}"
    elif option.minimum is not None:
        bounds = f" >= {option.minimum:g}"
    return f"{'an' if option.kind is Kind.INT else 'a'} {option.kind.value}{bounds}"


def _check_bounds(option: Option, value: float, raw: str, label: str) -> None:
    too_low = option.minimum is not None and value < option.minimum
    too_high = option.maximum is not None and value > option.maximum
    if too_low or too_high:
        raise InputError(f"{label} must be {_describe(option)}, got {raw!r}")


def parse_value(option: Option, raw: Any, label: str) -> Any:
    """Turn one raw value (a string, or a ready value from argparse) into the option's type."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if option.kind is Kind.STR:
        return raw
    if option.kind is Kind.LIST:
        return tuple(item.strip() for item in text.replace("\n", ",").split(",") if item.strip())
    if option.kind is Kind.BOOL:
        flag = parse_bool(text)
        if flag is None:
            raise InputError(f"{label} must be {_describe(option)}, got {raw!r}")
        return flag
    if option.kind is Kind.CHOICE:
        if text not in option.choices:
            raise InputError(f"{label} must be {_describe(option)}, got {raw!r}")
        return text
    return _parse_number(option, text, raw, label)


def _parse_number(option: Option, text: str, raw: str, label: str) -> float | int:
    try:
        number: float | int = int(text) if option.kind is Kind.INT else float(text)
    except ValueError:
        raise InputError(f"{label} must be {_describe(option)}, got {raw!r}") from None
    if not math.isfinite(number):
        raise InputError(f"{label} must be {_describe(option)} (a finite one), got {raw!r}")
    _check_bounds(option, float(number), raw, label)
    return number


def resolve(options: Sequence[Option], raw: Mapping[str, Any], label_for: Any) -> dict[str, Any]:
    """Values for every option: parsed from `raw` (keyed by attr), defaults where empty.

    `label_for(option)` names the option in error messages the way the user wrote it
    (`input 'max-attempts'` in an action, `--max-attempts` on the command line).
    """
    values: dict[str, Any] = {}
    for option in options:
        given = raw.get(option.attr)
        empty = given is None or (isinstance(given, str) and not given.strip())
        if empty and option.required:
            raise InputError(f"{label_for(option)} is required")
        values[option.attr] = (
            option.default if empty else parse_value(option, given, label_for(option))
        )
    return values


PULL_NUMBER = Option(
    "pull-number",
    Kind.INT,
    minimum=1,
    help="the pull request (default: from the event; none: every open PR)",
)

IGNORE_ACTORS = Option(
    "ignore-actors",
    Kind.LIST,
    default=("github-actions[bot]",),
    help="OASIS's own accounts: events they send are ignored (its writes never trigger it again) and only comments they wrote are edited",
)

MODELS = Option("models", default="models", metavar="DIR", help="model store folder")

GITHUB_OPTIONS = (
    Option("dry-run", Kind.BOOL, default=False, help="decide and report, change nothing"),
    Option(
        "max-api-calls",
        Kind.INT,
        default=300,
        minimum=1,
        maximum=100000,
        help="request budget; the run stops cleanly when it is spent",
    ),
    Option(
        "repo", cli_only=True, metavar="OWNER/NAME", help="repository (default: $GITHUB_REPOSITORY)"
    ),
)


def render_default(value: Any) -> str:
    """A default as an action input writes it: `true`, `3`, `a,b`, or '' for none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)
