"""The `oasis` console script: parse and dispatch, nothing else."""

from __future__ import annotations

from oasis_action.main import main


def entry() -> None:
    raise SystemExit(main())
