"""A small local store of what OASIS did (JSON lines), read by `oasis metrics` and `oasis report`.

Each command appends one line per thing it did (a failure classified, a rerun, a merge, a
close, a training). One `write()` of one line in append mode, so concurrent writers interleave
whole lines, never halves.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def record(store: Path, kind: str, **fields: Any) -> None:
    """Append one event; a store that cannot be written never fails the command that acts."""
    line = (
        json.dumps({"event": kind, "time": time.time(), **fields}, sort_keys=True, default=str)
        + "\n"
    )
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(store, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(handle, line.encode())
        finally:
            os.close(handle)
    except OSError:
        return


def read(store: Path, since: float = 0.0) -> list[dict[str, Any]]:
    """Events newer than `since` (a damaged line is skipped, not fatal)."""
    if not store.is_file():
        return []
    events = []
    for line in store.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and float(event.get("time", 0)) >= since:
            events.append(event)
    return events
