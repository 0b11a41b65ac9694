"""Reading a failure log from disk: the tail triage reads, never the whole of a huge one."""

from __future__ import annotations

from pathlib import Path

from oasis_action.errors import InputError


def read_log(path: Path, shown: str | None = None) -> str:
    """The tail of a log file; exit 2 naming it when it is not a file."""
    from oasis_action.triage.steps import read_tail

    if not path.is_file():
        raise InputError(f"log {shown or path} does not exist")
    return read_tail(path)
