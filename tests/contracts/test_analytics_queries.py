"""Contract of `AnalyticsQueries`: the fake, SQLite and PostgreSQL count the known book of
tests/analytics_data.py to the same, hand-counted tallies, and never the other tenant's."""

from __future__ import annotations

from datetime import date

import pytest

from application.credit.ports import UnitOfWork
from domain.credit.analytics import (
    DayCount,
    DecisionDayCount,
    DecisionTally,
    Period,
    ScoreBins,
    ScoringTally,
    SlaTally,
)
from tests.analytics_data import PERIOD, SLA_NOW, R, T, store_known_book
from tests.builders import OTHER_TENANT, TENANT


@pytest.fixture
def book(uow: UnitOfWork) -> UnitOfWork:
    store_known_book(uow)
    return uow


def nov(day: int) -> date:
    return date(2026, 11, day)


def test_applications_are_counted_by_submission_day(book: UnitOfWork) -> None:
    with book:
        analytics = book.analytics
        assert analytics.applications_submitted(TENANT, PERIOD) == 4
        assert analytics.applications_submitted(TENANT, PERIOD.previous()) == 1
        assert analytics.applications_by_day(TENANT, PERIOD) == [
            DayCount(nov(2), 2),
            DayCount(nov(4), 1),
            DayCount(nov(8), 1),
        ]


def test_final_decisions_are_tallied_by_person_type_and_recommendation(book: UnitOfWork) -> None:
    with book:
        found = book.analytics.decision_tallies(TENANT, PERIOD)
        previous = book.analytics.decision_tallies(TENANT, PERIOD.previous())
    assert sorted(found, key=str) == sorted(
        [
            DecisionTally("system", T.AUTO_APPROVE, R.AUTO_APPROVE, 1),
            DecisionTally("system", T.AUTO_DECLINE, R.AUTO_DECLINE, 1),
            DecisionTally("user-ana", T.ANALYST_APPROVE, R.AUTO_DECLINE, 1, 600, 1),
            DecisionTally("user-ana", T.ANALYST_DECLINE, R.AUTO_APPROVE, 1, 300, 1),
            DecisionTally("user-ana", T.ANALYST_APPROVE_WITH_CONDITIONS, R.HUMAN_REVIEW, 1),
            DecisionTally("user-bo", T.ANALYST_DECLINE, R.HUMAN_REVIEW, 1, 900, 1),
        ],
        key=str,
    )
    assert sorted(previous, key=str) == sorted(
        [
            DecisionTally("system", T.AUTO_APPROVE, R.AUTO_APPROVE, 1),
            DecisionTally("user-bo", T.ANALYST_DECLINE, R.HUMAN_REVIEW, 1, 100, 1),
        ],
        key=str,
    )


def test_decisions_are_counted_per_day_and_type(book: UnitOfWork) -> None:
    with book:
        found = book.analytics.decisions_by_day(TENANT, PERIOD)
    assert sorted(found, key=str) == sorted(
        [
            DecisionDayCount(nov(2), T.AUTO_APPROVE, 1),
            DecisionDayCount(nov(3), T.AUTO_DECLINE, 1),
            DecisionDayCount(nov(3), T.ANALYST_APPROVE, 1),
            DecisionDayCount(nov(5), T.ANALYST_DECLINE, 1),
            DecisionDayCount(nov(6), T.ANALYST_APPROVE_WITH_CONDITIONS, 1),
            DecisionDayCount(nov(8), T.ANALYST_DECLINE, 1),
        ],
        key=str,
    )


def test_the_histogram_places_each_latest_score_once(book: UnitOfWork) -> None:
    with book:
        counts = list(book.analytics.score_counts(TENANT, PERIOD, ScoreBins()))
        coarse = list(book.analytics.score_counts(TENANT, PERIOD, ScoreBins(0, 1000, 1)))
    # 299, 300 and 349.99 in [300, 350) (the first bin is open below); 350; 640 (s-7's latest);
    # 700; 900 in the last bin, open above.
    assert counts == [3, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1]
    assert coarse == [7]


def key(tally: ScoringTally) -> tuple[date, str, str]:
    return (tally.day, tally.model_version, tally.routing_outcome)


def test_every_score_is_tallied_per_day_model_and_routing(book: UnitOfWork) -> None:
    with book:
        found = book.analytics.scoring_tallies(TENANT, PERIOD)
    expected = [
        ScoringTally(nov(2), "m-1", R.AUTO_DECLINE, 1, 299),
        ScoringTally(nov(3), "m-1", R.AUTO_DECLINE, 3, 300 + 349.99 + 400),
        ScoringTally(nov(4), "m-1", R.AUTO_APPROVE, 1, 700),
        ScoringTally(nov(4), "m-1", R.AUTO_DECLINE, 2, 350 + 500),
        ScoringTally(nov(4), "m-2", R.AUTO_APPROVE, 1, 900),
        ScoringTally(nov(5), "m-1", R.HUMAN_REVIEW, 1, 640),
    ]
    assert [key(t) for t in sorted(found, key=key)] == [key(t) for t in expected]
    for tally, wanted in zip(sorted(found, key=key), expected, strict=True):
        assert tally.scores == wanted.scores
        assert tally.score_total == pytest.approx(wanted.score_total)


def test_sla_cases_are_met_missed_or_pending(book: UnitOfWork) -> None:
    with book:
        found = book.analytics.sla_tally(TENANT, PERIOD, SLA_NOW)
    assert found == SlaTally(entered=6, due=6, met=3, missed=2)
    assert found.pending == 1
    assert found.compliance_rate == pytest.approx(0.6)


def test_the_other_tenant_counts_only_its_own(book: UnitOfWork) -> None:
    with book:
        analytics = book.analytics
        assert analytics.applications_submitted(OTHER_TENANT, PERIOD) == 1
        assert analytics.decision_tallies(OTHER_TENANT, PERIOD) == [
            DecisionTally("user-ana", T.ANALYST_APPROVE, R.AUTO_DECLINE, 1, 999, 1)
        ]
        assert sum(analytics.score_counts(OTHER_TENANT, PERIOD, ScoreBins())) == 1
        assert analytics.sla_tally(OTHER_TENANT, PERIOD, SLA_NOW) == SlaTally(1, 1, 0, 1)


def test_an_empty_period_counts_nothing(book: UnitOfWork) -> None:
    quiet = Period.of_days(date(2025, 1, 1), date(2025, 1, 31))
    with book:
        analytics = book.analytics
        assert analytics.applications_submitted(TENANT, quiet) == 0
        assert analytics.applications_by_day(TENANT, quiet) == []
        assert analytics.decision_tallies(TENANT, quiet) == []
        assert analytics.decisions_by_day(TENANT, quiet) == []
        assert list(analytics.score_counts(TENANT, quiet, ScoreBins())) == [0] * 11
        assert analytics.scoring_tallies(TENANT, quiet) == []
        assert analytics.sla_tally(TENANT, quiet, SLA_NOW) == SlaTally(0, 0, 0, 0)
