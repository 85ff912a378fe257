"""Each feature's distribution in training, kept with the model for monitoring and factors.

A `FeatureProfile` (domain) stands for a training column by `POINTS` evenly spaced quantiles of
its present values, from the minimum to the maximum, and its missing rate. That is small enough
to travel inside the model document (a few kilobytes per feature, whatever the training size)
and close enough to the full column: the KS distance of a current sample to the quantiles
differs from its distance to the column by at most 1/(POINTS - 1), and the deciles PSI bins by
come out the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from domain.credit.model_monitoring import FeatureProfile

POINTS = 201


def feature_profiles(
    matrix: NDArray[np.float64], names: Sequence[str], *, points: int = POINTS
) -> tuple[FeatureProfile, ...]:
    """One profile per column of `matrix` (NaN = missing), in the order of `names`."""
    if matrix.ndim != 2 or matrix.shape[1] != len(names):
        raise ValueError(f"expected a matrix of {len(names)} columns")
    if points < 2:
        raise ValueError("a profile needs at least 2 points")
    rows = matrix.shape[0]
    levels = np.linspace(0.0, 1.0, points)
    profiles = []
    for j, name in enumerate(names):
        column = matrix[:, j]
        present = column[~np.isnan(column)]
        quantiles: tuple[float, ...] = ()
        if present.size:
            quantiles = tuple(float(q) for q in np.quantile(present, levels))
        missing = 1.0 - present.size / rows if rows else 0.0
        profiles.append(FeatureProfile(name, quantiles, missing))
    return tuple(profiles)
