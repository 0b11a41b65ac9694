"""Project settings for training: `[tool.oasis]` in the workspace's pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from oasis_action.errors import InputError

NON_PARAMS = frozenset({"data", "target", "models"})
TRAINING_PARAMS = frozenset(
    {
        "learning_rate",
        "num_leaves",
        "max_depth",
        "min_data_in_leaf",
        "min_child_samples",
        "min_sum_hessian_in_leaf",
        "min_child_weight",
        "min_gain_to_split",
        "min_split_gain",
        "feature_fraction",
        "colsample_bytree",
        "feature_fraction_bynode",
        "bagging_fraction",
        "subsample",
        "bagging_freq",
        "subsample_freq",
        "lambda_l1",
        "reg_alpha",
        "lambda_l2",
        "reg_lambda",
        "max_bin",
        "min_data_in_bin",
        "extra_trees",
        "path_smooth",
        "max_cat_to_onehot",
        "cat_smooth",
        "cat_l2",
        "max_cat_threshold",
        "is_unbalance",
        "scale_pos_weight",
        "boosting",
        "boosting_type",
        "metric",
        "seed",
        "deterministic",
        "num_threads",
        "force_col_wise",
        "force_row_wise",
        "linear_tree",
        "max_delta_step",
        "monotone_constraints",
        "monotone_constraints_method",
        "verbosity",
        "early_stopping_round",
        "first_metric_only",
        "top_rate",
        "other_rate",
        "drop_rate",
        "skip_drop",
        "max_drop",
    }
)
"""The LightGBM parameters a repository's `[tool.oasis]` may set: training knobs only. Network,
file and device parameters (`machines`, `output_model`, `gpu_platform_id`, ...) would let a
pull request open connections or write files from the trainer, so any other key is refused."""


def tool_settings(workspace: Path) -> dict[str, Any]:
    path = workspace / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"pyproject.toml is not valid TOML: {error}") from None
    settings = data.get("tool", {}).get("oasis", {})
    params = {
        key: value
        for key, value in settings.items()
        if key not in NON_PARAMS and not isinstance(value, dict)
    }
    refused = sorted(key for key in params if key not in TRAINING_PARAMS)
    if refused:
        raise InputError(
            f"[tool.oasis] sets {', '.join(refused)}: only LightGBM training parameters are allowed"
        )
    return params
