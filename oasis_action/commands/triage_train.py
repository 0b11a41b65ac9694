"""`oasis triage train`: retrain the triage model on the shipped corpus plus your labelled logs."""

from __future__ import annotations

from dataclasses import dataclass

from oasis_action.context import Context
from oasis_action.options import Option
from oasis_action.outcome import Outcome

OPTIONS = (
    Option("from", metavar="DIR", help="labelled logs in DIR/<category>/*"),
    Option("history", metavar="FILE", help="JSON lines of labelled logs or rerun outcomes"),
    Option(
        "output",
        metavar="FILE",
        help="where the retrained model goes (default: triage-model.npz in the state folder)",
    ),
)


@dataclass(frozen=True)
class Config:
    from_: str | None
    history: str | None
    output: str | None


def run(config: Config, ctx: Context) -> Outcome:
    """Retrain on the shipped corpus plus the user's labelled logs; report held-out quality."""
    from oasis_action.triage import training

    workspace = ctx.runner.workspace
    own = training.user_samples(
        workspace / config.from_ if config.from_ else None,
        workspace / config.history if config.history else None,
    )
    samples = training.shipped_corpus() + own
    ctx.reporter.progress(f"training on {len(samples)} logs ({len(own)} of yours)")
    model = training.train(samples)
    model.info["user_samples"] = len(own)
    shown = config.output or f"{ctx.runner.state_dir}/triage-model.npz"
    target = ctx.runner.writable(shown, "--output")
    model.save(target)
    report = training.evaluate(samples, by_tool=False)
    ctx.reporter.result(f"model with {len(model.vocabulary)} features saved to {shown}")
    ctx.reporter.result(report.table())
    return Outcome(
        action_taken="trained",
        reason=f"model with {len(model.vocabulary)} features saved to {shown}",
        summary=["## OASIS triage train\n\n" + report.table() + "\n"],
    )
