"""Metrics, calibration and the WOE scorecard, on numbers small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest

from adapters.ml.calibration import PD_FLOOR, CalibrationMethod, Calibrator, fit_calibrator
from adapters.ml.evaluation import at_threshold, evaluate, routing_thresholds
from adapters.ml.woe import WoeCharacteristic, WoeScorecard, fit_woe_scorecard
from domain.credit.defaults import DEFAULT_ROUTING_POLICY, DEFAULT_SCALE

BAD = np.array([True, False, True, False, False, True, False, False])
PD = np.array([0.9, 0.1, 0.6, 0.3, 0.2, 0.7, 0.65, 0.05])


def test_perfect_ranking_has_auc_gini_and_ks_of_one() -> None:
    metrics = evaluate(np.array([False, False, True, True]), np.array([0.1, 0.2, 0.8, 0.9]))
    assert (metrics.auc, metrics.gini, metrics.ks) == (1.0, 1.0, 1.0)
    assert metrics.brier == pytest.approx((0.01 + 0.04 + 0.04 + 0.01) / 4)


def test_metrics_match_a_hand_count() -> None:
    metrics = evaluate(BAD, PD, thresholds=(0.5,))
    # 15 bad/good pairs; only (bad 0.6, good 0.65) is ranked the wrong way round.
    assert metrics.auc == pytest.approx(14 / 15)
    assert metrics.gini == pytest.approx(2 * 14 / 15 - 1)
    (cut,) = metrics.thresholds
    # Flagged at PD >= 0.5: 0.9, 0.6, 0.7 (bad) and 0.65 (good).
    assert (cut.precision, cut.recall, cut.flagged_share) == (0.75, 1.0, 0.5)
    assert cut.f1 == pytest.approx(2 * 0.75 / 1.75)
    assert sum(b.count for b in metrics.calibration) == len(PD)
    assert metrics.default_rate == 3 / 8


def test_nothing_flagged_gives_zero_precision_not_an_error() -> None:
    assert at_threshold(BAD, PD, 0.99).precision == 0.0


def test_evaluation_needs_both_outcomes() -> None:
    with pytest.raises(ValueError, match="both outcomes"):
        evaluate(np.array([True, True]), np.array([0.1, 0.2]))


def test_the_routing_thresholds_are_the_policy_scores_as_probabilities() -> None:
    low, high = routing_thresholds()
    assert low == pytest.approx(
        DEFAULT_SCALE.pd_from_score(DEFAULT_ROUTING_POLICY.auto_approve_min)
    )
    assert high == pytest.approx(
        DEFAULT_SCALE.pd_from_score(DEFAULT_ROUTING_POLICY.auto_decline_max)
    )
    assert 0 < low < high < 1


def _logistic_sample(size: int, slope: float, intercept: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    margins = rng.normal(0.0, 1.5, size)
    truth = 1.0 / (1.0 + np.exp(-(slope * margins + intercept)))
    return margins, rng.random(size) < truth


def test_platt_scaling_recovers_a_known_curve() -> None:
    margins, bad = _logistic_sample(20_000, slope=0.5, intercept=-1.0)
    calibrator = fit_calibrator(margins, bad, CalibrationMethod.PLATT)
    assert calibrator.slope == pytest.approx(0.5, abs=0.05)
    assert calibrator.intercept == pytest.approx(-1.0, abs=0.05)


def test_isotonic_calibration_is_monotone_and_inside_the_bounds() -> None:
    margins, bad = _logistic_sample(5_000, slope=1.0, intercept=0.0)
    calibrator = fit_calibrator(margins, bad, CalibrationMethod.ISOTONIC)
    grid = np.linspace(-10, 10, 401)
    pd = calibrator.probability(grid)
    assert np.all(np.diff(pd) >= 0)
    assert pd.min() >= PD_FLOOR
    assert pd.max() <= 1 - PD_FLOOR
    assert calibrator.probability(np.array([0.0]))[0] == pytest.approx(0.5, abs=0.06)


def test_an_isotonic_calibrator_without_knots_is_refused() -> None:
    with pytest.raises(ValueError, match="knots"):
        Calibrator(CalibrationMethod.ISOTONIC)


def test_woe_contributions_and_base_add_up_to_the_margin() -> None:
    rng = np.random.default_rng(5)
    matrix = rng.normal(size=(800, 3))
    matrix[rng.random(matrix.shape) < 0.1] = np.nan
    risk = np.nan_to_num(matrix[:, 0]) - 0.5 * np.nan_to_num(matrix[:, 1])
    bad = rng.random(800) < 1 / (1 + np.exp(-risk))
    scorecard = fit_woe_scorecard(matrix, bad, ["a", "b", "noise"])
    contributions = scorecard.contributions(matrix)
    np.testing.assert_allclose(
        scorecard.base_value + contributions.sum(axis=1), scorecard.margin(matrix)
    )
    # Centred: on the training rows each contribution averages to zero.
    np.testing.assert_allclose(contributions.mean(axis=0), 0.0, atol=1e-9)
    # Positive WOE is riskier, so the informative features get positive coefficients.
    a, b, _noise = scorecard.characteristics
    assert a.coefficient > 0.3
    assert b.coefficient > 0.3
    assert len(a.splits) >= 2


def test_a_woe_characteristic_bins_half_open_and_missing_apart() -> None:
    characteristic = WoeCharacteristic("x", (1.0, 2.0), (-1.0, 0.0, 1.0), 5.0, 2.0, 0.0)
    values = np.array([0.5, 1.0, 1.99, 2.0, np.nan])
    np.testing.assert_array_equal(characteristic.woe_of(values), [-1.0, 0.0, 0.0, 1.0, 5.0])
    scorecard = WoeScorecard(0.25, (characteristic,))
    np.testing.assert_allclose(
        scorecard.margin(values.reshape(-1, 1)), [-1.75, 0.25, 0.25, 2.25, 10.25]
    )
