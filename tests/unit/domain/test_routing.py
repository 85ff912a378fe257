from __future__ import annotations

from decimal import Decimal

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import LoanPurpose, LoanRequest
from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.money import Money
from domain.credit.routing import (
    InvalidPolicy,
    RoutingOutcome,
    RoutingPolicy,
    RoutingReason,
    route,
)

from .strategies import loans, policies, scores

Outcome = RoutingOutcome


@given(scores, scores, loans, policies())
def test_property_routing_is_monotone_in_score(
    a: float, b: float, loan: LoanRequest, policy: RoutingPolicy
) -> None:
    low, high = sorted((a, b))
    assert route(low, loan, policy).outcome.rank <= route(high, loan, policy).outcome.rank


@given(scores, loans, policies())
def test_property_rules_only_move_toward_review(
    score: float, loan: LoanRequest, policy: RoutingPolicy
) -> None:
    routed = route(score, loan, policy)
    assert routed.outcome in (policy.model_outcome(score), Outcome.HUMAN_REVIEW)
    if len(routed.reasons) > 1:  # a rule fired
        assert routed.outcome is Outcome.HUMAN_REVIEW


@given(scores, loans, policies(), st.sets(st.sampled_from(LoanPurpose)), st.integers(1, 480))
def test_property_a_stricter_policy_never_routes_closer_to_approval(
    score: float,
    loan: LoanRequest,
    policy: RoutingPolicy,
    more_purposes: set[LoanPurpose],
    shorter_term: int,
) -> None:
    stricter = evolve(
        policy,
        review_purposes=policy.review_purposes | more_purposes,
        max_term_months_auto=min(policy.max_term_months_auto, shorter_term),
        max_loan_amount_auto=policy.max_loan_amount_auto / 2,
    )
    before, after = route(score, loan, policy), route(score, loan, stricter)
    if before.outcome is not Outcome.AUTO_APPROVE:
        assert after.outcome is not Outcome.AUTO_APPROVE
    assert after.outcome in (before.outcome, Outcome.HUMAN_REVIEW)


@given(scores, loans, policies())
def test_property_the_score_reason_comes_first_and_the_version_is_recorded(
    score: float, loan: LoanRequest, policy: RoutingPolicy
) -> None:
    routed = route(score, loan, policy)
    score_reasons = {
        RoutingReason.SCORE_ABOVE_THRESHOLD,
        RoutingReason.SCORE_BELOW_THRESHOLD,
        RoutingReason.BORDERLINE_SCORE,
    }
    assert routed.reasons[0] in score_reasons
    assert not score_reasons & set(routed.reasons[1:])
    assert routed.policy_version == policy.version


@given(st.floats(300, 850), st.floats(0, 300))
def test_property_overlapping_thresholds_are_refused(approve_min: float, excess: float) -> None:
    with pytest.raises(InvalidPolicy, match="must stay below"):
        RoutingPolicy(
            version=1, auto_decline_max=approve_min + excess, auto_approve_min=approve_min
        )


def _loan(
    amount: str = "10000", term: int = 48, purpose: LoanPurpose = LoanPurpose.CAR
) -> LoanRequest:
    return LoanRequest(Money.of(amount, "EUR"), term, purpose, Decimal(8))


@pytest.mark.parametrize(
    ("score", "loan", "outcome", "reasons"),
    [
        (700, _loan(), Outcome.AUTO_APPROVE, ["score_above_threshold"]),
        (680, _loan(), Outcome.AUTO_APPROVE, ["score_above_threshold"]),
        (560, _loan(), Outcome.AUTO_DECLINE, ["score_below_threshold"]),
        (600, _loan(), Outcome.HUMAN_REVIEW, ["borderline_score"]),
        (700, _loan("60000"), Outcome.HUMAN_REVIEW, ["score_above_threshold", "high_value_loan"]),
        (700, _loan(term=120), Outcome.HUMAN_REVIEW, ["score_above_threshold", "long_term"]),
        (
            500,
            _loan(purpose=LoanPurpose.BUSINESS),
            Outcome.HUMAN_REVIEW,
            ["score_below_threshold", "purpose_review"],
        ),
    ],
)
def test_the_default_policy_routes_as_documented(
    score: float, loan: LoanRequest, outcome: Outcome, reasons: list[str]
) -> None:
    routed = route(score, loan, DEFAULT_ROUTING_POLICY)
    assert routed.outcome is outcome
    assert list(routed.reasons) == reasons


def test_a_currency_the_policy_does_not_cover_goes_to_a_person() -> None:
    loan = evolve(_loan(), amount=Money.of(900_000, "RSD"))
    routed = route(750, loan, DEFAULT_ROUTING_POLICY)
    assert routed.outcome is Outcome.HUMAN_REVIEW
    assert RoutingReason.CURRENCY_NOT_COVERED in routed.reasons
