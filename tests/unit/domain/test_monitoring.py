from __future__ import annotations

import math
import statistics
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.monitoring import (
    DriftLevel,
    DriftThresholds,
    FeatureDrift,
    bin_counts,
    classify_psi,
    feature_drift,
    ks_statistic,
    population_stability_index,
    psi_from_samples,
    quantile_bin_edges,
)

_weights = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
_finite = st.floats(allow_nan=False, allow_infinity=False)
# Small integers make ties (within and across samples) common, which is where KS goes wrong.
_values = st.one_of(st.integers(-3, 3).map(float), _finite)
_samples = st.lists(_values, min_size=1, max_size=40)
_small_samples = st.lists(_values, min_size=1, max_size=12)
_levels = list(DriftLevel)


def _distribution(size: int) -> st.SearchStrategy[list[float]]:
    return st.lists(_weights, min_size=size, max_size=size).filter(lambda ws: math.fsum(ws) > 0)


_distribution_pairs = st.integers(1, 12).flatmap(
    lambda n: st.tuples(_distribution(n), _distribution(n))
)


@st.composite
def _thresholds(draw: st.DrawFn) -> DriftThresholds:
    bounds = st.floats(min_value=0, max_value=10, allow_nan=False)
    watch, act = sorted(draw(st.lists(bounds, min_size=2, max_size=2, unique=True)))
    return DriftThresholds(watch=watch, act=act)


def _brute_force_ks(a: list[float], b: list[float]) -> float:
    def cdf(sample: list[float], x: float) -> float:
        return sum(v <= x for v in sample) / len(sample)

    return max(abs(cdf(a, x) - cdf(b, x)) for x in a + b)


# --- population stability index -------------------------------------------------------------


@given(_distribution(8))
def test_psi_of_a_distribution_with_itself_is_zero(weights: list[float]) -> None:
    assert population_stability_index(weights, weights) == 0


@given(_distribution_pairs)
def test_psi_is_never_negative(pair: tuple[list[float], list[float]]) -> None:
    expected, actual = pair
    assert population_stability_index(expected, actual) >= 0


@given(_distribution_pairs)
def test_psi_with_swapped_arguments_is_never_negative(
    pair: tuple[list[float], list[float]],
) -> None:
    expected, actual = pair
    assert population_stability_index(actual, expected) >= 0


@given(_distribution_pairs)
def test_psi_is_symmetric(pair: tuple[list[float], list[float]]) -> None:
    expected, actual = pair
    forward = population_stability_index(expected, actual)
    assert population_stability_index(actual, expected) == pytest.approx(forward, abs=1e-12)


def test_psi_of_a_hand_computed_shift() -> None:
    # (0.25 - 0.5) ln(0.5) + (0.75 - 0.5) ln(1.5) = 0.25 ln 3
    psi = population_stability_index([0.5, 0.5], [0.25, 0.75])
    assert psi == pytest.approx(0.25 * math.log(3))
    assert psi == pytest.approx(0.274653, abs=1e-6)


def test_psi_normalises_counts_to_proportions() -> None:
    assert population_stability_index([10, 10], [5, 15]) == pytest.approx(
        population_stability_index([0.5, 0.5], [0.25, 0.75])
    )


def test_psi_floors_an_empty_bin_at_epsilon() -> None:
    psi = population_stability_index([1, 0], [1, 1], epsilon=1e-3)
    expected = (0.5 - 1) * math.log(0.5) + (0.5 - 1e-3) * math.log(0.5 / 1e-3)
    assert psi == pytest.approx(expected)


def test_psi_of_a_bin_empty_in_both_populations_adds_nothing() -> None:
    assert population_stability_index([1, 1, 0], [1, 3, 0]) == pytest.approx(
        population_stability_index([1, 1], [1, 3])
    )


@pytest.mark.parametrize(
    ("expected", "actual"),
    [([0.5, 0.5], [1.0]), ([], []), ([0, 0], [1, 1]), ([1, -1], [1, 1]), ([1, math.nan], [1, 1])],
)
def test_psi_refuses_malformed_bins(expected: list[float], actual: list[float]) -> None:
    with pytest.raises(ValueError, match=r"."):
        population_stability_index(expected, actual)


# --- binning ---------------------------------------------------------------------------------


@given(_samples, st.lists(_finite, unique=True, max_size=10).map(sorted))
def test_bin_counts_total_equals_the_sample_size(sample: list[float], edges: list[float]) -> None:
    counts = bin_counts(sample, edges)
    assert len(counts) == len(edges) + 1
    assert sum(counts) == len(sample)


@given(_samples, st.integers(1, 12))
def test_quantile_edges_are_strictly_increasing_and_few_enough(
    reference: list[float], bins: int
) -> None:
    edges = quantile_bin_edges(reference, bins)
    assert len(edges) <= bins - 1
    assert all(a < b for a, b in pairwise(edges))
    assert all(min(reference) < edge <= max(reference) for edge in edges)


@given(_samples)
def test_psi_of_a_sample_against_itself_is_zero(sample: list[float]) -> None:
    assert psi_from_samples(sample, sample) == 0


def test_bin_counts_are_right_open() -> None:
    assert bin_counts([0, 1, 1.5, 2, 3], (1, 2)) == (1, 2, 2)


def test_bin_counts_refuses_unsorted_edges() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        bin_counts([1.0], (2, 1))


def test_quantile_edges_of_a_plain_sample() -> None:
    assert quantile_bin_edges([1, 2, 3, 4, 5], bins=4) == (2, 3, 4)
    assert quantile_bin_edges([float(x) for x in range(1, 11)], bins=2) == (5.5,)


def test_quantile_edges_agree_with_the_standard_library() -> None:
    reference = [3.1, 0.2, 7.7, 5.0, 2.2, 9.4, 4.4, 6.1, 1.3, 8.8, 0.9]
    ours = quantile_bin_edges(reference, bins=5)
    assert ours == pytest.approx(statistics.quantiles(reference, n=5, method="inclusive"))


def test_ties_collapse_bins() -> None:
    # Seven zeros out of ten: every decile edge up to the 70th is the minimum and is dropped.
    reference = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3]
    edges = quantile_bin_edges(reference, bins=10)
    assert edges == pytest.approx((0.3, 1.2, 2.1))
    assert quantile_bin_edges([4, 4, 4], bins=10) == ()


def test_quantile_edges_refuse_an_empty_reference_and_no_bins() -> None:
    with pytest.raises(ValueError, match="empty"):
        quantile_bin_edges([])
    with pytest.raises(ValueError, match="bins"):
        quantile_bin_edges([1.0], bins=0)


def test_psi_from_samples_refuses_an_empty_current_sample() -> None:
    with pytest.raises(ValueError, match="empty"):
        psi_from_samples([1.0, 2.0], [])


# --- Kolmogorov-Smirnov ----------------------------------------------------------------------


@given(_samples)
def test_ks_of_a_sample_with_itself_is_zero(sample: list[float]) -> None:
    assert ks_statistic(sample, sample) == 0


@given(_samples, _samples)
def test_ks_lies_between_zero_and_one(a: list[float], b: list[float]) -> None:
    assert 0 <= ks_statistic(a, b) <= 1


@given(_samples, _samples)
def test_ks_is_symmetric(a: list[float], b: list[float]) -> None:
    assert ks_statistic(a, b) == ks_statistic(b, a)


@given(_small_samples, _small_samples)
def test_ks_equals_the_brute_force_definition(a: list[float], b: list[float]) -> None:
    assert ks_statistic(a, b) == pytest.approx(_brute_force_ks(a, b), abs=1e-12)


def test_ks_of_disjoint_samples_is_one() -> None:
    assert ks_statistic([1, 2, 3], [4, 5, 6]) == 1


def test_ks_reads_the_gap_only_after_ties_are_consumed() -> None:
    assert ks_statistic([1], [1]) == 0
    assert ks_statistic([1, 1, 2], [1, 2, 2]) == pytest.approx(1 / 3)
    assert ks_statistic([1, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.25)


def test_ks_refuses_an_empty_sample() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        ks_statistic([], [1.0])
    with pytest.raises(ValueError, match="non-empty"):
        ks_statistic([1.0], [])


# --- levels ----------------------------------------------------------------------------------


@given(
    st.floats(min_value=0, allow_nan=False), st.floats(min_value=0, allow_nan=False), _thresholds()
)
def test_classify_psi_is_monotone(low: float, high: float, thresholds: DriftThresholds) -> None:
    low, high = sorted((low, high))
    assert _levels.index(classify_psi(low, thresholds)) <= _levels.index(
        classify_psi(high, thresholds)
    )


@pytest.mark.parametrize(
    ("psi", "level"),
    [
        (0.0, DriftLevel.STABLE),
        (0.0999, DriftLevel.STABLE),
        (0.1, DriftLevel.WATCH),
        (0.2499, DriftLevel.WATCH),
        (0.25, DriftLevel.ACT),
        (3.0, DriftLevel.ACT),
    ],
)
def test_classify_psi_by_the_default_thresholds(psi: float, level: DriftLevel) -> None:
    assert classify_psi(psi, DriftThresholds()) is level


def test_classify_psi_refuses_a_negative_or_undefined_psi() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        classify_psi(-0.01)
    with pytest.raises(ValueError, match="non-negative"):
        classify_psi(math.nan)


@pytest.mark.parametrize(("watch", "act"), [(0.2, 0.2), (0.3, 0.1), (-0.1, 0.25)])
def test_thresholds_must_be_ordered(watch: float, act: float) -> None:
    with pytest.raises(ValueError, match="watch < act"):
        DriftThresholds(watch=watch, act=act)


def test_feature_drift_of_an_unchanged_feature_is_stable() -> None:
    reference = [float(x) for x in range(100)]
    assert feature_drift("debt_to_income", reference, list(reversed(reference))) == FeatureDrift(
        feature="debt_to_income", psi=0.0, ks=0.0, level=DriftLevel.STABLE
    )


def test_feature_drift_of_a_shifted_feature_calls_for_action() -> None:
    reference = [float(x) for x in range(100)]
    current = [x + 50 for x in reference]
    drift = feature_drift("savings_ratio", reference, current)
    assert drift.ks == pytest.approx(0.5)
    assert drift.psi > 0.25
    assert drift.level is DriftLevel.ACT


def test_feature_drift_uses_the_thresholds_given() -> None:
    reference = [float(x) for x in range(100)]
    current = [x + 5 for x in reference]
    # Deciles of 0..99; the shift halves the first bin and makes the last 15%:
    # (0.05 - 0.1) ln(0.5) + (0.15 - 0.1) ln(1.5) = 0.05 ln 3.
    default = feature_drift("loan_to_income", reference, current)
    assert default.psi == pytest.approx(0.05 * math.log(3))
    assert default.level is DriftLevel.STABLE
    strict = DriftThresholds(watch=0.01, act=0.05)
    assert feature_drift("loan_to_income", reference, current, strict).level is DriftLevel.ACT
