"""The workbench's view of one case and its factor chart: pure functions, tested without a page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from adapters.serialization import unstructure
from application.credit.application_detail import ApplicationDetail
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.factors import FeatureReading
from domain.credit.features import derive_features
from domain.credit.queue import QueueStatus
from domain.credit.routing import RoutingReason
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from entrypoints.web import workbench_factors as words
from entrypoints.web import workbench_view as view
from entrypoints.web.factor_chart import MAX_BARS, FactorInput, factor_chart, strongest
from tests.builders import (
    a_decision,
    a_principal,
    a_queue_entry,
    a_scoring_result,
    an_application,
    an_application_form,
    eur,
)

ANALYST = a_principal(Role.ANALYST)
SENIOR = a_principal(Role.SENIOR_ANALYST)


def a_detail(**changes: Any) -> ApplicationDetail:
    detail = ApplicationDetail(
        application=an_application(status=ApplicationStatus.REVIEW),
        scoring=a_scoring_result(),
        queue_entry=a_queue_entry(status=QueueStatus.IN_PROGRESS, analyst_id=ANALYST.user_id),
        decisions=(),
        similar=(),
    )
    return evolve(detail, **changes)


def an_input(feature: str, contribution: float) -> FactorInput:
    return FactorInput(feature, feature, f"{feature} said", contribution)


contributions = st.lists(
    st.tuples(
        st.text("abcdefgh", min_size=1, max_size=6),
        st.floats(-5, 5, allow_nan=False).filter(lambda x: x != 0),
    ),
    max_size=12,
    unique_by=lambda pair: pair[0],
)


@given(contributions)
def test_the_chart_shows_the_strongest_factors_by_size_each_on_its_side(
    pairs: list[tuple[str, float]],
) -> None:
    chart = factor_chart([an_input(name, value) for name, value in pairs])
    sizes = [abs(bar.contribution) for bar in chart.bars]
    assert sizes == sorted(sizes, reverse=True)
    assert len(chart.bars) == min(len(pairs), MAX_BARS)
    for bar in chart.bars:
        assert bar.width >= 0
        assert bar.x >= 0
        assert bar.x + bar.width <= chart.width
        if bar.toward_default:
            assert bar.x == pytest.approx(chart.zero_x, abs=0.01)
        else:
            assert bar.x + bar.width == pytest.approx(chart.zero_x, abs=0.02)
        assert bar.y >= chart.plot_top
        assert bar.y + bar.height <= chart.plot_bottom
    ys = [bar.y for bar in chart.bars]
    assert ys == sorted(ys)


def test_bar_lengths_are_in_proportion_to_the_contributions() -> None:
    chart = factor_chart([an_input("a", 0.8), an_input("b", -0.4), an_input("c", 0.2)])
    a, b, c = chart.bars
    assert (a.feature, b.feature, c.feature) == ("a", "b", "c")
    assert b.width == pytest.approx(a.width / 2, abs=0.01)
    assert c.width == pytest.approx(a.width / 4, abs=0.01)
    assert a.toward_default
    assert not b.toward_default


def test_zero_contributions_are_left_out_and_ties_go_by_name() -> None:
    chosen = strongest([an_input("b", 0.5), an_input("a", -0.5), an_input("z", 0.0)])
    assert [f.feature for f in chosen] == ["a", "b"]
    assert factor_chart([]).bars == ()


def test_a_broken_contribution_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        factor_chart([an_input("a", float("nan"))])


def test_factors_read_in_plain_words_and_a_protected_one_is_never_shown() -> None:
    form = evolve(an_application_form(), attributes={"home": "owner", "purchase_price": "15000"})
    read = words.readings(form, derive_features(form))
    shown = words.factor_inputs(
        {"debt_to_income": 0.5, "age": 0.9, "home": -0.2, "purchase_price": 0.1,
         "loan_to_price": 0.3, "assets_minus_liabilities": 0.2, "unknown": 0.1}, read
    )  # fmt: skip
    said = {f.feature: f.statement for f in shown}
    assert "age" not in said
    assert said["debt_to_income"].startswith("Debt-to-income ")
    assert said["debt_to_income"].endswith("%")
    assert said["home"] == "Home: owner"
    assert said["purchase_price"] == "Purchase price 15,000"
    assert said["loan_to_price"] == f"Loan to price {12_000 / 15_000:.0%}"
    assert "e+" not in said["assets_minus_liabilities"]
    assert said["unknown"] == "Unknown not given"


def test_the_recommendation_is_what_the_score_alone_said() -> None:
    detail = a_detail()
    assert detail.scoring is not None
    for reason, expected in [
        (RoutingReason.SCORE_ABOVE_THRESHOLD, "approve"),
        (RoutingReason.SCORE_BELOW_THRESHOLD, "decline"),
        (RoutingReason.BORDERLINE_SCORE, None),
    ]:
        routing = evolve(detail.scoring.routing, reasons=(reason, RoutingReason.PURPOSE_REVIEW))
        scored = evolve(detail, scoring=evolve(detail.scoring, routing=routing))
        assert view.recommendation(scored) == expected
    unscored = a_detail(scoring=None)
    assert view.recommendation(unscored) is None  # the entry's reason is a borderline score
    assert view.recommendation(a_detail(scoring=None, queue_entry=None)) is None


def test_where_the_case_stands_for_whoever_looks() -> None:
    assert view.case_state(a_detail(), ANALYST) == view.CaseState(
        "held_by_you", "Held by you", can_decide=True
    )
    held = view.case_state(a_detail(), a_principal(Role.ANALYST, user_id="someone-else"))
    assert (held.key, held.can_decide) == ("held_by_other", False)
    assert view.case_state(a_detail(), SENIOR).can_decide  # a senior may take a case over
    assert view.case_state(a_detail(queue_entry=a_queue_entry()), ANALYST).can_take
    awaiting = a_decision(status=DecisionStatus.AWAITING_OVERRIDE_APPROVAL)
    assert view.case_state(a_detail(decisions=(awaiting,)), ANALYST).key == "awaiting_approval"
    approved = an_application(status=ApplicationStatus.APPROVED)
    closed = view.case_state(a_detail(application=approved, queue_entry=None), ANALYST)
    assert (closed.label, closed.can_decide, closed.can_take) == ("Approved", False, False)


def test_the_case_version_changes_with_what_others_do_to_the_case() -> None:
    detail = a_detail()
    version = view.case_version(unstructure(detail))
    assert view.case_version(unstructure(detail)) == version
    entry = detail.queue_entry
    assert entry is not None
    changed = [
        a_detail(decisions=(a_decision(),)),
        a_detail(queue_entry=evolve(entry, release_count=1)),
        a_detail(queue_entry=evolve(entry, analyst_id="someone-else")),
        a_detail(application=evolve(detail.application, updated_at=entry.sla_deadline)),
    ]
    assert all(view.case_version(unstructure(other)) != version for other in changed)
    started = a_detail(queue_entry=evolve(entry, status=QueueStatus.ASSIGNED))
    assert view.case_version(unstructure(started)) == version  # opening it is not a change


def test_the_history_is_newest_first_and_names_the_viewer_you() -> None:
    older = a_decision(id="d-1", decided_by=ANALYST.user_id)
    newer = a_decision(
        id="d-2", decision_type=DecisionType.ANALYST_DECLINE, decided_by="someone-else"
    )
    first, second = view.history((older, newer), ANALYST)
    assert (first.decision_id, first.label, first.decided_by) == ("d-2", "Declined", "someone-else")
    assert (second.label, second.decided_by, second.status) == ("Approved", "you", "final")
    assert second.terms.startswith("12,000.00 EUR over 48 months at 7.9%")


def test_neighbours_walk_the_queue_order() -> None:
    order = ("a", "b", "c")
    assert view.neighbours(order, "b") == ("a", "c")
    assert view.neighbours(order, "a") == (None, "b")
    assert view.neighbours(order, "c") == ("b", None)
    assert view.neighbours(order, "x") == (None, "a")
    assert view.neighbours((), "x") == (None, None)


def test_amounts_and_ratios_read_as_people_write_them() -> None:
    assert view.money(eur("12000.5")) == "12,000.50 EUR"
    assert view.money(Decimal("-3.456"), "EUR") == "-3.46 EUR"
    assert view.percent(0.3456) == "34.6%"
    ratios = {
        f.label: f.value for f in view.ratio_facts(derive_features(an_application_form()), "EUR")
    }
    assert ratios["Debt-to-income"].endswith("%")
    assert ratios["Monthly payment requested"].endswith(" EUR")


def test_unread_features_are_derived_from_the_form_when_the_case_was_never_scored() -> None:
    detail = a_detail(scoring=None)
    assert view.features_of(detail) == derive_features(detail.application.form)
    assert words.readings(detail.application.form, view.features_of(detail))[
        "loan_purpose"
    ] == FeatureReading(None, category=detail.application.form.loan.purpose.value)
