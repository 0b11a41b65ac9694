"""Failure triage: what kind of failure a CI log shows, and whether a retry can fix it."""

from __future__ import annotations

CATEGORIES: dict[str, bool] = {
    "test-failure": False,
    "compile-error": False,
    "lint-format": False,
    "dependency": False,
    "network": True,
    "infrastructure": True,
    "timeout": True,
    "resource": True,
    "config": False,
    "unknown": False,
}
"""Every category of the public interface and whether it is retryable."""

HARD_CATEGORIES = frozenset({"test-failure", "compile-error", "lint-format", "config"})
"""Failures in the code or the workflow itself: never retried, whatever else the log shows."""
