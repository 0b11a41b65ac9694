"""Container entrypoint: `python -m oasis_action <action>` (or the `command` input)."""

from __future__ import annotations

from oasis_action.main import main

if __name__ == "__main__":
    raise SystemExit(main())
