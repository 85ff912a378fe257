"""Periods, rates, bins and buckets of the analytics reports, and the invariants between them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.analytics import (
    DAY,
    DayCount,
    DecisionDayCount,
    Granularity,
    Period,
    ScoreBins,
    bucket_start,
    bucket_starts,
    compare,
    mean,
    rate,
)
from domain.credit.analytics_reports import score_distribution, trend
from domain.credit.decisions import DecisionType

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
lengths = st.integers(min_value=1, max_value=366)
granularities = st.sampled_from(Granularity)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    first = draw(days)
    return Period.of_days(first, first + (draw(lengths) - 1) * DAY)


@given(periods())
def test_the_previous_period_ends_where_the_period_begins_and_is_as_long(period: Period) -> None:
    previous = period.previous()
    assert previous.end == period.start
    assert previous.length == period.length
    assert len(previous.days()) == len(period.days())
    assert not previous.contains(period.start)
    assert previous.contains(period.start - timedelta(microseconds=1))


@given(days, lengths)
def test_a_period_of_days_holds_exactly_those_days(first: date, length: int) -> None:
    last = first + (length - 1) * DAY
    period = Period.of_days(first, last)
    assert period.days() == tuple(first + index * DAY for index in range(length))
    assert (period.first_day, period.last_day) == (first, last)
    assert period.contains(datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=UTC))
    assert not period.contains(period.end)


def test_a_period_must_end_after_it_starts() -> None:
    start = datetime(2026, 11, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="ends after it starts"):
        Period(start, start)


@given(periods(), granularities)
def test_every_day_falls_in_one_listed_bucket(period: Period, granularity: Granularity) -> None:
    starts = bucket_starts(period, granularity)
    assert list(starts) == sorted(set(starts))
    for day in period.days():
        assert bucket_start(day, granularity) in starts
        assert bucket_start(day, granularity) <= day
    if granularity is Granularity.WEEK:
        assert all(start.weekday() == 0 for start in starts)
        assert all(later - earlier == 7 * DAY for earlier, later in pairwise(starts))


def test_a_week_starts_on_monday() -> None:
    sunday, monday = date(2026, 11, 8), date(2026, 11, 2)
    assert bucket_start(sunday, Granularity.WEEK) == monday
    assert bucket_start(monday, Granularity.WEEK) == monday
    assert bucket_start(sunday, Granularity.DAY) == sunday


@st.composite
def activity(draw: st.DrawFn) -> tuple[Period, list[DayCount], list[DecisionDayCount]]:
    period = draw(periods())
    in_period = st.sampled_from(period.days())
    counts = st.integers(min_value=1, max_value=1_000)
    applications = draw(st.lists(st.builds(DayCount, in_period, counts), max_size=20))
    decisions = draw(
        st.lists(
            st.builds(DecisionDayCount, in_period, st.sampled_from(DecisionType), counts),
            max_size=20,
        )
    )
    return period, applications, decisions


@given(activity(), granularities)
def test_a_trend_keeps_every_count_and_splits_none(
    book: tuple[Period, list[DayCount], list[DecisionDayCount]], granularity: Granularity
) -> None:
    period, applications, decisions = book
    points = trend(period, granularity, applications, decisions)
    assert tuple(point.bucket_start for point in points) == bucket_starts(period, granularity)
    assert sum(p.applications for p in points) == sum(c.count for c in applications)
    assert sum(p.decisions for p in points) == sum(c.count for c in decisions)
    automatic = sum(c.count for c in decisions if c.decision_type.is_automatic)
    assert sum(p.automatic_decisions for p in points) == automatic
    assert all(p.approvals <= p.decisions for p in points)


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_rate_is_none_exactly_when_there_is_nothing_to_measure(part: int, whole: int) -> None:
    found = rate(min(part, whole), whole)
    assert (found is None) == (whole == 0)
    assert found is None or 0 <= found <= 1
    assert (mean(part, whole) is None) == (whole == 0)


@given(st.none() | st.floats(-1e6, 1e6), st.none() | st.floats(-1e6, 1e6))
def test_a_comparison_is_the_difference_when_both_sides_exist(
    current: float | None, previous: float | None
) -> None:
    found = compare(current, previous)
    if current is None or previous is None:
        assert (found.change, found.change_ratio) == (None, None)
    else:
        assert found.change == current - previous
        assert (found.change_ratio is None) == (previous == 0)


def test_a_comparison_from_one_to_four_is_three_more_and_three_times() -> None:
    found = compare(4, 1)
    assert (found.change, found.change_ratio) == (3, 3.0)


bins = st.builds(
    ScoreBins,
    lower=st.floats(0, 500),
    width=st.floats(1, 100),
    count=st.integers(1, 30),
)


@given(bins, st.lists(st.floats(-1e4, 1e4), max_size=50))
def test_every_score_lands_in_one_bin_and_the_histogram_counts_them_all(
    chosen: ScoreBins, scores: list[float]
) -> None:
    counts = [0] * chosen.count
    for score in scores:
        counts[chosen.index(score)] += 1
    histogram = score_distribution(chosen, counts)
    assert histogram.scored == len(scores) == sum(b.count for b in histogram.buckets)
    assert [b.lower for b in histogram.buckets] == list(chosen.edges()[:-1])


@given(bins, st.floats(-1e4, 1e4), st.floats(-1e4, 1e4))
def test_a_higher_score_never_lands_in_a_lower_bin(chosen: ScoreBins, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert chosen.index(low) <= chosen.index(high)


def test_the_default_bins_span_the_scorecard_with_open_ends() -> None:
    default = ScoreBins()
    assert (default.edges()[0], default.edges()[-1]) == (300, 850)
    assert [default.index(s) for s in (0, 300, 349.99, 350, 849, 850, 2000)] == [
        0, 0, 0, 1, 10, 10, 10,
    ]  # fmt: skip


def test_bins_need_a_positive_width_and_at_least_one_bin() -> None:
    with pytest.raises(ValueError, match="at least one bin"):
        ScoreBins(count=0)
    with pytest.raises(ValueError, match="at least one bin"):
        ScoreBins(width=0)
