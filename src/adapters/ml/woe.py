"""A weight-of-evidence logistic-regression scorecard, the traditional model beside XGBoost.

Each feature is cut into a few bins (optbinning's optimal binning: monotone in risk where the
data allows it); each bin's weight of evidence is log(share of bads / share of goods), so a
positive WOE is riskier; a logistic regression on the WOE values gives the log-odds of default.
optbinning only finds the cut points: the WOE values and coefficients are kept here as plain
numbers, so the fitted scorecard is JSON, scores without optbinning, and what is stored is exactly
what was evaluated.

The scorecard is additive in log-odds, so it explains itself exactly: a feature's contribution is
its term minus the term's training mean (what SHAP gives a linear model), and the base value is
the intercept plus those means. That also keeps an average with XGBoost in log-odds exactly
explainable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from attrs import frozen
from numpy.typing import NDArray
from optbinning import OptimalBinning  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

#: Pseudo-counts added to each bin, so an all-good or all-bad bin has a finite WOE.
WOE_SMOOTHING = 0.5


@frozen
class WoeCharacteristic:
    """One feature's bins: [-inf, s0), [s0, s1), ..., [sk, inf), plus a bin for missing."""

    feature: str
    splits: tuple[float, ...]
    woe: tuple[float, ...]
    missing_woe: float
    coefficient: float
    mean_term: float

    def __attrs_post_init__(self) -> None:
        if len(self.woe) != len(self.splits) + 1:
            raise ValueError(f"{self.feature}: needs one WOE value per bin")

    def woe_of(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        bins = np.searchsorted(np.asarray(self.splits, dtype=np.float64), values, side="right")
        woe = np.asarray(self.woe, dtype=np.float64)[bins]
        return np.where(np.isnan(values), self.missing_woe, woe)


@frozen
class WoeScorecard:
    """Intercept and one characteristic per model column, in the feature schema's order."""

    intercept: float
    characteristics: tuple[WoeCharacteristic, ...]

    @property
    def base_value(self) -> float:
        return self.intercept + math.fsum(c.mean_term for c in self.characteristics)

    def contributions(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """(rows, features): each feature's centred term in the log-odds of default."""
        if matrix.shape[1] != len(self.characteristics):
            raise ValueError("the matrix does not have the scorecard's columns")
        columns = [
            c.coefficient * c.woe_of(matrix[:, j]) - c.mean_term
            for j, c in enumerate(self.characteristics)
        ]
        return np.column_stack(columns) if columns else np.zeros((matrix.shape[0], 0))

    def margin(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """Log-odds of default per row."""
        result: NDArray[np.float64] = self.base_value + self.contributions(matrix).sum(axis=1)
        return result


def _bin_woe(
    values: NDArray[np.float64], bad: NDArray[np.bool_], splits: NDArray[np.float64]
) -> tuple[tuple[float, ...], float]:
    missing = np.isnan(values)
    bins = np.searchsorted(splits, values[~missing], side="right")
    count = len(splits) + 1
    bads = np.bincount(bins, weights=bad[~missing].astype(np.float64), minlength=count)
    totals = np.bincount(bins, minlength=count).astype(np.float64)
    total_bad = float(bad.sum()) + WOE_SMOOTHING * (count + 1)
    total_good = float((~bad).sum()) + WOE_SMOOTHING * (count + 1)

    def woe(n_bad: float, n_all: float) -> float:
        share_bad = (n_bad + WOE_SMOOTHING) / total_bad
        share_good = (n_all - n_bad + WOE_SMOOTHING) / total_good
        return math.log(share_bad / share_good)

    per_bin = tuple(woe(float(b), float(t)) for b, t in zip(bads, totals, strict=True))
    missing_woe = woe(float(bad[missing].sum()), float(missing.sum())) if missing.any() else 0.0
    return per_bin, missing_woe


def _optimal_splits(
    name: str,
    values: NDArray[np.float64],
    defaulted: NDArray[np.bool_],
    max_bins: int,
    min_bin_share: float,
) -> NDArray[np.float64]:
    """optbinning's cut points for one column (missing values get their own bin)."""
    present = values[~np.isnan(values)]
    if present.size == 0 or present.min() == present.max():
        return np.empty(0, dtype=np.float64)  # nothing to cut
    binning = OptimalBinning(
        name=name,
        dtype="numerical",
        monotonic_trend="auto_asc_desc",
        max_n_prebins=10,
        max_n_bins=max_bins,
        min_bin_size=min_bin_share,
    )
    binning.fit(values, defaulted.astype(np.int64))
    splits = binning.splits
    return np.asarray(splits if splits is not None else [], dtype=np.float64)


def fit_woe_scorecard(
    matrix: NDArray[np.float64],
    defaulted: NDArray[np.bool_],
    names: Sequence[str],
    *,
    max_bins: int = 6,
    min_bin_share: float = 0.05,
    regularisation: float = 1.0,
) -> WoeScorecard:
    """Bin every column (optbinning's OptimalBinning), compute WOE, fit a logistic regression.

    Columns are binned one by one rather than through optbinning's BinningProcess, which adds
    a variable-selection analysis (about half its time) that the scorecard does not use.

    `regularisation` is scikit-learn's C (smaller is stronger L2 shrinkage).
    """
    if matrix.shape != (len(defaulted), len(names)):
        raise ValueError("the matrix needs one row per outcome and one column per name")
    binned: list[tuple[tuple[float, ...], tuple[float, ...], float]] = []
    woe_columns = []
    for j, name in enumerate(names):
        splits = _optimal_splits(name, matrix[:, j], defaulted, max_bins, min_bin_share)
        per_bin, missing_woe = _bin_woe(matrix[:, j], defaulted, splits)
        binned.append((tuple(float(s) for s in splits), per_bin, missing_woe))
        column = np.asarray(per_bin, dtype=np.float64)[
            np.searchsorted(splits, matrix[:, j], side="right")
        ]
        woe_columns.append(np.where(np.isnan(matrix[:, j]), missing_woe, column))
    woe_matrix = np.column_stack(woe_columns)
    regression = LogisticRegression(C=regularisation, max_iter=2000)
    regression.fit(woe_matrix, defaulted.astype(np.int64))
    coefficients = [float(c) for c in regression.coef_[0]]
    characteristics = tuple(
        WoeCharacteristic(
            feature=name,
            splits=splits,
            woe=per_bin,
            missing_woe=missing_woe,
            coefficient=coefficient,
            mean_term=float(coefficient * woe_matrix[:, j].mean()),
        )
        for j, (name, (splits, per_bin, missing_woe), coefficient) in enumerate(
            zip(names, binned, coefficients, strict=True)
        )
    )
    return WoeScorecard(float(regression.intercept_[0]), characteristics)
