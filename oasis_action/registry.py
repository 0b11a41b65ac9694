"""The table of commands: name -> module, imported lazily so each command loads only what it needs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from oasis_action.options import Option


@dataclass(frozen=True)
class CommandInfo:
    """Where a command lives and the line `oasis --help` shows for it.

    `defaults` makes a name an alias of another command with other defaults (`auto-fix-strict`
    is `fix --check`): option name -> default.
    """

    module: str
    summary: str
    defaults: tuple[tuple[str, Any], ...] = ()


COMMANDS: dict[str, CommandInfo] = {
    "doctor": CommandInfo(
        "oasis_action.commands.doctor",
        "Diagnose the repository: Python syntax, YAML and workflows, GPU, dependencies, git.",
    ),
    "train": CommandInfo(
        "oasis_action.commands.train",
        "Train LightGBM on a CSV (the bundled dataset by default) and store a new model version.",
    ),
    "evaluate": CommandInfo(
        "oasis_action.commands.evaluate", "Metrics of the current model on a labelled CSV."
    ),
    "predict": CommandInfo(
        "oasis_action.commands.predict", "Predict a CSV with the current model (chunked)."
    ),
    "version": CommandInfo("oasis_action.commands.version", "Show the current model version."),
    "bump-version": CommandInfo(
        "oasis_action.commands.bump_version", "Make a new model version at a SemVer level."
    ),
    "rollback": CommandInfo(
        "oasis_action.commands.rollback", "Make an earlier model version current again."
    ),
    "history": CommandInfo("oasis_action.commands.history", "Show the model store's history."),
    "auto-merge": CommandInfo(
        "oasis_action.commands.auto_merge",
        "Merge pull requests that are approved, green and mergeable (fail closed).",
    ),
    "ci-retry": CommandInfo(
        "oasis_action.commands.ci_retry",
        "Rerun a failed run's failed jobs when every failure is a retryable hiccup.",
    ),
    "auto-close": CommandInfo(
        "oasis_action.commands.auto_close",
        "Close pull requests whose CI keeps failing on the same head, with an explanation.",
    ),
    "fix": CommandInfo(
        "oasis_action.commands.fix",
        "Format and fix files (black, isort, docformatter, safe text fixes); --check for CI.",
    ),
    "format": CommandInfo(
        "oasis_action.commands.fix",
        "Format Python files only: `fix --no-text-fixes`.",
        (("text-fixes", False),),
    ),
    "auto-fix": CommandInfo(
        "oasis_action.commands.fix",
        "Format plus safe text fixes; a rewrite that would change a program is refused: `fix`.",
    ),
    "auto-fix-strict": CommandInfo(
        "oasis_action.commands.fix",
        "Change nothing; exit 1 listing what auto-fix would change (a CI gate): `fix --check`.",
        (("check", True),),
    ),
    "clean": CommandInfo(
        "oasis_action.commands.clean",
        "Remove caches, build outputs and logs (models only with --models); never a tracked file.",
    ),
    "auto-fix-pr": CommandInfo(
        "oasis_action.commands.auto_fix_pr",
        "Auto-fix the workspace and propose the change as one PR (never clobbering human commits).",
    ),
    "nightly-heal": CommandInfo(
        "oasis_action.commands.nightly_heal",
        "Doctor, auto-fix PR, and one health issue kept up to date (closed when healthy).",
    ),
    "changelog": CommandInfo(
        "oasis_action.commands.changelog",
        "Keep-a-Changelog section from Conventional Commits since the last tag, with metric deltas.",
    ),
    "release": CommandInfo(
        "oasis_action.commands.release",
        "Gate, tag and publish the current model as a GitHub Release (idempotent).",
    ),
    "train-and-release": CommandInfo(
        "oasis_action.commands.train_and_release",
        "Train, gate against the released model, bump, changelog, release; roll back on failure.",
    ),
    "triage": CommandInfo(
        "oasis_action.commands.triage",
        "Classify CI failure logs (rules + model); subcommands classify, train, flaky, cluster.",
    ),
    "triage classify": CommandInfo(
        "oasis_action.commands.triage", "Classify CI failure logs or a run's failed jobs."
    ),
    "triage train": CommandInfo(
        "oasis_action.commands.triage_train",
        "Retrain the triage model on the shipped corpus plus your labelled logs.",
    ),
    "triage flaky": CommandInfo(
        "oasis_action.commands.triage_flaky",
        "Flaky tests from JUnit reports or recent runs' artifacts; quarantine list, retry budget.",
    ),
    "triage cluster": CommandInfo(
        "oasis_action.commands.triage_cluster", "Group failure logs by what failed."
    ),
    "learn": CommandInfo(
        "oasis_action.commands.learn",
        "Learn from GitHub's history (reruns, failures, flaky tests); keep it on a state branch.",
    ),
    "metrics": CommandInfo(
        "oasis_action.commands.metrics",
        "Export OASIS's events as Prometheus metrics (textfile or Pushgateway).",
    ),
    "report": CommandInfo(
        "oasis_action.commands.report",
        "Weekly digest of failures, flaky tests, retries, merges and models (Slack, e-mail).",
    ),
}


def load(name: str) -> ModuleType:
    """The module implementing `name` (it exposes OPTIONS, Config and run)."""
    return importlib.import_module(COMMANDS[name].module)


def options_of(name: str) -> tuple[Option, ...]:
    """The options of command `name`, with the defaults its registry entry sets."""
    preset = dict(COMMANDS[name].defaults)
    return tuple(
        replace(option, default=preset[option.name]) if option.name in preset else option
        for option in load(name).OPTIONS
    )
