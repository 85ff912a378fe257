"""Probability calibration: from a model's raw log-odds to a probability of default one can trust.

A boosted model's raw output ranks well but its probabilities drift (shrinkage, the average with
the scorecard), and routing thresholds are probabilities, so the map from raw log-odds to a
probability of default is fitted separately, on predictions for rows the model did not train on
(out-of-fold). Two methods: Platt scaling (a logistic curve, two numbers, smooth and hard to
overfit) and isotonic regression (a monotone step curve, stored as its knots and interpolated).

The calibrator is plain numbers, stored as JSON with the model; probabilities are kept inside
[PD_FLOOR, 1 - PD_FLOOR], since a score cannot stand for a certainty.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

import numpy as np
from attrs import frozen
from numpy.typing import NDArray
from sklearn.isotonic import IsotonicRegression  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

PD_FLOOR = 1e-6
_PD_CEILING = 1.0 - PD_FLOOR


class CalibrationMethod(StrEnum):
    PLATT = "platt"
    ISOTONIC = "isotonic"


@frozen
class Calibrator:
    """PD = interpolated knots (isotonic) or sigmoid(slope * margin + intercept) (Platt)."""

    method: CalibrationMethod
    slope: float = 1.0
    intercept: float = 0.0
    knots_x: tuple[float, ...] = ()
    knots_y: tuple[float, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(self.knots_x) != len(self.knots_y):
            raise ValueError("isotonic knots need as many x as y values")
        if self.method is CalibrationMethod.ISOTONIC and not self.knots_x:
            raise ValueError("an isotonic calibrator needs its knots")

    def probability(self, margins: NDArray[np.float64]) -> NDArray[np.float64]:
        """Calibrated probability of default for raw log-odds of default."""
        if self.method is CalibrationMethod.ISOTONIC:
            raw = np.interp(margins, self.knots_x, self.knots_y)
        else:
            raw = 1.0 / (1.0 + np.exp(-(self.slope * margins + self.intercept)))
        result: NDArray[np.float64] = np.clip(raw, PD_FLOOR, _PD_CEILING)
        return result

    def probability_of(self, margin: float) -> float:
        """`probability` of a single margin, as a Python float: the very same number.

        For one application a numpy call per step costs far more than the step, so the
        arithmetic is plain Python: products, sums and quotients of floats are the same IEEE
        double operations in Python as in numpy, and the clip is the same comparisons. The two
        steps that are not plain arithmetic stay numpy's own, on the one value: `np.exp`
        (numpy's exponential is not the C library's `math.exp`, which differs from it in the
        last bit for a few values in a hundred) and `np.interp`. A Hypothesis test holds the
        two paths equal, so a score does not depend on whether its form came alone or in a batch.
        """
        if self.method is CalibrationMethod.ISOTONIC:
            raw = float(np.interp(margin, *self._knots))
        else:
            raw = 1.0 / (1.0 + float(np.exp(-(self.slope * margin + self.intercept))))
        # np.clip(raw, PD_FLOOR, _PD_CEILING), NaN included
        return PD_FLOOR if raw < PD_FLOOR else _PD_CEILING if raw > _PD_CEILING else raw

    @cached_property
    def _knots(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The isotonic knots as arrays, as `np.interp` reads the tuples, converted once."""
        return np.asarray(self.knots_x, dtype=np.float64), np.asarray(
            self.knots_y, dtype=np.float64
        )


IDENTITY = Calibrator(CalibrationMethod.PLATT)


def fit_calibrator(
    margins: NDArray[np.float64],
    defaulted: NDArray[np.bool_],
    method: CalibrationMethod = CalibrationMethod.PLATT,
) -> Calibrator:
    """Fit on out-of-fold raw log-odds and their outcomes."""
    if margins.shape != defaulted.shape or margins.ndim != 1 or len(margins) < 2:
        raise ValueError("need one outcome per margin, at least two of them")
    outcomes = defaulted.astype(np.int64)
    if method is CalibrationMethod.ISOTONIC:
        isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        isotonic.fit(margins, outcomes)
        return Calibrator(
            method,
            knots_x=tuple(float(x) for x in isotonic.X_thresholds_),
            knots_y=tuple(float(y) for y in isotonic.y_thresholds_),
        )
    # Almost no regularisation: two parameters on thousands of rows need none.
    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit(margins.reshape(-1, 1), outcomes)
    return Calibrator(method, slope=float(platt.coef_[0, 0]), intercept=float(platt.intercept_[0]))
