"""How the dashboard's cards word the API's figures: counts, rates, durations, the change
against the previous period, and "—" wherever there is nothing to measure or compare."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.analytics import compare
from entrypoints.web.dashboard_cards import (
    NOTHING,
    Better,
    Kind,
    change_text,
    duration_text,
    figure_text,
    metric_card,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (44.6, "45 s"), (600, "10 min"), (725, "12 min 5 s"), (3600, "1 h"),
     (14_280, "3 h 58 min"), (-120, "-2 min")],
)  # fmt: skip
def test_a_duration_reads_to_the_second_under_an_hour_and_the_minute_above(
    seconds: float, text: str
) -> None:
    assert duration_text(seconds) == text


def test_each_kind_of_figure_reads_as_a_person_writes_it() -> None:
    assert figure_text(4487, Kind.COUNT) == "4,487"
    assert figure_text(0.3636, Kind.RATE) == "36.4%"
    assert figure_text(600, Kind.DURATION) == "10 min"
    assert [figure_text(None, kind) for kind in Kind] == [NOTHING] * 3


def test_the_change_is_relative_with_the_points_for_a_rate() -> None:
    assert change_text(compare(4, 1), Kind.COUNT) == "+300.0%"
    assert change_text(compare(0.25, 0.5), Kind.RATE) == "-50.0% (-25.0 pts)"
    assert change_text(compare(540, 600), Kind.DURATION) == "-10.0%"


def test_growth_from_nothing_shows_the_difference_and_no_side_shows_a_dash() -> None:
    assert change_text(compare(3, 0), Kind.COUNT) == "+3"
    assert change_text(compare(0.5, 0.0), Kind.RATE) == "+50.0 pts"
    assert change_text(compare(0.5, None), Kind.RATE) == NOTHING
    assert change_text(compare(None, 0.5), Kind.RATE) == NOTHING


def test_the_tone_follows_which_way_is_better_for_the_figure() -> None:
    slower = metric_card("t", "Review", compare(700, 600), Kind.DURATION, Better.LOWER)
    assert (slower.arrow, slower.direction, slower.tone) == ("▲", "up", "worse")
    compliant = metric_card("s", "SLA", compare(0.9, 0.8), Kind.RATE, Better.HIGHER)
    assert compliant.tone == "better"
    busier = metric_card("a", "Applications", compare(5, 4), Kind.COUNT, Better.NEITHER)
    assert busier.tone == "neutral"
    unknown = metric_card("o", "Overrides", compare(None, 0.1), Kind.RATE, Better.LOWER)
    assert (unknown.value, unknown.arrow, unknown.direction_words) == (NOTHING, "", "No comparison")
    same = metric_card("o", "Overrides", compare(0.1, 0.1), Kind.RATE, Better.LOWER)
    assert (same.arrow, same.tone, same.change) == ("■", "neutral", "0.0% (0.0 pts)")


rates = st.none() | st.floats(min_value=0, max_value=1)


@given(rates, rates)
def test_a_card_keeps_the_apis_number_and_never_shows_a_change_it_cannot_know(
    current: float | None, previous: float | None
) -> None:
    card = metric_card("r", "Rate", compare(current, previous), Kind.RATE, Better.HIGHER)
    assert card.current == current
    assert (card.change == NOTHING) == (current is None or previous is None)
    assert (card.value == NOTHING) == (current is None)
    if card.direction == "up":
        assert current is not None
        assert previous is not None
        assert current > previous
