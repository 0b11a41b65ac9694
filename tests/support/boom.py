"""A command that fails the way a bug would, registered by tests to exercise the error boundary."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.runner import Reporter

OPTIONS = ()


@dataclass(frozen=True)
class Config:
    pass


def run(config: Config, reporter: Reporter) -> int:
    raise RuntimeError("unexpected state token=ghs_leakyleaky")
