from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.credit.defaults import DEFAULT_SCALE, DEFAULT_SCORECARD
from domain.credit.features import derive_features
from domain.credit.scorecard import (
    Bin,
    Characteristic,
    InvalidScorecard,
    MissingFeature,
    Monotonicity,
    Scorecard,
    ScoreScale,
)

from .strategies import a_form

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
log_odds = st.floats(min_value=-3, max_value=3, allow_nan=False)


@st.composite
def characteristics(draw: st.DrawFn, feature: str = "x") -> Characteristic:
    """A random contiguous table whose points follow its declared monotonicity."""
    edges = sorted(draw(st.sets(st.integers(-1000, 1000), min_size=1, max_size=6)))
    points = draw(st.lists(log_odds, min_size=len(edges) + 1, max_size=len(edges) + 1))
    direction = draw(st.sampled_from(Monotonicity))
    if direction is Monotonicity.INCREASING:
        points.sort()
    elif direction is Monotonicity.DECREASING:
        points.sort(reverse=True)
    bounds: list[float | None] = [None, *map(float, edges), None]
    bins = tuple(Bin(lo, hi, p) for lo, hi, p in zip(bounds, bounds[1:], points, strict=False))
    return Characteristic(feature, feature.upper(), direction, bins)


@st.composite
def scorecards(draw: st.DrawFn) -> Scorecard:
    chars = tuple(draw(characteristics(name)) for name in ("a", "b", "c"))
    return Scorecard("t", draw(log_odds), chars, ScoreScale())


@given(scorecards(), values, values, values, values, st.sampled_from("abc"))
def test_property_the_score_is_monotone_in_each_feature_its_table_says(
    card: Scorecard, a: float, b: float, c: float, other: float, feature: str
) -> None:
    base = {"a": a, "b": b, "c": c}
    moved = {**base, feature: other}
    declared = next(ch.monotonicity for ch in card.characteristics if ch.feature == feature)
    assume(declared is not Monotonicity.NONE)
    low, high = sorted((base, moved), key=lambda f: f[feature])
    low_score, high_score = card.score(low).score, card.score(high).score
    if declared is Monotonicity.INCREASING:
        assert high_score >= low_score
    else:
        assert high_score <= low_score


@given(st.floats(min_value=1e-4, max_value=1 - 1e-4))
def test_property_probability_to_score_and_back_round_trips(pd: float) -> None:
    scale = ScoreScale(min_score=0, max_score=2000)
    assert scale.pd_from_score(scale.score_from_pd(pd)) == pytest.approx(pd, rel=1e-9)


@given(st.floats(min_value=300, max_value=850))
def test_property_score_to_probability_and_back_round_trips(score: float) -> None:
    pd = DEFAULT_SCALE.pd_from_score(score)
    assert DEFAULT_SCALE.score_from_pd(pd) == pytest.approx(score, abs=1e-6)


@given(st.floats(min_value=1e-6, max_value=1 - 1e-6), st.floats(min_value=1e-6, max_value=1 - 1e-6))
def test_property_a_higher_probability_of_default_never_scores_higher(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert DEFAULT_SCALE.score_from_pd(high) <= DEFAULT_SCALE.score_from_pd(low)


@given(scorecards(), values, values, values)
def test_property_the_justification_lines_add_up_to_the_score(
    card: Scorecard, a: float, b: float, c: float
) -> None:
    result = card.score({"a": a, "b": b, "c": c})
    unclamped = card.scale.offset + card.scale.factor * card.intercept
    unclamped += sum(line.points for line in result.lines)
    assert result.score == pytest.approx(card.scale.clamp(unclamped), abs=1e-6)
    assert card.scale.min_score <= result.score <= card.scale.max_score
    assert all(line.points != 0 for line in result.lines)


@given(st.lists(log_odds, min_size=2, max_size=6, unique=True))
def test_property_a_table_that_breaks_its_declared_direction_is_refused(
    points: list[float],
) -> None:
    assume(points != sorted(points))
    bounds: list[float | None] = [None, *map(float, range(len(points) - 1)), None]
    bins = tuple(Bin(lo, hi, p) for lo, hi, p in zip(bounds, bounds[1:], points, strict=False))
    with pytest.raises(InvalidScorecard, match="declared increasing"):
        Characteristic("x", "X", Monotonicity.INCREASING, bins)


def test_gaps_between_bins_are_refused() -> None:
    with pytest.raises(InvalidScorecard, match="contiguous"):
        Characteristic("x", "X", Monotonicity.NONE, (Bin(None, 1.0, 0.0), Bin(2.0, None, 0.0)))


def test_the_points_to_double_odds_scale_doubles_the_odds() -> None:
    odds = [
        (1 - DEFAULT_SCALE.pd_from_score(s)) / DEFAULT_SCALE.pd_from_score(s) for s in (600, 640)
    ]
    assert odds[0] == pytest.approx(12)
    assert odds[1] / odds[0] == pytest.approx(2)


def test_the_default_scorecard_explains_a_known_form() -> None:
    result = DEFAULT_SCORECARD.score(derive_features(a_form()).as_mapping())
    # DTI 21% +0.3, PTI 12% +0.15, LTI 48% +0.1, 6 stable years +0.15, savings 40% +0.2; the
    # existing-debt ratio (27%) sits in its neutral bin and leaves no line.
    assert result.score == pytest.approx(600 + DEFAULT_SCALE.factor * 0.9)
    assert math.isclose(result.probability_of_default, DEFAULT_SCALE.pd_from_score(result.score))
    assert [line.feature for line in result.lines] == [
        "debt_to_income",
        "payment_to_income",
        "loan_to_income",
        "employment_stability",
        "savings_ratio",
    ]
    assert str(result.lines[0]) == "Debt-to-income 0.21 (0.2 to under 0.35): +17 points"


def test_a_missing_feature_is_named() -> None:
    with pytest.raises(MissingFeature, match="savings_ratio"):
        DEFAULT_SCORECARD.score({"debt_to_income": 0.3})
