"""The hyper-parameter search, run only on the rows a model may train on.

Given one training set (in cross-validation: the training folds of one outer split, never its
test fold), the search splits it again (inner stratified folds, or one held-out quarter when
`inner_folds` is 1), trains each candidate on the inner training part and judges it by AUC on the
inner validation part. Candidates are shallow trees (depth 2-3) at a low learning rate with a
number of trees read off one long fit (`iteration_range`), each alone or averaged in log-odds with
the WOE scorecard. The winner's inner out-of-fold log-odds are kept: the calibrator is fitted on
them, so calibration too never sees a row it will be judged on.

Every inner fit is recorded as a `TuningStep` naming the original rows it trained on and was
judged on, so a test can check that no test-fold row ever reached the search.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import xgboost as xgb
from attrs import evolve, field, frozen
from numpy.typing import NDArray
from sklearn.model_selection import (  # type: ignore[import-untyped]
    StratifiedKFold,
    StratifiedShuffleSplit,
)

from adapters.ml.evaluation import auc
from adapters.ml.model import XGBParams
from adapters.ml.woe import fit_woe_scorecard

HOLDOUT_SHARE = 0.25


@frozen
class SearchSpace:
    """The grid searched; parameters not listed stay as in `base`."""

    max_depths: tuple[int, ...] = (2, 3)
    learning_rates: tuple[float, ...] = (0.03, 0.06)
    tree_counts: tuple[int, ...] = (200, 400, 700)
    blend_weights: tuple[float, ...] = (1.0, 0.5)
    base: XGBParams = field(factory=XGBParams)

    def __attrs_post_init__(self) -> None:
        grids = (self.max_depths, self.learning_rates, self.tree_counts, self.blend_weights)
        if not all(grids):
            raise ValueError("every dimension of the search needs at least one value")
        if any(not 0.0 <= w <= 1.0 for w in self.blend_weights):
            raise ValueError("blend weights are shares of XGBoost, between 0 and 1")

    @property
    def needs_scorecard(self) -> bool:
        return any(w < 1.0 for w in self.blend_weights)


@frozen
class TuningStep:
    """One inner fit: the original row numbers it trained on and was validated on."""

    outer_fold: int | None
    inner_fold: int
    train_rows: tuple[int, ...]
    validation_rows: tuple[int, ...]


@frozen
class Candidate:
    params: XGBParams
    blend_weight: float
    validation_auc: float


@frozen(eq=False)  # arrays have no single truth value
class TuningResult:
    best: Candidate
    candidates: tuple[Candidate, ...]
    steps: tuple[TuningStep, ...]
    #: The winner's inner out-of-fold log-odds; NaN for rows never validated (holdout search).
    oof_margins: NDArray[np.float64]


def inner_splits(
    defaulted: NDArray[np.bool_], inner_folds: int, seed: int
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Positions (train, validation) within the training set, stratified by outcome."""
    positions = np.zeros(len(defaulted))
    if inner_folds >= 2:
        folds = StratifiedKFold(n_splits=inner_folds, shuffle=True, random_state=seed)
        return list(folds.split(positions, defaulted))
    holdout = StratifiedShuffleSplit(n_splits=1, test_size=HOLDOUT_SHARE, random_state=seed)
    return list(holdout.split(positions, defaulted))


def tune(
    matrix: NDArray[np.float64],
    defaulted: NDArray[np.bool_],
    row_ids: NDArray[np.intp],
    names: Sequence[str],
    space: SearchSpace,
    *,
    inner_folds: int,
    seed: int,
    outer_fold: int | None = None,
) -> TuningResult:
    """Search `space` on these rows only; `row_ids` are their numbers in the full data set."""
    grid = list(itertools.product(space.max_depths, space.learning_rates))
    trees = sorted(space.tree_counts)
    keys = [(d, lr, n, w) for d, lr in grid for n in trees for w in space.blend_weights]
    oof = {key: np.full(len(defaulted), np.nan) for key in keys}
    fold_aucs: dict[tuple[int, float, int, float], list[float]] = {key: [] for key in keys}
    steps = []
    for inner, (train, valid) in enumerate(inner_splits(defaulted, inner_folds, seed)):
        steps.append(
            TuningStep(
                outer_fold,
                inner,
                tuple(int(r) for r in row_ids[train]),
                tuple(int(r) for r in row_ids[valid]),
            )
        )
        x_train, y_train, x_valid = matrix[train], defaulted[train], matrix[valid]
        woe_margin = np.zeros(len(valid))
        if space.needs_scorecard:
            woe_margin = fit_woe_scorecard(x_train, y_train, names).margin(x_valid)
        d_train = xgb.DMatrix(x_train, label=y_train.astype(np.float64), missing=np.nan)
        d_valid = xgb.DMatrix(x_valid, missing=np.nan)
        for depth, rate in grid:
            params = evolve(space.base, max_depth=depth, learning_rate=rate, n_trees=trees[-1])
            booster = xgb.train(params.booster_params(seed), d_train, num_boost_round=trees[-1])
            for n in trees:
                xgb_margin = np.asarray(
                    booster.predict(d_valid, output_margin=True, iteration_range=(0, n)),
                    dtype=np.float64,
                )
                for weight in space.blend_weights:
                    margin = weight * xgb_margin + (1.0 - weight) * woe_margin
                    oof[(depth, rate, n, weight)][valid] = margin
                    fold_aucs[(depth, rate, n, weight)].append(auc(defaulted[valid], margin))
    candidates = tuple(
        Candidate(
            evolve(space.base, max_depth=d, learning_rate=lr, n_trees=n),
            w,
            float(np.mean(fold_aucs[(d, lr, n, w)])),
        )
        for d, lr, n, w in keys
    )
    # The first of equals wins: shallower, slower and fewer trees come first in the grid.
    best_index = max(range(len(keys)), key=lambda i: (candidates[i].validation_auc, -i))
    return TuningResult(candidates[best_index], candidates, tuple(steps), oof[keys[best_index]])
