"""`oasis triage train`: retrain the triage model on the shipped corpus plus your labelled logs
(`--from DIR`, `--history FILE`, e.g. what `oasis learn --labels FILE` derived from reruns).

The new model is kept as a version in the state folder and used only when it passes the gate
on your own logs (see `triage/versions.py`); `--revert` goes back one version; `--output FILE`
writes the model there instead, without the gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oasis_action.context import Context
from oasis_action.errors import InputError, JobFailed
from oasis_action.options import Kind, Option
from oasis_action.outcome import Outcome

OPTIONS = (
    Option("from", metavar="DIR", help="labelled logs in DIR/<category>/*"),
    Option("history", metavar="FILE", help="JSON lines of labelled logs or rerun outcomes"),
    Option(
        "output",
        metavar="FILE",
        help="write the retrained model to FILE, ungated (default: a gated version in the state folder)",
    ),
    Option("revert", Kind.BOOL, default=False, help="use the previous retrained model again"),
)


@dataclass(frozen=True)
class Config:
    from_: str | None
    history: str | None
    output: str | None
    revert: bool


def run(config: Config, ctx: Context) -> Outcome:
    from oasis_action.triage import training
    from oasis_action.triage.versions import ModelRegistry

    versions = ModelRegistry(ctx.state_dir, ctx.workspace)
    if config.revert:
        number = versions.revert()
        said = f"using triage model {number}" if number else "using the shipped triage model"
        ctx.reporter.result(said)
        return Outcome(action_taken="reverted", reason=said)
    workspace = ctx.workspace
    own = training.user_samples(
        workspace / config.from_ if config.from_ else None,
        workspace / config.history if config.history else None,
    )
    samples = training.shipped_corpus() + own
    ctx.reporter.progress(f"training on {len(samples)} logs ({len(own)} of yours)")
    if config.output:
        return _ungated(config.output, training.train(samples), samples, ctx)
    if not own:
        raise InputError(
            "no labelled logs of yours (--from DIR or --history FILE): the shipped model already "
            "learned the shipped corpus"
        )
    return _gated(samples, len(own), versions, ctx)


def _ungated(output: str, model: Any, samples: list[Any], ctx: Context) -> Outcome:
    from oasis_action.triage import training

    target = ctx.runner.writable(output, "--output")
    model.save(target)
    report = training.evaluate(samples, by_tool=False)
    ctx.reporter.result(f"model with {len(model.vocabulary)} features saved to {output}")
    ctx.reporter.result(report.table())
    return Outcome(
        action_taken="trained",
        reason=f"model with {len(model.vocabulary)} features saved to {output}",
        summary=["## OASIS triage train\n\n" + report.table() + "\n"],
    )


def _gated(samples: list[Any], own: int, versions: Any, ctx: Context) -> Outcome:
    from oasis_action.triage import training
    from oasis_action.triage.classifier import classify, model_for
    from oasis_action.triage.versions import GateScore, passes

    yours = samples[-own:]
    labels = [s.category for s in yours]
    new_verdicts = training.out_of_fold_verdicts(samples, by_tool=False)[-own:]
    in_use = model_for(ctx.state_dir)
    old_verdicts = [classify(s.text, in_use) for s in yours]
    new, old = (
        GateScore(
            sum(v.category == label for v, label in zip(verdicts, labels, strict=True)) / own,
            training.unsafe_count(verdicts, labels),
            own,
        )
        for verdicts in (new_verdicts, old_verdicts)
    )
    accepted = passes(new, old)
    model = training.train(samples)
    model.info["user_samples"] = own
    number = versions.add(
        model, {"accepted": accepted, "new": new.to_json(), "in_use": old.to_json()}
    )
    compared = (
        f"on your {own} logs: accuracy {new.accuracy:.3f} (in use: {old.accuracy:.3f}), "
        f"hard failures called retryable {new.unsafe} (in use: {old.unsafe})"
    )
    if not accepted:
        raise JobFailed(f"triage model {number} kept aside, not used: {compared}")
    versions.use(number)
    ctx.reporter.result(f"triage model {number} in use: {compared}")
    return Outcome(action_taken="trained", reason=f"triage model {number} in use: {compared}")
