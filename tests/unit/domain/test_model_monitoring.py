from __future__ import annotations

import math
import random
import statistics

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.model_monitoring import (
    MIN_ROWS,
    DataQuality,
    FeatureProfile,
    FeatureQuality,
    MonitoringReport,
    examine,
)
from domain.credit.monitoring import (
    DEFAULT_DRIFT_THRESHOLDS,
    DriftLevel,
    DriftThresholds,
    FeatureDrift,
    classify_psi,
    feature_drift,
)
from tests.builders import a_monitoring_report

_finite = st.floats(allow_nan=False, allow_infinity=False)
# Small integers make ties (between values and quantiles, and among quantiles) common.
_values = st.one_of(st.integers(-3, 3).map(float), _finite)
_quantiles = st.lists(_values, max_size=12).map(lambda qs: tuple(sorted(qs)))
_rates = st.floats(min_value=0, max_value=1)
_profiles = st.builds(
    FeatureProfile, feature=st.sampled_from(["x", "y"]), quantiles=_quantiles, missing_rate=_rates
)
_measured_profiles = st.builds(
    FeatureProfile,
    feature=st.just("x"),
    quantiles=st.lists(_values, min_size=1, max_size=12).map(lambda qs: tuple(sorted(qs))),
    missing_rate=_rates,
)
_FEATURES = ("debt_to_income", "savings_ratio", "loan_to_income", "loan_purpose", "open_accounts")


def _present(column: list[float]) -> list[float]:
    return [v for v in column if not math.isnan(v)]


# --- FeatureProfile ---------------------------------------------------------------------------


@given(_profiles, _finite, _finite)
def test_the_percentile_never_falls_as_the_value_rises(
    profile: FeatureProfile, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    below, above = profile.percentile(low), profile.percentile(high)
    if not profile.quantiles:
        assert below is None
        assert above is None
    else:
        assert below is not None
        assert above is not None
        assert 0 <= below <= above <= 100


@given(_measured_profiles, _finite)
def test_the_percentile_is_the_share_of_quantiles_strictly_below(
    profile: FeatureProfile, value: float
) -> None:
    below = sum(q < value for q in profile.quantiles)
    assert profile.percentile(value) == 100.0 * below / len(profile.quantiles)


@given(_measured_profiles, _finite)
def test_the_percentile_is_0_at_or_below_the_minimum_and_100_above_the_maximum(
    profile: FeatureProfile, value: float
) -> None:
    if value <= profile.quantiles[0]:
        assert profile.percentile(value) == 0
    elif value > profile.quantiles[-1]:
        assert profile.percentile(value) == 100
    else:
        assert 0 < (profile.percentile(value) or 0) < 100


@given(_measured_profiles)
def test_the_maximum_itself_is_below_100(profile: FeatureProfile) -> None:
    # Only values beyond the training maximum are above every training value.
    maximum = profile.quantiles[-1]
    first = profile.quantiles.index(maximum)
    assert profile.percentile(maximum) == 100.0 * first / len(profile.quantiles) < 100


def test_percentiles_of_a_hand_made_profile() -> None:
    profile = FeatureProfile("debt_to_income", (0.0, 0.1, 0.2, 0.3, 0.6), 0.0)
    assert profile.percentile(-1.0) == 0
    assert profile.percentile(0.0) == 0
    assert profile.percentile(0.05) == 20
    assert profile.percentile(0.2) == 40  # 0.0 and 0.1 lie below it
    assert profile.percentile(0.25) == 60
    assert profile.percentile(0.6) == 80  # the maximum is not above itself
    assert profile.percentile(0.61) == 100
    tied = FeatureProfile("savings_ratio", (0.0, 0.0, 0.0, 1.0), 0.0)
    assert tied.percentile(0.0) == 0
    assert tied.percentile(0.5) == 75
    assert tied.percentile(1.0) == 75


@pytest.mark.parametrize(
    ("quantiles", "value"),
    [((), 0.5), ((0.0, 1.0), math.nan), ((0.0, 1.0), math.inf), ((0.0, 1.0), -math.inf)],
)
def test_no_percentile_without_a_reference_or_a_number(
    quantiles: tuple[float, ...], value: float
) -> None:
    assert FeatureProfile("x", quantiles, 0.0).percentile(value) is None


@given(_profiles, _finite)
def test_out_of_range_means_beyond_what_training_saw(profile: FeatureProfile, value: float) -> None:
    expected = bool(profile.quantiles) and (
        value < min(profile.quantiles) or value > max(profile.quantiles)
    )
    assert profile.out_of_range(value) is expected


def test_out_of_range_of_a_hand_made_profile() -> None:
    profile = FeatureProfile("x", (1.0, 2.0, 3.0), 0.0)
    assert [profile.out_of_range(v) for v in (0.99, 1.0, 2.5, 3.0, 3.01)] == [
        True,
        False,
        False,
        False,
        True,
    ]
    assert not FeatureProfile("x", (), 1.0).out_of_range(1e300)


@given(st.lists(_values, min_size=2, max_size=12).filter(lambda qs: qs != sorted(qs)))
def test_quantiles_must_be_sorted(quantiles: list[float]) -> None:
    with pytest.raises(ValueError, match="increasing"):
        FeatureProfile("x", tuple(quantiles), 0.0)


@given(
    st.lists(_values, max_size=6),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.lists(_values, max_size=6),
)
def test_quantiles_must_be_finite(before: list[float], broken: float, after: list[float]) -> None:
    with pytest.raises(ValueError, match="finite"):
        FeatureProfile("x", (*sorted(before), broken, *sorted(after)), 0.0)


@given(st.floats().filter(lambda r: not 0 <= r <= 1))
def test_a_missing_rate_is_a_share(rate: float) -> None:
    with pytest.raises(ValueError, match="missing rate"):
        FeatureProfile("x", (0.0, 1.0), rate)


def test_ties_and_single_points_are_valid_quantiles() -> None:
    assert FeatureProfile("x", (2.0, 2.0, 2.0), 0.0).quantiles == (2.0, 2.0, 2.0)
    assert FeatureProfile("x", (5.0,), 1.0).missing_rate == 1.0


# --- examine: properties ----------------------------------------------------------------------


@st.composite
def _windows(
    draw: st.DrawFn,
) -> tuple[tuple[FeatureProfile, ...], dict[str, list[float]], list[str], int]:
    """Profiles, a window of current values for each (NaN = missing), fingerprints, min_rows."""
    features = draw(st.lists(st.sampled_from(_FEATURES), unique=True, max_size=4))
    profiles = tuple(
        FeatureProfile(feature, draw(_quantiles), draw(_rates)) for feature in features
    )
    rows = draw(st.integers(0, 30))
    cells = st.one_of(st.just(math.nan), _values)
    current = {f: draw(st.lists(cells, min_size=rows, max_size=rows)) for f in features}
    fingerprints = draw(st.lists(st.sampled_from("abcdef"), min_size=rows, max_size=rows))
    return profiles, current, fingerprints, draw(st.integers(0, 8))


_Window = tuple[tuple[FeatureProfile, ...], dict[str, list[float]], list[str], int]


@st.composite
def _thresholds(draw: st.DrawFn) -> DriftThresholds:
    bounds = st.floats(min_value=0, max_value=2, allow_nan=False)
    watch, act = sorted(draw(st.lists(bounds, min_size=2, max_size=2, unique=True)))
    return DriftThresholds(watch=watch, act=act)


@given(_windows())
def test_every_feature_is_either_measured_or_listed_unmeasured_in_profile_order(
    window: _Window,
) -> None:
    profiles, current, fingerprints, min_rows = window
    findings = examine(profiles, current, fingerprints, min_rows=min_rows)
    thin = [
        p.feature
        for p in profiles
        if not p.quantiles or len(_present(current[p.feature])) < max(min_rows, 1)
    ]
    assert list(findings.unmeasured) == thin
    assert [d.feature for d in findings.drift] == [
        p.feature for p in profiles if p.feature not in thin
    ]


@given(_windows(), _thresholds())
def test_drift_is_measured_against_the_profiles_quantiles(
    window: _Window, thresholds: DriftThresholds
) -> None:
    profiles, current, fingerprints, min_rows = window
    findings = examine(profiles, current, fingerprints, thresholds=thresholds, min_rows=min_rows)
    by_feature = {p.feature: p for p in profiles}
    for drift in findings.drift:
        profile = by_feature[drift.feature]
        present = _present(current[drift.feature])
        assert drift == feature_drift(drift.feature, profile.quantiles, present, thresholds)


@given(_windows())
def test_data_quality_is_counted_per_feature(window: _Window) -> None:
    profiles, current, fingerprints, min_rows = window
    rows = len(fingerprints)
    quality = examine(profiles, current, fingerprints, min_rows=min_rows).quality
    assert quality.rows == rows
    assert [q.feature for q in quality.features] == [p.feature for p in profiles]
    for profile, feature in zip(profiles, quality.features, strict=True):
        column = current[profile.feature]
        present = _present(column)
        outside = [
            v
            for v in present
            if profile.quantiles and not min(profile.quantiles) <= v <= max(profile.quantiles)
        ]
        assert feature.reference_missing_rate == profile.missing_rate
        assert feature.missing_rate == pytest.approx(
            (len(column) - len(present)) / rows if rows else 0.0
        )
        assert feature.out_of_range_rate == pytest.approx(
            len(outside) / len(present) if present else 0.0
        )
        assert 0 <= feature.missing_rate <= 1
        assert 0 <= feature.out_of_range_rate <= 1


@given(_windows())
def test_duplicates_are_the_repeats_of_a_fingerprint(window: _Window) -> None:
    profiles, current, fingerprints, min_rows = window
    quality = examine(profiles, current, fingerprints, min_rows=min_rows).quality
    assert quality.duplicates == len(fingerprints) - len(set(fingerprints))


@given(_windows(), st.data())
def test_findings_do_not_depend_on_the_order_of_the_rows(
    window: _Window, data: st.DataObject
) -> None:
    profiles, current, fingerprints, min_rows = window
    order = data.draw(st.permutations(range(len(fingerprints))))
    shuffled = {f: [column[i] for i in order] for f, column in current.items()}
    before = examine(profiles, current, fingerprints, min_rows=min_rows)
    after = examine(profiles, shuffled, [fingerprints[i] for i in order], min_rows=min_rows)
    assert after.unmeasured == before.unmeasured
    assert after.quality == before.quality
    # PSI and KS are functions of the sorted sample.
    assert after.drift == before.drift


def _normal_profile(rng: random.Random, mean: float, sd: float) -> FeatureProfile:
    """A training column of 5,000 values kept as its minimum, 199 quantiles and maximum."""
    training = [rng.gauss(mean, sd) for _ in range(5_000)]
    inner = statistics.quantiles(training, n=200, method="inclusive")
    return FeatureProfile("debt_to_income", (min(training), *inner, max(training)), 0.0)


@given(
    st.randoms(use_true_random=True),
    st.floats(min_value=-100, max_value=100),
    st.floats(min_value=0.01, max_value=100),
)
def test_a_window_like_training_is_stable(rng: random.Random, mean: float, sd: float) -> None:
    profile = _normal_profile(rng, mean, sd)
    current = [rng.gauss(mean, sd) for _ in range(1_000)]
    findings = examine([profile], {"debt_to_income": current}, [str(i) for i in range(1_000)])
    (drift,) = findings.drift
    assert drift.psi < 0.1
    assert drift.level is DriftLevel.STABLE


@given(
    st.randoms(use_true_random=True),
    st.floats(min_value=-100, max_value=100),
    st.floats(min_value=0.01, max_value=100),
    st.floats(min_value=0.6, max_value=5),
    st.booleans(),
)
def test_a_shifted_window_is_flagged(
    rng: random.Random, mean: float, sd: float, shift: float, upward: bool
) -> None:
    profile = _normal_profile(rng, mean, sd)
    moved = mean + (shift if upward else -shift) * sd
    current = [rng.gauss(moved, sd) for _ in range(1_000)]
    findings = examine([profile], {"debt_to_income": current}, [str(i) for i in range(1_000)])
    (drift,) = findings.drift
    assert drift.psi >= 0.1
    assert drift.level is not DriftLevel.STABLE
    if shift >= 1:
        assert drift.level is DriftLevel.ACT


# --- examine: examples ------------------------------------------------------------------------

# Ten quantiles 0..9: the PSI deciles cut between them (edges 0.9, 1.8, ..., 8.1), one per bin.
_DECILES = FeatureProfile("debt_to_income", tuple(float(k) for k in range(10)), 0.02)


def test_a_hand_computed_drift_at_watch() -> None:
    # Twenty rows per copy: four in the first bin, two in each of the next seven, one in each
    # of the last two. Shares 0.2, 0.1 x 7, 0.05, 0.05 against 0.1 each:
    # PSI = 0.1 ln 2 + 2 x (-0.05) ln 0.5 = 0.2 ln 2; the CDFs differ by at most 0.1.
    copy = [0.0] * 4 + [float(k) for k in range(1, 8) for _ in range(2)] + [8.0, 9.0]
    current = copy * 2
    findings = examine([_DECILES], {"debt_to_income": current}, [f"f{i}" for i in range(40)])
    (drift,) = findings.drift
    assert drift.feature == "debt_to_income"
    assert drift.psi == pytest.approx(0.2 * math.log(2))
    assert drift.psi == pytest.approx(0.138629, abs=1e-6)
    assert drift.ks == pytest.approx(0.1)
    assert drift.level is DriftLevel.WATCH
    assert findings.unmeasured == ()
    assert findings.quality == DataQuality(
        rows=40, duplicates=0, features=(FeatureQuality("debt_to_income", 0.0, 0.02, 0.0),)
    )


def test_the_same_window_is_stable_or_acted_on_by_the_thresholds_given() -> None:
    copy = [0.0] * 4 + [float(k) for k in range(1, 8) for _ in range(2)] + [8.0, 9.0]
    args = ([_DECILES], {"debt_to_income": copy * 2}, [f"f{i}" for i in range(40)])
    loose = examine(*args, thresholds=DriftThresholds(watch=0.15, act=0.3))
    strict = examine(*args, thresholds=DriftThresholds(watch=0.05, act=0.13))
    assert [d.level for d in loose.drift] == [DriftLevel.STABLE]
    assert [d.level for d in strict.drift] == [DriftLevel.ACT]


def test_a_window_with_every_value_in_the_first_bin_calls_for_action() -> None:
    # Shares 1, 0 x 9 against 0.1 each, empty bins floored at 1e-4:
    # PSI = 0.9 ln 10 + 9 x (1e-4 - 0.1) ln(1e-4 / 0.1).
    findings = examine([_DECILES], {"debt_to_income": [0.5] * 30}, ["a"] * 30)
    (drift,) = findings.drift
    expected = 0.9 * math.log(10) + 9 * (1e-4 - 0.1) * math.log(1e-4 / 0.1)
    assert drift.psi == pytest.approx(expected)
    assert drift.ks == pytest.approx(0.9)
    assert drift.level is DriftLevel.ACT
    assert findings.quality.duplicates == 29


def test_hand_counted_data_quality() -> None:
    profiles = (
        FeatureProfile("debt_to_income", (1.0, 2.0, 3.0), 0.1),
        FeatureProfile("loan_purpose", (), 1.0),  # never present in training
    )
    nan = math.nan
    current = {
        "debt_to_income": [nan, 0.5, 1.0, 3.0, 3.5, 2.0, nan, nan],
        "loan_purpose": [1.0, 2.0, nan, 1.0, 1.0, 1.0, 1.0, 1.0],
        "ignored": [],  # a column no profile asks for
    }
    fingerprints = ["a", "b", "a", "c", "a", "b", "d", "e"]
    findings = examine(profiles, current, fingerprints)
    assert findings.drift == ()
    assert findings.unmeasured == ("debt_to_income", "loan_purpose")
    assert findings.quality == DataQuality(
        rows=8,
        duplicates=3,  # "a" twice more, "b" once more
        features=(
            # 3 of 8 missing; of the 5 present, 0.5 and 3.5 lie outside [1, 3].
            FeatureQuality("debt_to_income", 3 / 8, 0.1, 2 / 5),
            FeatureQuality("loan_purpose", 1 / 8, 1.0, 0.0),
        ),
    )


def test_a_feature_is_measured_from_min_rows_present_values() -> None:
    nan = math.nan
    column = [0.5] * (MIN_ROWS - 1) + [nan]
    short = examine([_DECILES], {"debt_to_income": column}, [str(i) for i in range(MIN_ROWS)])
    assert short.unmeasured == ("debt_to_income",)
    assert short.drift == ()
    enough = examine(
        [_DECILES], {"debt_to_income": [*column, 0.5]}, [str(i) for i in range(MIN_ROWS + 1)]
    )
    assert enough.unmeasured == ()
    assert [d.feature for d in enough.drift] == ["debt_to_income"]
    assert (
        examine(
            [_DECILES], {"debt_to_income": [0.5, 1.5, nan]}, ["a", "b", "c"], min_rows=2
        ).unmeasured
        == ()
    )


def test_a_feature_with_no_present_value_is_unmeasured_whatever_min_rows() -> None:
    findings = examine([_DECILES], {"debt_to_income": [math.nan] * 3}, ["a", "b", "c"], min_rows=0)
    assert findings.drift == ()
    assert findings.unmeasured == ("debt_to_income",)
    assert findings.quality.features == (FeatureQuality("debt_to_income", 1.0, 0.02, 0.0),)


def test_an_empty_window_measures_nothing_and_divides_by_nothing() -> None:
    profiles = (_DECILES, FeatureProfile("savings_ratio", (0.0, 1.0), 0.5))
    findings = examine(profiles, {"debt_to_income": [], "savings_ratio": []}, [])
    assert findings.drift == ()
    assert findings.unmeasured == ("debt_to_income", "savings_ratio")
    assert findings.quality == DataQuality(
        rows=0,
        duplicates=0,
        features=(
            FeatureQuality("debt_to_income", 0.0, 0.02, 0.0),
            FeatureQuality("savings_ratio", 0.0, 0.5, 0.0),
        ),
    )


def test_every_profiled_feature_needs_a_column() -> None:
    profiles = (_DECILES, FeatureProfile("savings_ratio", (0.0, 1.0), 0.0))
    with pytest.raises(ValueError, match=r"no current values for \['savings_ratio'\]"):
        examine(profiles, {"debt_to_income": [1.0]}, ["a"])


def test_every_column_has_a_value_per_row() -> None:
    profiles = (_DECILES, FeatureProfile("savings_ratio", (0.0, 1.0), 0.0))
    with pytest.raises(ValueError, match=r"expected 2 values .* \['savings_ratio'\]"):
        examine(profiles, {"debt_to_income": [1.0, 2.0], "savings_ratio": [1.0]}, ["a", "b"])


@pytest.mark.parametrize("infinite", [math.inf, -math.inf])
def test_an_infinite_value_is_refused(infinite: float) -> None:
    with pytest.raises(ValueError, match="debt_to_income: values are finite numbers or NaN"):
        examine([_DECILES], {"debt_to_income": [1.0, infinite, math.nan]}, ["a", "b", "c"])


# --- MonitoringReport -------------------------------------------------------------------------


@st.composite
def _drifts(draw: st.DrawFn) -> tuple[FeatureDrift, ...]:
    """Drift of distinct features; a few repeated PSIs make ties common."""
    features = draw(st.lists(st.sampled_from(_FEATURES), unique=True, max_size=5))
    psis = st.one_of(st.floats(min_value=0, max_value=5), st.sampled_from([0.05, 0.1, 0.3]))
    return tuple(
        FeatureDrift(feature, psi, 0.5, classify_psi(psi, DEFAULT_DRIFT_THRESHOLDS))
        for feature, psi in ((f, draw(psis)) for f in features)
    )


def _report(drift: tuple[FeatureDrift, ...]) -> MonitoringReport:
    return attrs.evolve(a_monitoring_report(), drift=drift)


@given(_drifts())
def test_the_report_level_is_the_worst_features(drift: tuple[FeatureDrift, ...]) -> None:
    levels = {d.level for d in drift}
    expected = next(
        (level for level in (DriftLevel.ACT, DriftLevel.WATCH) if level in levels),
        DriftLevel.STABLE,
    )
    assert _report(drift).level is expected


@given(_drifts())
def test_alerts_are_the_flagged_features_worst_first_ties_by_name(
    drift: tuple[FeatureDrift, ...],
) -> None:
    alerts = _report(drift).alerts
    assert set(alerts) == {d for d in drift if d.level is not DriftLevel.STABLE}
    keys = [(-a.psi, a.feature) for a in alerts]
    assert keys == sorted(keys)
    assert len(alerts) == len(set(keys))


@given(_drifts(), st.data())
def test_level_and_alerts_do_not_depend_on_the_order_of_the_drift(
    drift: tuple[FeatureDrift, ...], data: st.DataObject
) -> None:
    shuffled = tuple(data.draw(st.permutations(drift)))
    assert _report(shuffled).level is _report(drift).level
    assert _report(shuffled).alerts == _report(drift).alerts


def test_a_report_with_nothing_measured_is_stable_without_alerts() -> None:
    report = attrs.evolve(a_monitoring_report(), drift=(), unmeasured=("debt_to_income",))
    assert report.level is DriftLevel.STABLE
    assert report.alerts == ()


def test_alerts_of_a_hand_made_report() -> None:
    drift = (
        FeatureDrift("savings_ratio", 0.12, 0.08, DriftLevel.WATCH),
        FeatureDrift("debt_to_income", 0.02, 0.01, DriftLevel.STABLE),
        FeatureDrift("open_accounts", 0.4, 0.3, DriftLevel.ACT),
        FeatureDrift("loan_to_income", 0.12, 0.09, DriftLevel.WATCH),
    )
    report = _report(drift)
    assert report.level is DriftLevel.ACT
    assert [d.feature for d in report.alerts] == [
        "open_accounts",
        "loan_to_income",
        "savings_ratio",
    ]
    assert _report(drift[:2]).level is DriftLevel.WATCH
    assert _report(drift[1:2]).level is DriftLevel.STABLE
