"""Drift of a feature between a reference population and a current one, as pure functions.

A model is only as good as the resemblance between the applicants it learnt from and the ones it
scores today. The Population Stability Index (PSI) measures how far the share of applicants in each
bin has moved; the two-sample Kolmogorov-Smirnov statistic (KS) measures the largest gap between the
two empirical distribution functions without binning at all. The callers (a scheduled job, an
endpoint) load the samples; this module only does the arithmetic, so a figure on a dashboard can be
recomputed by hand from the same numbers.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from enum import StrEnum
from itertools import pairwise

from attrs import frozen


def _proportions(values: Sequence[float], name: str) -> list[float]:
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError(f"{name} must hold finite, non-negative counts or proportions")
    total = math.fsum(values)
    if total <= 0:
        raise ValueError(f"{name} must not sum to zero")
    return [v / total for v in values]


def population_stability_index(
    expected: Sequence[float], actual: Sequence[float], *, epsilon: float = 1e-4
) -> float:
    """PSI = sum over bins of (a - e) * ln(a / e), with a and e the shares of each population.

    Either argument may be raw counts or proportions: each is normalised to proportions first.
    An empty bin would make the logarithm undefined, so a share below `epsilon` is floored at
    `epsilon` (and the shares are not renormalised afterwards). That is the usual industry policy:
    it keeps every term non-negative, gives a bin empty in both populations a term of exactly zero,
    and makes a bin that empties or fills up count heavily but finitely.
    """
    if len(expected) != len(actual):
        raise ValueError(f"PSI needs equally many bins, got {len(expected)} and {len(actual)}")
    if not expected:
        raise ValueError("PSI needs at least one bin")
    if not 0 < epsilon < 1:
        raise ValueError("epsilon must lie strictly between 0 and 1")
    psi = 0.0
    for e, a in zip(
        _proportions(expected, "expected"), _proportions(actual, "actual"), strict=True
    ):
        e_floored, a_floored = max(e, epsilon), max(a, epsilon)
        psi += (a_floored - e_floored) * math.log(a_floored / e_floored)
    return psi


def _finite_sorted(sample: Sequence[float], name: str) -> list[float]:
    if any(not math.isfinite(x) for x in sample):
        raise ValueError(f"{name} must hold finite numbers only")
    return sorted(sample)


def quantile_bin_edges(reference: Sequence[float], bins: int = 10) -> tuple[float, ...]:
    """The interior edges that cut `reference` into `bins` equally populated bins.

    Quantiles are linearly interpolated between order statistics (the definition numpy and
    `statistics.quantiles(method="inclusive")` use). Ties make several quantiles equal, and an edge
    at the reference minimum would leave the first bin empty by construction, so duplicate edges
    and edges at the minimum are dropped: a feature with a few distinct values gets fewer bins,
    never empty ones in the reference.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    ordered = _finite_sorted(reference, "reference")
    if not ordered:
        raise ValueError("the reference sample is empty")
    last = len(ordered) - 1
    edges: set[float] = set()
    for k in range(1, bins):
        low, remainder = divmod(last * k, bins)
        fraction = remainder / bins
        below, above = ordered[low], ordered[min(low + 1, last)]
        # A convex combination cannot overflow; the clamp undoes rounding past either end.
        edge = min(max(below * (1 - fraction) + above * fraction, below), above)
        if edge > ordered[0]:
            edges.add(edge)
    return tuple(sorted(edges))


def bin_counts(sample: Sequence[float], edges: Sequence[float]) -> tuple[int, ...]:
    """How many values of `sample` fall in each of the len(edges) + 1 right-open bins.

    Bin 0 is (-inf, edges[0]), bin i is [edges[i-1], edges[i]), the last is [edges[-1], inf): a
    value equal to an edge belongs to the bin that starts there.
    """
    if any(not math.isfinite(x) for x in edges) or any(a >= b for a, b in pairwise(edges)):
        raise ValueError("edges must be finite and strictly increasing")
    if any(not math.isfinite(x) for x in sample):
        raise ValueError("sample must hold finite numbers only")
    counts = [0] * (len(edges) + 1)
    for x in sample:
        counts[bisect_right(edges, x)] += 1
    return tuple(counts)


def psi_from_samples(
    reference: Sequence[float], current: Sequence[float], *, bins: int = 10
) -> float:
    """PSI of `current` against `reference`, binned by the reference quantiles."""
    if not current:
        raise ValueError("the current sample is empty")
    edges = quantile_bin_edges(reference, bins)
    return population_stability_index(bin_counts(reference, edges), bin_counts(current, edges))


def ks_statistic(sample_a: Sequence[float], sample_b: Sequence[float]) -> float:
    """Two-sample Kolmogorov-Smirnov D = sup over x of |F_a(x) - F_b(x)|, computed exactly.

    Both samples are sorted and walked together. The empirical distribution functions only
    change at sample values, and a value repeated (within or across samples) must be consumed
    entirely before the gap is read, or ties would report a gap that no x actually has.
    O(n log n) for the sorts, linear afterwards.
    """
    a = _finite_sorted(sample_a, "sample_a")
    b = _finite_sorted(sample_b, "sample_b")
    if not a or not b:
        raise ValueError("the KS statistic needs two non-empty samples")
    n, m = len(a), len(b)
    i = j = 0
    gap = 0.0
    while i < n and j < m:
        x = min(a[i], b[j])
        while i < n and a[i] == x:
            i += 1
        while j < m and b[j] == x:
            j += 1
        gap = max(gap, abs(i / n - j / m))
    # Once one sample is exhausted its F is 1 and the other's only climbs towards 1: the gap
    # can only shrink, so the maximum has been seen.
    return gap


@frozen
class DriftThresholds:
    """PSI levels at which a feature deserves a look (`watch`) and action (`act`).

    The defaults are the common rule of thumb: below 0.1 stable, 0.1 to 0.25 a moderate shift,
    above 0.25 a shift large enough to retrain or recalibrate.
    """

    watch: float = 0.1
    act: float = 0.25

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.watch < self.act:
            raise ValueError("thresholds need 0 <= watch < act")


DEFAULT_DRIFT_THRESHOLDS = DriftThresholds()


class DriftLevel(StrEnum):
    STABLE = "stable"
    WATCH = "watch"
    ACT = "act"


def classify_psi(psi: float, thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS) -> DriftLevel:
    """The drift level of a PSI; a value exactly at a threshold belongs to the higher level."""
    if math.isnan(psi) or psi < 0:
        raise ValueError("a PSI is a non-negative number")
    if psi >= thresholds.act:
        return DriftLevel.ACT
    if psi >= thresholds.watch:
        return DriftLevel.WATCH
    return DriftLevel.STABLE


@frozen
class FeatureDrift:
    """One feature's drift report; the level follows the PSI, the KS is shown beside it."""

    feature: str
    psi: float
    ks: float
    level: DriftLevel


def feature_drift(
    feature: str,
    reference: Sequence[float],
    current: Sequence[float],
    thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
    bins: int = 10,
) -> FeatureDrift:
    """PSI, KS and drift level of one feature's current values against its reference values."""
    psi = psi_from_samples(reference, current, bins=bins)
    return FeatureDrift(
        feature=feature,
        psi=psi,
        ks=ks_statistic(reference, current),
        level=classify_psi(psi, thresholds),
    )
