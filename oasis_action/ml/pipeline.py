"""Training as a flow: fit on this machine or a Dask cluster, pick the SemVer bump, store.

`train` and `train-and-release` both run it; they differ in what they do with the new version.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oasis_action import events
from oasis_action.context import Context
from oasis_action.errors import InputError
from oasis_action.options import MODELS, Kind, Option
from oasis_action.outcome import Outcome
from oasis_action.release.notes import TAG_PREFIX

if TYPE_CHECKING:
    from oasis_action.ml.model import TabularModel

TRAIN_OPTIONS = (
    Option(
        "data",
        default="data/dataset.csv",
        metavar="FILE",
        help="training CSV (the bundled UCI breast cancer data by default)",
    ),
    Option("target", default="target", metavar="COLUMN", help="name of the target column"),
    Option(
        "features",
        Kind.LIST,
        default=(),
        help="comma list of feature columns (all but the target when empty)",
    ),
    Option(
        "task",
        Kind.CHOICE,
        default="auto",
        choices=("auto", "binary", "multiclass", "regression"),
        help="learning task, inferred from the target by default",
    ),
    Option(
        "device",
        Kind.CHOICE,
        default="auto",
        choices=("auto", "cpu", "gpu"),
        help="auto uses an OpenCL GPU when there is one",
    ),
    Option(
        "bump",
        Kind.CHOICE,
        default="auto",
        choices=("auto", "patch", "minor", "major"),
        help="version bump; auto: minor when the holdout metric improves, else patch",
    ),
    Option(
        "seed",
        Kind.INT,
        default=42,
        minimum=0,
        help="random seed (same data + seed = identical model)",
    ),
    Option(
        "num-boost-round",
        Kind.INT,
        default=1000,
        minimum=1,
        maximum=100000,
        help="most boosting rounds (early stopping picks the best)",
    ),
    Option(
        "learning-rate",
        Kind.FLOAT,
        minimum=1e-6,
        maximum=1,
        help="overrides [tool.oasis] learning_rate",
    ),
    Option(
        "num-leaves", Kind.INT, minimum=2, maximum=131072, help="overrides [tool.oasis] num_leaves"
    ),
    MODELS,
    TAG_PREFIX,
    Option(
        "engine",
        Kind.CHOICE,
        default="local",
        choices=("local", "dask"),
        help="local: this machine; dask: an existing Dask cluster (needs --scheduler)",
    ),
    Option("scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786"),
    Option("plots", Kind.BOOL, default=True, help="save importance and ROC/residual plots (PNG)"),
    Option(
        "pickle",
        Kind.BOOL,
        default=False,
        help="also write model.pkl with joblib (checksummed; the native text stays the source)",
    ),
    Option(
        "json",
        Kind.BOOL,
        default=False,
        cli_only=True,
        help="print the new version's metadata as JSON",
    ),
)


@dataclass(frozen=True)
class TrainConfig:
    data: str
    target: str
    features: tuple[str, ...]
    task: str
    device: str
    bump: str
    seed: int
    num_boost_round: int
    learning_rate: float | None
    num_leaves: int | None
    models: str
    tag_prefix: str
    engine: str
    scheduler: str | None
    plots: bool
    pickle: bool
    json: bool


def _overrides(config: TrainConfig, workspace: Path) -> dict[str, Any]:
    from oasis_action.ml.settings import tool_settings

    params = tool_settings(workspace)
    if config.learning_rate is not None:
        params["learning_rate"] = config.learning_rate
    if config.num_leaves is not None:
        params["num_leaves"] = config.num_leaves
    return params


def extras(config: TrainConfig, model: TabularModel) -> dict[str, bytes]:
    """Files beside the model: plots, and the optional joblib pickle."""
    files: dict[str, bytes] = {}
    if config.plots:
        from oasis_action.ml import plots

        schema = model.schema_
        files["importance.png"] = plots.importance(model.booster_, schema.model_to_column())
        truth, raw = model.holdout_
        name, png = plots.holdout_plot(schema.task, truth, raw, list(schema.classes))
        files[name] = png
    if config.pickle:
        import io

        import joblib

        buffer = io.BytesIO()
        joblib.dump(model.booster_, buffer)
        files["model.pkl"] = buffer.getvalue()
    return files


def fit(config: TrainConfig, ctx: Context, path: Path) -> TabularModel:
    """Train on this machine (with a progress bar in a terminal) or on a Dask cluster."""
    if config.engine == "dask":
        from oasis_action.ml.distributed import train_on_dask

        if not config.scheduler:
            raise InputError("--engine dask needs --scheduler ADDRESS")
        ctx.reporter.progress(f"training on the Dask cluster at {config.scheduler}")
        model = train_on_dask(path, config, _overrides(config, ctx.workspace))
        for note in model.schema_.notes:
            ctx.reporter.progress(note)
        return model
    return fit_locally(config, ctx, path)


def fit_locally(config: TrainConfig, ctx: Context, path: Path) -> TabularModel:
    from oasis_action.ml import training
    from oasis_action.ml.inference import learn_schema
    from oasis_action.ml.model import TabularModel
    from oasis_action.ml.schema import read_training_csv

    frame = read_training_csv(path)
    schema, typed = learn_schema(frame, config.target, config.features, config.task)
    for note in schema.notes:
        ctx.reporter.progress(note)
    device, why = training.choose_device(config.device)
    ctx.reporter.progress(
        f"training a {schema.task} model on {int(typed[schema.target].notna().sum())} rows x "
        f"{len(schema.model_names)} features ({device}: {why})"
    )
    bar = (
        ctx.reporter.progress_bar(config.num_boost_round, "round")
        if ctx.reporter.interactive
        else None
    )

    def progress(iteration: int, total: int) -> None:
        if bar is not None:
            bar.update(1)
        elif iteration % 100 == 0:
            ctx.reporter.progress(f"  round {iteration} of at most {total}")

    model = TabularModel(
        config.target,
        schema.task,
        config.features,
        config.seed,
        device,
        config.num_boost_round,
        params=_overrides(config, ctx.workspace),
    ).fit(typed, schema=schema, progress=progress)
    if bar is not None:
        bar.close()
    return model


@dataclass(frozen=True)
class StoredVersion:
    """The version a training stored, and what the outputs and summary say about it."""

    version: Any
    level: str
    primary: str
    metrics: dict[str, float]
    folder: Path
    metadata: dict[str, Any]


def _current_metadata(store: Any) -> dict[str, Any] | None:
    from oasis_action.ml.store import StoreError

    try:
        return store.load().metadata if store.current_version() is not None else None
    except StoreError:
        return None


def choose_level(
    config: TrainConfig, ctx: Context, model: TabularModel, store: Any
) -> tuple[str, list[str], Any]:
    """(level, why, at least): `--bump LEVEL` as given. `auto`: the model's change is a level
    above the highest stored version; the commits since the last model release ask for a
    version at least that release bumped at their level (several `feat`s before a release
    make one minor bump, not one each)."""
    if config.bump != "auto":
        return config.bump, [f"--bump {config.bump}"], None
    from oasis_action.ml import training
    from oasis_action.release import changelog, versioning

    primary = training.PRIMARY_METRIC[model.schema_.task]
    new = {**model.manifest().to_json()}
    level, why = versioning.model_level(
        new, _current_metadata(store), primary, training.HIGHER_IS_BETTER[primary]
    )
    reasons = [why]
    try:
        changelog.require_repository(ctx.workspace)
    except InputError:
        return level, [*reasons, "commits: not a git repository (the model alone decides)"], None
    tagged = changelog.tags(ctx.workspace, config.tag_prefix, "HEAD")
    released, since = tagged[-1] if tagged else (None, None)
    messages = changelog.messages_since(ctx.workspace, since)
    commits, said = versioning.commit_level(messages, released, since)
    floor = versioning.bump_to(released, commits)
    return level, [*reasons, said], floor


def train_and_store(config: TrainConfig, ctx: Context) -> StoredVersion:
    """Train, pick the bump, save the next version in the store and record the event."""
    from oasis_action.ml import data as mldata
    from oasis_action.ml import training
    from oasis_action.ml.store import ModelStore, utc_now

    path = mldata.resolve_data_path(config.data, ctx.workspace)
    started = time.monotonic()
    model = fit(config, ctx, path)
    store = ModelStore(ctx.runner.writable(config.models, "models"), owner_of=ctx.workspace)
    primary = training.PRIMARY_METRIC[model.schema_.task]
    level, why, at_least = choose_level(config, ctx, model, store)
    for line in why:
        ctx.reporter.progress(f"version: {line}")
    manifest = model.manifest(
        timestamp=utc_now(),
        engine=config.engine,
        data={"path": config.data, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()},
        libraries=training.library_versions(),
        bump=level,
        bump_why=why,
    )
    version, folder = store.save_next(
        model.model_text(), manifest.to_json(), level, "train", extras(config, model), at_least
    )
    events.record(
        ctx.events_store,
        "train",
        version=str(version),
        duration=round(time.monotonic() - started, 3),
        metrics=model.metrics_,
    )
    return StoredVersion(
        version, level, primary, model.metrics_, folder, store.load(version).metadata
    )


def trained_outcome(stored: StoredVersion, ctx: Context) -> Outcome:
    """Outputs and summary of a stored training (train-and-release starts from it)."""
    from oasis_action.markdown import table

    plots = "".join(
        f"\n\nPlot: `{stored.folder.name}/{name}`"
        for name in sorted(stored.metadata.get("files", {}))
        if name.endswith(".png")
    )
    rows = [(name, f"{value:.4f}") for name, value in stored.metrics.items()]
    model = stored.folder / "model.txt"
    shown = model.relative_to(ctx.workspace) if model.is_relative_to(ctx.workspace) else model
    best = stored.metrics[stored.primary]
    return Outcome(
        action_taken="trained",
        reason=f"trained model {stored.version} ({stored.primary}={best:.4f}, {stored.level} bump)",
        outputs={
            "version": str(stored.version),
            "metrics": stored.metrics,
            "model-path": str(shown),
        },
        summary=[
            f"## OASIS train: model {stored.version}\n\n{table(('metric', 'value'), rows)}{plots}"
        ],
    )
