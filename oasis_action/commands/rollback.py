"""`oasis rollback [--to VERSION]`: make an earlier model version current again (recorded in history)."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.errors import InputError, JobFailed
from oasis_action.options import MODELS, Option
from oasis_action.outcome import Outcome, Output

OPTIONS = (
    Option(
        "to",
        metavar="VERSION",
        help="version to make current (default: the one below the current version)",
    ),
    MODELS,
)


OUTPUTS = (Output("version", "the model version now current"),)


@dataclass(frozen=True)
class Config:
    to: str | None
    models: str


def run(config: Config, ctx: Context) -> Outcome:
    import semver

    from oasis_action.ml.store import ModelStore

    workspace = ctx.runner.workspace
    store = ModelStore(ctx.runner.writable(config.models, "models"), owner_of=workspace)
    current = store.current_version()
    if current is None:
        raise JobFailed(f"no model in {store.root}: nothing to roll back")
    if config.to:
        if not semver.Version.is_valid(config.to):
            raise InputError(f"--to must be a SemVer version like 1.2.3, got {config.to!r}")
        target = semver.Version.parse(config.to)
        if target not in store.versions():
            raise InputError(
                f"version {target} is not in the model store (have: {', '.join(map(str, store.versions()))})"
            )
    else:
        older = [v for v in store.versions() if v < current]
        if not older:
            raise JobFailed(f"{current} is the oldest version: nothing to roll back to")
        target = older[-1]
    store.make_current(target, event="rollback")
    ctx.reporter.result(f"{current} -> {target} (rolled back)")
    return Outcome(reason=f"rolled back to {target}", outputs={"version": str(target)})
