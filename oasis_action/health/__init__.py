"""Repository health checks: a list of small checks that each return findings.

Other features extend the list (model integrity, auto-fix) by registering a check with
:func:`register`; `oasis doctor` runs whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from oasis_action.health.repo import RepoContext

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing doctor noticed."""

    check: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


CheckFunction = Callable[[RepoContext], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A named check and the function that runs it."""

    name: str
    description: str
    function: CheckFunction


CHECKS: dict[str, Check] = {}


def register(name: str, description: str) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator adding a check to doctor's list."""

    def wrap(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = Check(name, description, function)
        return function

    return wrap


def run_checks(context: RepoContext, names: Sequence[str] = ()) -> list[Finding]:
    """Findings of the named checks (all when none named), errors first, then by file and line."""
    from oasis_action.health import checks as _builtin  # noqa: F401  (registers the built-ins)

    selected = [CHECKS[name] for name in names] if names else list(CHECKS.values())
    findings = [finding for check in selected for finding in check.function(context)]
    return sorted(
        findings,
        key=lambda f: (SEVERITIES.index(f.severity), f.file or "", f.line or 0, f.check),
    )


def known_checks() -> list[str]:
    from oasis_action.health import checks as _builtin  # noqa: F401

    return sorted(CHECKS)
