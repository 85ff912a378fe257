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

Scoring reads the scorecard through `TermTable`, built once per scorecard: every bin's centred
term (coefficient x WOE - mean) computed in advance, and the cut points as arrays (one
searchsorted per characteristic for a batch) and as lists (a plain-Python bisect for a single
application, where a numpy call per characteristic would cost more than the lookup itself).
The terms are computed with the same operations as per characteristic (`woe_of`), so the
numbers are identical, not merely close.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

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
        if any(math.isnan(s) for s in self.splits) or list(self.splits) != sorted(self.splits):
            raise ValueError(f"{self.feature}: cut points must be numbers in increasing order")

    def woe_of(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        bins = np.searchsorted(np.asarray(self.splits, dtype=np.float64), values, side="right")
        woe = np.asarray(self.woe, dtype=np.float64)[bins]
        return np.where(np.isnan(values), self.missing_woe, woe)

    def terms(self) -> list[float]:
        """The centred term of each bin, then of the missing bin (as `woe_of` is used)."""
        return [self.coefficient * w - self.mean_term for w in (*self.woe, self.missing_woe)]


#: Up to this many rows, the table is read row by row in plain Python (`TermTable.row`): for a
#: single application that is several times cheaper than a numpy call per characteristic.
ROWS_READ_ONE_BY_ONE = 16


class TermTable:
    """Each characteristic's cut points and bin terms, prepared once for scoring.

    A value's bin is the number of cut points at or below it (`searchsorted(..., "right")`,
    `bisect_right`: the same count on sorted cut points); a missing value goes to the missing
    bin, the last term. Each bin's term is computed once, with the same operations as
    `WoeCharacteristic.woe_of` followed by the coefficient and the mean, so both ways of reading
    the table return the very same floats as the plain per-characteristic computation.
    """

    __slots__ = ("_arrays", "_lists")

    def __init__(self, characteristics: Sequence[WoeCharacteristic]) -> None:
        self._lists = [(list(c.splits), c.terms()) for c in characteristics]
        self._arrays = [
            (np.asarray(splits, dtype=np.float64), np.asarray(terms, dtype=np.float64))
            for splits, terms in self._lists
        ]

    def row(self, values: Sequence[float]) -> list[float]:
        """One row's terms, in plain Python."""
        return [
            terms[-1] if math.isnan(value) else terms[bisect_right(splits, value)]
            for value, (splits, terms) in zip(values, self._lists, strict=True)
        ]

    def lookup(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """(rows, characteristics): the term of each value's bin."""
        rows = matrix.shape[0]
        if 0 < rows <= ROWS_READ_ONE_BY_ONE:
            read = [self.row(values) for values in matrix.tolist()]
            return np.asarray(read, dtype=np.float64).reshape(rows, len(self._lists))
        columns = []
        for j, (splits, terms) in enumerate(self._arrays):
            values = matrix[:, j]
            index = np.searchsorted(splits, values, side="right")
            index[np.isnan(values)] = len(terms) - 1
            columns.append(terms[index])
        return np.column_stack(columns) if columns else np.zeros((rows, 0))


@frozen
class WoeScorecard:
    """Intercept and one characteristic per model column, in the feature schema's order."""

    intercept: float
    characteristics: tuple[WoeCharacteristic, ...]

    @cached_property
    def base_value(self) -> float:
        return self.intercept + math.fsum(c.mean_term for c in self.characteristics)

    @cached_property
    def table(self) -> TermTable:
        """The characteristics prepared for scoring, once (see `TermTable`)."""
        return TermTable(self.characteristics)

    def contributions(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """(rows, features): each feature's centred term in the log-odds of default."""
        if matrix.ndim != 2 or matrix.shape[1] != len(self.characteristics):
            raise ValueError("the matrix does not have the scorecard's columns")
        return self.table.lookup(matrix)

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
    # Imported here, not at the top: only training bins, and optbinning pulls in cvxpy and a
    # solver stack that a serving process, which only reads the fitted numbers, does without.
    from optbinning import OptimalBinning  # type: ignore[import-untyped]  # noqa: PLC0415

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
    from sklearn.linear_model import (  # type: ignore[import-untyped]  # noqa: PLC0415
        LogisticRegression,  # training only, like optbinning above
    )

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
