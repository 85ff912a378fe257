"""The report arithmetic: overrides as the regulator defines them, breakdowns and analyst rows
that add up, and rates that are None rather than a made-up zero."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.credit.analytics import DecisionTally
from domain.credit.analytics_reports import (
    analyst_report,
    decision_breakdown,
    decision_totals,
    is_high_side_override,
    is_low_side_override,
)
from domain.credit.decisions import DecisionType
from domain.credit.routing import RoutingOutcome

T, R = DecisionType, RoutingOutcome


@st.composite
def a_tally(draw: st.DrawFn) -> DecisionTally:
    """Routing decides as `system`; people make every other kind of decision."""
    kind = draw(st.sampled_from(DecisionType))
    people = st.sampled_from(["user-a", "user-b", "user-c"])
    return DecisionTally(
        decided_by="system" if kind.is_automatic else draw(people),
        decision_type=kind,
        model_outcome=draw(st.sampled_from(RoutingOutcome)),
        decisions=draw(st.integers(1, 50)),
        review_seconds_total=draw(st.integers(0, 10_000)),
        reviewed=draw(st.integers(0, 50)),
    )


tallies = st.lists(a_tally(), max_size=30)


def test_an_override_goes_against_what_the_score_alone_recommended() -> None:
    def tally(kind: DecisionType, outcome: RoutingOutcome) -> DecisionTally:
        return DecisionTally("user-a", kind, outcome, 1)

    assert is_low_side_override(tally(T.ANALYST_APPROVE, R.AUTO_DECLINE))
    assert is_low_side_override(tally(T.ANALYST_APPROVE_WITH_CONDITIONS, R.AUTO_DECLINE))
    assert is_high_side_override(tally(T.ANALYST_DECLINE, R.AUTO_APPROVE))
    for agreeing in [
        tally(T.ANALYST_APPROVE, R.AUTO_APPROVE),
        tally(T.ANALYST_DECLINE, R.AUTO_DECLINE),
        tally(T.ANALYST_APPROVE, R.HUMAN_REVIEW),
        tally(T.ANALYST_DECLINE, R.HUMAN_REVIEW),
        tally(T.AUTO_APPROVE, R.AUTO_DECLINE),  # routing rules, not a person
    ]:
        assert not is_low_side_override(agreeing)
        assert not is_high_side_override(agreeing)


@given(tallies)
def test_the_breakdown_counts_sum_to_the_total(found: list[DecisionTally]) -> None:
    breakdown = decision_breakdown(found)
    assert [row.decision_type for row in breakdown.by_type] == list(DecisionType)
    assert sum(row.count for row in breakdown.by_type) == breakdown.total
    assert breakdown.total == sum(tally.decisions for tally in found)
    if breakdown.total:
        assert abs(sum(row.share or 0 for row in breakdown.by_type) - 1) < 1e-9
    else:
        assert all(row.share is None for row in breakdown.by_type)


@given(tallies)
def test_the_analyst_rows_add_up_to_the_tenant_row(found: list[DecisionTally]) -> None:
    report = analyst_report(found)
    rows, everyone = report.analysts, report.all_analysts
    assert "system" not in {row.analyst_id for row in rows}
    assert sum(row.decisions for row in rows) == everyone.decisions
    assert sum(row.low_side_overrides for row in rows) == everyone.low_side_overrides
    assert sum(row.high_side_overrides for row in rows) == everyone.high_side_overrides
    assert [row.decisions for row in rows] == sorted((row.decisions for row in rows), reverse=True)
    for row in [*rows, everyone]:
        assert row.low_side_overrides + row.high_side_overrides <= row.decisions
        for value in (row.approval_rate, row.override_rate, row.low_side_override_rate):
            assert value is None or 0 <= value <= 1
        assert (row.override_rate is None) == (row.decisions == 0)


@given(tallies)
def test_automatic_and_human_decisions_make_up_every_decision(found: list[DecisionTally]) -> None:
    totals = decision_totals(found)
    assert totals.automatic + totals.human == totals.decisions
    assert totals.human_approvals <= totals.approvals <= totals.decisions


def test_the_known_book_gives_the_hand_counted_rates() -> None:
    found = [
        DecisionTally("system", T.AUTO_APPROVE, R.AUTO_APPROVE, 1),
        DecisionTally("system", T.AUTO_DECLINE, R.AUTO_DECLINE, 1),
        DecisionTally("user-ana", T.ANALYST_APPROVE, R.AUTO_DECLINE, 1, 600, 1),
        DecisionTally("user-ana", T.ANALYST_DECLINE, R.AUTO_APPROVE, 1, 300, 1),
        DecisionTally("user-ana", T.ANALYST_APPROVE_WITH_CONDITIONS, R.HUMAN_REVIEW, 1),
        DecisionTally("user-bo", T.ANALYST_DECLINE, R.HUMAN_REVIEW, 1, 900, 1),
    ]
    totals = decision_totals(found)
    assert (totals.auto_decision_rate, totals.approval_rate) == (2 / 6, 3 / 6)
    assert totals.average_review_seconds == 600
    report = analyst_report(found)
    ana, bo = report.analysts
    assert (ana.analyst_id, ana.decisions, ana.approvals) == ("user-ana", 3, 2)
    assert (ana.low_side_override_rate, ana.high_side_override_rate) == (1 / 3, 1 / 3)
    assert (ana.override_rate, ana.average_review_seconds) == (2 / 3, 450)
    assert (bo.decisions, bo.approval_rate, bo.override_rate) == (1, 0.0, 0.0)
    assert report.all_analysts.low_side_override_rate == 1 / 4


def test_without_human_decisions_every_human_rate_is_none() -> None:
    report = analyst_report([DecisionTally("system", T.AUTO_APPROVE, R.AUTO_APPROVE, 5)])
    everyone = report.all_analysts
    assert report.analysts == ()
    assert everyone.decisions == 0
    assert everyone.approval_rate is None
    assert everyone.low_side_override_rate is None
    assert everyone.high_side_override_rate is None
    assert everyone.average_review_seconds is None
