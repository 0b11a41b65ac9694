"""Where the project and the shared test data live."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("OASIS_SHARED", PROJECT_ROOT.parent / "shared"))
EVENTS = SHARED / "github" / "events"
OPENAPI = SHARED / "github" / "openapi" / "api.github.com.json.gz"


def load_event(event: str, name: str) -> dict[str, Any]:
    """A real webhook payload, e.g. load_event("workflow_run", "completed.1")."""
    return json.loads((EVENTS / event / f"{name}.json").read_text(encoding="utf-8"))
