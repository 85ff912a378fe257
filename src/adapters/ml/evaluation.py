"""How good a model's probabilities of default are: ranking, calibration, and the routing cut-offs.

- AUC and Gini (2 * AUC - 1): how well the model ranks bads above goods.
- KS: the largest gap between the cumulative score distributions of bads and goods.
- Brier score: the mean squared error of the probabilities (calibration and sharpness together).
- Precision, recall and F1 at given probability-of-default thresholds (a case is flagged when its
  PD is at or above the threshold): what the routing cut-offs would catch and at what cost.
- A calibration table: predicted versus observed default rate in bins of predicted PD.

Every figure is computed on predictions for rows the model never trained on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from attrs import frozen
from numpy.typing import NDArray
from sklearn.metrics import roc_auc_score, roc_curve  # type: ignore[import-untyped]

from domain.credit.defaults import DEFAULT_ROUTING_POLICY, DEFAULT_SCALE
from domain.credit.routing import RoutingPolicy
from domain.credit.scorecard import ScoreScale


def routing_thresholds(
    policy: RoutingPolicy = DEFAULT_ROUTING_POLICY, scale: ScoreScale = DEFAULT_SCALE
) -> tuple[float, ...]:
    """The PDs at the policy's auto-approve and auto-decline scores, lowest first."""
    return tuple(
        sorted(
            (
                scale.pd_from_score(policy.auto_approve_min),
                scale.pd_from_score(policy.auto_decline_max),
            )
        )
    )


@frozen
class ThresholdMetrics:
    threshold: float
    flagged_share: float
    precision: float
    recall: float
    f1: float


@frozen
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@frozen
class Metrics:
    count: int
    default_rate: float
    auc: float
    gini: float
    ks: float
    brier: float
    thresholds: tuple[ThresholdMetrics, ...]
    calibration: tuple[CalibrationBin, ...]


def auc(defaulted: NDArray[np.bool_], scores: NDArray[np.float64]) -> float:
    """Area under the ROC curve, higher scores meaning more likely to default."""
    return float(roc_auc_score(defaulted.astype(np.int64), scores))


def ks_statistic(defaulted: NDArray[np.bool_], scores: NDArray[np.float64]) -> float:
    false_positive, true_positive, _ = roc_curve(defaulted.astype(np.int64), scores)
    return float(np.max(true_positive - false_positive))


def at_threshold(
    defaulted: NDArray[np.bool_], pd: NDArray[np.float64], threshold: float
) -> ThresholdMetrics:
    flagged = pd >= threshold
    hits = float(np.sum(flagged & defaulted))
    precision = hits / float(flagged.sum()) if flagged.any() else 0.0
    recall = hits / float(defaulted.sum()) if defaulted.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return ThresholdMetrics(threshold, float(flagged.mean()), precision, recall, f1)


def calibration_table(
    defaulted: NDArray[np.bool_], pd: NDArray[np.float64], bins: int = 10
) -> tuple[CalibrationBin, ...]:
    """Bins at quantiles of the predicted PD (ties may merge bins); empty bins are left out."""
    edges = np.unique(np.quantile(pd, np.linspace(0.0, 1.0, bins + 1)))
    if len(edges) < 2:
        edges = np.array([pd.min(), pd.max()])
    index = np.clip(np.searchsorted(edges, pd, side="right") - 1, 0, len(edges) - 2)
    table = []
    for b in range(len(edges) - 1):
        member = index == b
        if member.any():
            table.append(
                CalibrationBin(
                    lower=float(edges[b]),
                    upper=float(edges[b + 1]),
                    count=int(member.sum()),
                    mean_predicted=float(pd[member].mean()),
                    observed_rate=float(defaulted[member].mean()),
                )
            )
    return tuple(table)


def evaluate(
    defaulted: NDArray[np.bool_],
    pd: NDArray[np.float64],
    thresholds: Sequence[float] = routing_thresholds(),
    *,
    calibration_bins: int = 10,
) -> Metrics:
    """Every metric for predicted probabilities of default `pd` against outcomes."""
    if defaulted.shape != pd.shape or pd.ndim != 1:
        raise ValueError("need one outcome per prediction")
    if defaulted.all() or not defaulted.any():
        raise ValueError("need both outcomes among the rows to evaluate")
    area = auc(defaulted, pd)
    return Metrics(
        count=len(pd),
        default_rate=float(defaulted.mean()),
        auc=area,
        gini=2.0 * area - 1.0,
        ks=ks_statistic(defaulted, pd),
        brier=float(np.mean((pd - defaulted.astype(np.float64)) ** 2)),
        thresholds=tuple(at_threshold(defaulted, pd, t) for t in thresholds),
        calibration=calibration_table(defaulted, pd, calibration_bins),
    )
