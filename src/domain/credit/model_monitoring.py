"""Watching a model in service: drift of its inputs and the quality of the data it now reads.

A model keeps, from training, a profile of every feature it reads (`FeatureProfile`: the
distribution of present values as quantiles, and how often the value was missing). Monitoring
compares recent applications with those profiles:

- **drift**: PSI and KS per feature (`monitoring.feature_drift`), levelled watch or act by the
  thresholds (0.1 and 0.25 by default);
- **data quality**: per feature the missing rate against training's and the share of values
  outside the range training saw, and over the window the applications whose form repeats an
  earlier one (a resubmission loop or a client bug, either of which skews every other figure).

The result is a `MonitoringReport`, stored for the dashboard; its `level` is the worst feature's,
and anything but stable raises an alert. Pure arithmetic on numbers the caller gathered, so a
figure can be recomputed by hand.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import pairwise

from attrs import field, frozen

from domain.credit.monitoring import (
    DEFAULT_DRIFT_THRESHOLDS,
    DriftLevel,
    DriftThresholds,
    FeatureDrift,
    feature_drift,
)

#: Fewer present values than this in the window, and a feature's drift is not measured.
MIN_ROWS = 30
_LEVEL_ORDER = (DriftLevel.STABLE, DriftLevel.WATCH, DriftLevel.ACT)


def _check_quantiles(_instance: object, _attribute: object, quantiles: tuple[float, ...]) -> None:
    if any(not math.isfinite(q) for q in quantiles):
        raise ValueError("a profile's quantiles are finite numbers")
    if any(a > b for a, b in pairwise(quantiles)):
        raise ValueError("a profile's quantiles are in increasing order")


@frozen
class FeatureProfile:
    """One feature's values in training: present values as sorted quantiles, and missingness.

    `quantiles` stand for the training distribution (the first is its minimum, the last its
    maximum); empty when the feature was never present. `missing_rate` is the share of training
    rows without a value.
    """

    feature: str
    quantiles: tuple[float, ...] = field(validator=_check_quantiles)
    missing_rate: float

    def __attrs_post_init__(self) -> None:
        if not 0.0 <= self.missing_rate <= 1.0:
            raise ValueError("a missing rate lies between 0 and 1")

    def percentile(self, value: float) -> float | None:
        """The share (0 to 100) of training values below `value`; None without a reference."""
        if not self.quantiles or not math.isfinite(value):
            return None
        return 100.0 * bisect_left(self.quantiles, value) / len(self.quantiles)

    def out_of_range(self, value: float) -> bool:
        """Outside what training saw; a missing value (NaN) is missing, not out of range."""
        if not self.quantiles or math.isnan(value):
            return False
        return not self.quantiles[0] <= value <= self.quantiles[-1]


@frozen
class FeatureQuality:
    """One feature's data quality in the window, beside its training missing rate."""

    feature: str
    missing_rate: float
    reference_missing_rate: float
    out_of_range_rate: float


@frozen
class DataQuality:
    rows: int
    duplicates: int
    features: tuple[FeatureQuality, ...]


@frozen
class MonitoringReport:
    """One monitoring run of one tenant's champion over a window of applications."""

    id: str
    tenant_id: str
    model_version: str
    created_at: datetime
    window_start: datetime
    window_end: datetime
    thresholds: DriftThresholds
    drift: tuple[FeatureDrift, ...]
    unmeasured: tuple[str, ...]
    quality: DataQuality

    @property
    def level(self) -> DriftLevel:
        """The worst feature's level; stable when nothing could be measured."""
        return max((d.level for d in self.drift), key=_LEVEL_ORDER.index, default=DriftLevel.STABLE)

    @property
    def alerts(self) -> tuple[FeatureDrift, ...]:
        """The features at watch or act, worst PSI first."""
        flagged = [d for d in self.drift if d.level is not DriftLevel.STABLE]
        return tuple(sorted(flagged, key=lambda d: (-d.psi, d.feature)))


@frozen
class Findings:
    drift: tuple[FeatureDrift, ...]
    unmeasured: tuple[str, ...]
    quality: DataQuality


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def examine(
    profiles: Sequence[FeatureProfile],
    current: Mapping[str, Sequence[float]],
    fingerprints: Sequence[str],
    *,
    thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
    min_rows: int = MIN_ROWS,
) -> Findings:
    """Drift and data quality of the window's values (`current`, NaN = missing) per profile.

    Every feature in `profiles` must have a column in `current`, all of len(fingerprints) rows.
    A feature with fewer than `min_rows` present values in the window, or no training values,
    is listed as unmeasured rather than given a PSI on too little data.
    """
    rows = len(fingerprints)
    missing_columns = sorted(p.feature for p in profiles if p.feature not in current)
    if missing_columns:
        raise ValueError(f"no current values for {missing_columns}")
    uneven = sorted(p.feature for p in profiles if len(current[p.feature]) != rows)
    if uneven:
        raise ValueError(f"expected {rows} values per feature; not so for {uneven}")
    drift: list[FeatureDrift] = []
    unmeasured: list[str] = []
    quality: list[FeatureQuality] = []
    for profile in profiles:
        present = [v for v in current[profile.feature] if not math.isnan(v)]
        if any(math.isinf(v) for v in present):
            raise ValueError(f"{profile.feature}: values are finite numbers or NaN")
        quality.append(
            FeatureQuality(
                feature=profile.feature,
                missing_rate=_share(rows - len(present), rows),
                reference_missing_rate=profile.missing_rate,
                out_of_range_rate=_share(sum(map(profile.out_of_range, present)), len(present)),
            )
        )
        # No present value is too little data whatever `min_rows` says (even 0).
        if not present or len(present) < min_rows or not profile.quantiles:
            unmeasured.append(profile.feature)
            continue
        drift.append(feature_drift(profile.feature, profile.quantiles, present, thresholds))
    duplicates = sum(n - 1 for n in Counter(fingerprints).values())
    return Findings(
        drift=tuple(drift),
        unmeasured=tuple(unmeasured),
        quality=DataQuality(rows=rows, duplicates=duplicates, features=tuple(quality)),
    )
