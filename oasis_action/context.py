"""The collaborators a command is handed: runner context, reporter, state folder, GitHub.

Commands take `run(config, ctx)` and reach the outside world only through `ctx`, so the
dispatcher knows what they spent (API calls are counted here on every path, failures included)
and a test can hand a command any port it likes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oasis_action.errors import InputError
from oasis_action.runner import Reporter, RunnerContext

if TYPE_CHECKING:
    from oasis_action.github.port import FullPort
    from oasis_action.github.transport import Budget

PortFactory = Callable[..., Any]
"""Opens a port: `(settings, log) -> context manager of (port, budget)`; see `github.client.connect`."""


@dataclass
class Context:
    """One command run's collaborators."""

    reporter: Reporter
    connector: PortFactory | None = None
    budgets: list[Budget] = field(default_factory=list)

    @property
    def runner(self) -> RunnerContext:
        return self.reporter.context

    @property
    def workspace(self) -> Path:
        return self.runner.workspace

    @property
    def state_dir(self) -> Path:
        """OASIS's own folder in the workspace (`.oasis/` unless OASIS_STATE_DIR says otherwise)."""
        relative = Path(self.runner.state_dir)
        if relative.is_absolute() or ".." in relative.parts:
            raise InputError(
                f"OASIS_STATE_DIR must be a folder inside the workspace, got {self.runner.state_dir!r}"
            )
        return self.runner.workspace / relative

    @property
    def events_store(self) -> Path:
        return self.state_dir / "events.jsonl"

    @property
    def api_calls(self) -> int:
        """GitHub requests made so far in this run, whatever happened after."""
        return sum(budget.used for budget in self.budgets)

    @contextlib.contextmanager
    def github(self, repo: str | None, max_api_calls: int, dry_run: bool) -> Iterator[FullPort]:
        """A port on `repo` (default: the run's repository) within a request budget."""
        from oasis_action.github.client import connect, settings_for

        opener = self.connector or connect
        settings = settings_for(self.runner, repo, max_api_calls, dry_run)
        with opener(settings, self.reporter.info) as (port, budget):
            self.budgets.append(budget)
            yield port
