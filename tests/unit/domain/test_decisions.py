from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.decisions import (
    Condition,
    ConditionType,
    Decision,
    DecisionDraft,
    DecisionStatus,
    DecisionType,
    Terms,
    approve_override,
    automatic_decision,
    decide,
    fulfil_condition,
    reject_override,
)
from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.features import annuity_payment
from domain.credit.money import Money
from domain.credit.overrides import (
    OverrideAlreadyReviewed,
    OverrideDirection,
    SelfApproval,
    detect_override,
)
from domain.credit.routing import RoutingOutcome, RoutingPolicy, route
from domain.errors import ConflictError, PermissionDenied, ValidationFailed
from domain.identity import Principal, Role

from .strategies import a_form, policies, scores

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
POLICY = DEFAULT_ROUTING_POLICY  # decline at 560 or below, approve at 680 or above
TERMS = Terms(Money.of(15_000, "EUR"), 60, Decimal("7.5"))
JUSTIFICATION = "Verified a new permanent contract with a 30% raise starting next month."

analyst = Principal("u-ana", "t-1", Role.ANALYST)
senior = Principal("u-sen", "t-1", Role.SENIOR_ANALYST)
other_senior = Principal("u-sen2", "t-1", Role.SENIOR_ANALYST)
people = st.sampled_from([analyst, senior, other_senior, Principal("u-adm", "t-1", Role.ADMIN)])


def _decide(draft: DecisionDraft, score: float = 620.0, who: Principal = analyst) -> Decision:
    return decide(
        draft,
        decision_id="d-1",
        tenant_id="t-1",
        application_id="a-1",
        analyst=who,
        score=score,
        routing=POLICY,
        now=NOW,
        started_at=NOW - timedelta(minutes=12),
    )


def test_a_plain_approval_is_final_with_its_payment() -> None:
    decision = _decide(DecisionDraft(DecisionType.ANALYST_APPROVE, terms=TERMS))
    assert decision.is_final
    assert decision.terms is not None
    assert decision.terms.monthly_payment == Money.of("300.57", "EUR")
    assert decision.review_seconds == 720


def test_every_problem_of_a_draft_is_reported_at_once() -> None:
    draft = DecisionDraft(
        DecisionType.ANALYST_DECLINE,
        terms=TERMS,
        conditions=(Condition(ConditionType.DOCUMENTATION, ""),),
        reasoning="too risky",
    )
    with pytest.raises(ValidationFailed) as caught:
        _decide(draft)
    assert [p.path for p in caught.value.problems] == [
        "terms",
        "conditions",
        "conditions[0].description",
        "reasoning",
    ]


@given(st.text(max_size=19))
def test_property_a_decline_needs_twenty_characters_of_reasoning(reasoning: str) -> None:
    with pytest.raises(ValidationFailed, match="at least 20 characters"):
        _decide(DecisionDraft(DecisionType.ANALYST_DECLINE, reasoning=reasoning))


def test_a_conditional_approval_needs_a_condition() -> None:
    with pytest.raises(ValidationFailed, match="at least one condition"):
        _decide(DecisionDraft(DecisionType.ANALYST_APPROVE_WITH_CONDITIONS, terms=TERMS))


@given(st.integers(min_value=100, max_value=14_999), st.integers(min_value=1, max_value=59))
def test_property_adjusted_terms_recompute_the_monthly_payment(amount: int, months: int) -> None:
    conditions = (
        Condition(
            ConditionType.REDUCED_AMOUNT, "Lower amount", adjusted_amount=Money.of(amount, "EUR")
        ),
        Condition(ConditionType.REDUCED_TERM, "Shorter term", adjusted_term_months=months),
        Condition(ConditionType.DOCUMENTATION, "Three payslips", due_date=date(2026, 12, 1)),
    )
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS, terms=TERMS, conditions=conditions
    )
    terms = _decide(draft).terms
    assert terms is not None
    assert (terms.amount, terms.term_months) == (Money.of(amount, "EUR"), months)
    assert terms.monthly_payment == annuity_payment(Money.of(amount, "EUR"), Decimal("7.5"), months)


def test_a_reduced_amount_must_be_below_the_approved_one() -> None:
    bigger = Condition(
        ConditionType.REDUCED_AMOUNT, "More", adjusted_amount=Money.of(20_000, "EUR")
    )
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS, terms=TERMS, conditions=(bigger,)
    )
    with pytest.raises(ValidationFailed, match="below the approved amount"):
        _decide(draft)


@given(scores, policies(), st.booleans())
def test_property_an_override_is_exactly_a_decision_against_the_model(
    score: float, policy: RoutingPolicy, approves: bool
) -> None:
    direction = detect_override(score, policy, approves)
    model = policy.model_outcome(score)
    against = (model is RoutingOutcome.AUTO_APPROVE and not approves) or (
        model is RoutingOutcome.AUTO_DECLINE and approves
    )
    assert (direction is not None) == against


def test_declining_what_the_model_would_approve_needs_fifty_characters() -> None:
    draft = DecisionDraft(DecisionType.ANALYST_DECLINE, reasoning="Income could not be verified.")
    with pytest.raises(ValidationFailed, match="at least 50 characters"):
        _decide(draft, score=700)
    decision = _decide(
        DecisionDraft(
            DecisionType.ANALYST_DECLINE,
            reasoning="Income could not be verified.",
            override_justification="Payslips do not match the bank statements of the last 3 months",
        ),
        score=700,
    )
    assert decision.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    assert decision.override is not None
    assert decision.override.direction is OverrideDirection.MODEL_APPROVE_ANALYST_DECLINE


def _override() -> Decision:
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE, terms=TERMS, override_justification=JUSTIFICATION
    )
    return _decide(draft, score=500)


@given(st.lists(st.tuples(people, st.booleans()), max_size=6))
def test_property_an_override_is_never_final_without_a_second_person(
    attempts: list[tuple[Principal, bool]],
) -> None:
    decision = _override()
    for reviewer, approving in attempts:
        try:
            if approving:
                decision = approve_override(decision, reviewer=reviewer, now=NOW)
            else:
                decision = reject_override(decision, reviewer=reviewer, now=NOW, comment="No.")
        except (PermissionDenied, ConflictError):
            continue
    if decision.is_final:
        assert decision.override is not None
        assert decision.override.reviewed_by not in (None, decision.decided_by)
        assert decision.override.reviewed_by != analyst.user_id


def test_the_author_cannot_approve_their_own_override() -> None:
    decision = _decide(
        DecisionDraft(
            DecisionType.ANALYST_APPROVE, terms=TERMS, override_justification=JUSTIFICATION
        ),
        score=500,
        who=senior,
    )
    with pytest.raises(SelfApproval):
        approve_override(decision, reviewer=senior, now=NOW)
    approved = approve_override(decision, reviewer=other_senior, now=NOW, comment="Agreed.")
    assert approved.is_final
    with pytest.raises(ConflictError):
        approve_override(approved, reviewer=other_senior, now=NOW)


def test_an_analyst_cannot_approve_overrides_and_a_rejection_reverts() -> None:
    decision = _override()
    with pytest.raises(PermissionDenied, match="decision:approve_override"):
        approve_override(decision, reviewer=Principal("u-x", "t-1", Role.ANALYST), now=NOW)
    reverted = reject_override(decision, reviewer=senior, now=NOW, comment="Payslips missing.")
    assert reverted.status is DecisionStatus.REVERTED
    with pytest.raises((OverrideAlreadyReviewed, ConflictError)):
        reject_override(reverted, reviewer=other_senior, now=NOW, comment="Again.")


def test_a_rejection_must_say_why() -> None:
    with pytest.raises(ValidationFailed, match="comment"):
        reject_override(_override(), reviewer=senior, now=NOW, comment="  ")


def test_automatic_decisions_come_from_routing() -> None:
    form = a_form()
    approved = automatic_decision(
        route(700, form.loan, POLICY),
        decision_id="d-2",
        tenant_id="t-1",
        application_id="a-1",
        loan=form.loan,
        now=NOW,
    )
    assert (approved.decision_type, approved.decided_by) == (DecisionType.AUTO_APPROVE, "system")
    assert approved.terms == Terms.requested(form.loan)
    declined = automatic_decision(
        route(500, form.loan, POLICY),
        decision_id="d-3",
        tenant_id="t-1",
        application_id="a-1",
        loan=form.loan,
        now=NOW,
        adverse_reasons=(("R01", "Excessive obligations in relation to income"),),
    )
    assert declined.adverse_action_codes == ("R01",)
    with pytest.raises(ConflictError):
        automatic_decision(
            route(600, form.loan, POLICY),
            decision_id="d-4",
            tenant_id="t-1",
            application_id="a-1",
            loan=form.loan,
            now=NOW,
        )


def test_conditions_are_fulfilled_once() -> None:
    conditions = (Condition(ConditionType.DOCUMENTATION, "Three payslips"),)
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS, terms=TERMS, conditions=conditions
    )
    decision = fulfil_condition(_decide(draft), 0, actor=analyst, now=NOW)
    assert decision.conditions[0].fulfilled_by == analyst.user_id
    with pytest.raises(ConflictError, match="already fulfilled"):
        fulfil_condition(decision, 0, actor=analyst, now=NOW)
    with pytest.raises(ConflictError):
        fulfil_condition(decision, 3, actor=analyst, now=NOW)
