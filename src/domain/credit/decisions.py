"""Decisions: what was decided on an application, by whom, on which terms and conditions.

Automatic decisions come from routing. An analyst's decision is checked as a whole (every problem
reported at once): an approval carries its terms, a conditional approval at least one condition,
a decline at least 20 characters of reasoning. A decision against the model is an override and
waits for a second person (see `domain.credit.overrides`) before it is final.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from attrs import evolve, field, frozen

from domain.credit import overrides
from domain.credit.application import LoanRequest
from domain.credit.features import annuity_payment
from domain.credit.money import Money
from domain.credit.overrides import Override
from domain.credit.routing import RoutingDecision, RoutingOutcome, RoutingPolicy
from domain.errors import ConflictError, Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

MIN_DECLINE_REASONING = 20
SYSTEM_ACTOR = "system"


class DecisionType(StrEnum):
    AUTO_APPROVE = "auto_approve"
    AUTO_DECLINE = "auto_decline"
    ANALYST_APPROVE = "analyst_approve"
    ANALYST_DECLINE = "analyst_decline"
    ANALYST_APPROVE_WITH_CONDITIONS = "analyst_approve_with_conditions"

    @property
    def approves(self) -> bool:
        return self in _APPROVING

    @property
    def is_automatic(self) -> bool:
        return self in (DecisionType.AUTO_APPROVE, DecisionType.AUTO_DECLINE)


_APPROVING = frozenset(
    {
        DecisionType.AUTO_APPROVE,
        DecisionType.ANALYST_APPROVE,
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS,
    }
)


class ConditionType(StrEnum):
    DOCUMENTATION = "documentation"
    COLLATERAL = "collateral"
    GUARANTOR = "guarantor"
    REDUCED_AMOUNT = "reduced_amount"
    REDUCED_TERM = "reduced_term"
    OTHER = "other"


class DecisionStatus(StrEnum):
    FINAL = "final"
    AWAITING_OVERRIDE_APPROVAL = "awaiting_override_approval"
    REVERTED = "reverted"


@frozen
class Terms:
    """What the customer is offered; the monthly payment always follows from the other three."""

    amount: Money
    term_months: int
    annual_rate_percent: Decimal
    monthly_payment: Money = field(init=False)

    @monthly_payment.default
    def _annuity(self) -> Money:
        return annuity_payment(self.amount, self.annual_rate_percent, self.term_months)

    @classmethod
    def requested(cls, loan: LoanRequest) -> Terms:
        return cls(loan.amount, loan.term_months, loan.annual_rate_percent)


@frozen
class Condition:
    condition_type: ConditionType
    description: str
    due_date: date | None = None
    adjusted_amount: Money | None = None
    adjusted_term_months: int | None = None
    fulfilled_at: datetime | None = None
    fulfilled_by: str | None = None


@frozen
class DecisionDraft:
    """What an analyst submits from the decision panel."""

    decision_type: DecisionType
    terms: Terms | None = None
    conditions: tuple[Condition, ...] = ()
    reason_category: str | None = None
    reasoning: str = ""
    override_justification: str | None = None


@frozen
class Decision:
    id: str
    tenant_id: str
    application_id: str
    decision_type: DecisionType
    decided_by: str
    decided_at: datetime
    status: DecisionStatus
    model_outcome: RoutingOutcome
    terms: Terms | None = None
    conditions: tuple[Condition, ...] = ()
    reason_category: str | None = None
    reasoning: str = ""
    adverse_action_codes: tuple[str, ...] = ()
    override: Override | None = None
    review_seconds: int | None = None

    @property
    def is_final(self) -> bool:
        return self.status is DecisionStatus.FINAL


def adjusted_terms(terms: Terms, conditions: tuple[Condition, ...]) -> Terms:
    """The terms after any reduced-amount or reduced-term condition, payment recomputed."""
    amount, months = terms.amount, terms.term_months
    for condition in conditions:
        if condition.condition_type is ConditionType.REDUCED_AMOUNT and condition.adjusted_amount:
            amount = condition.adjusted_amount
        if (
            condition.condition_type is ConditionType.REDUCED_TERM
            and condition.adjusted_term_months
        ):
            months = condition.adjusted_term_months
    return Terms(amount, months, terms.annual_rate_percent)


def _condition_problems(index: int, c: Condition, terms: Terms | None) -> Iterator[Problem]:
    path = f"conditions[{index}]"
    if not c.description.strip():
        yield Problem(f"{path}.description", "must say what is required")
    if c.condition_type is ConditionType.REDUCED_AMOUNT:
        new = c.adjusted_amount
        if new is None or new.amount <= 0:
            yield Problem(f"{path}.adjusted_amount", "a reduced amount must be given and positive")
        elif terms is not None and (new.currency != terms.amount.currency or new >= terms.amount):
            yield Problem(f"{path}.adjusted_amount", "must be below the approved amount")
    if c.condition_type is ConditionType.REDUCED_TERM:
        months = c.adjusted_term_months
        if months is None or months < 1:
            yield Problem(f"{path}.adjusted_term_months", "a reduced term must be at least 1 month")
        elif terms is not None and months >= terms.term_months:
            yield Problem(f"{path}.adjusted_term_months", "must be shorter than the approved term")


def draft_problems(draft: DecisionDraft) -> tuple[Problem, ...]:
    """Every problem with an analyst's draft, whatever the model said."""
    found: list[Problem] = []
    kind = draft.decision_type
    if kind.is_automatic:
        found.append(Problem("decision_type", "automatic decisions are made by routing only"))
    if kind.approves and draft.terms is None:
        found.append(Problem("terms", "an approval needs its terms"))
    if not kind.approves and draft.terms is not None:
        found.append(Problem("terms", "a decline carries no terms"))
    if kind is DecisionType.ANALYST_APPROVE_WITH_CONDITIONS and not draft.conditions:
        found.append(Problem("conditions", "a conditional approval needs at least one condition"))
    if kind is not DecisionType.ANALYST_APPROVE_WITH_CONDITIONS and draft.conditions:
        found.append(Problem("conditions", "only a conditional approval carries conditions"))
    for index, condition in enumerate(draft.conditions):
        found.extend(_condition_problems(index, condition, draft.terms))
    if not kind.approves and len(draft.reasoning.strip()) < MIN_DECLINE_REASONING:
        found.append(
            Problem("reasoning", f"a decline needs at least {MIN_DECLINE_REASONING} characters")
        )
    return tuple(found)


def decide(
    draft: DecisionDraft,
    *,
    decision_id: str,
    tenant_id: str,
    application_id: str,
    analyst: Principal,
    score: float,
    routing: RoutingPolicy,
    now: datetime,
    started_at: datetime | None = None,
) -> Decision:
    """An analyst's decision, checked whole; an override waits for a second person."""
    authorize(analyst, Permission.DECISION_CREATE)
    found = list(draft_problems(draft))
    direction = overrides.detect_override(score, routing, draft.decision_type.approves)
    override = None
    if direction is not None:
        authorize(analyst, Permission.DECISION_OVERRIDE)
        problem = overrides.justification_problem(draft.override_justification)
        if problem:
            found.append(Problem("override_justification", problem))
        override = Override(
            direction=direction,
            justification=(draft.override_justification or "").strip(),
            requested_by=analyst.user_id,
            requested_at=now,
        )
    if found:
        raise ValidationFailed(tuple(found))
    terms = draft.terms and adjusted_terms(draft.terms, draft.conditions)
    return Decision(
        id=decision_id,
        tenant_id=tenant_id,
        application_id=application_id,
        decision_type=draft.decision_type,
        decided_by=analyst.user_id,
        decided_at=now,
        status=DecisionStatus.AWAITING_OVERRIDE_APPROVAL if override else DecisionStatus.FINAL,
        model_outcome=routing.model_outcome(score),
        terms=terms,
        conditions=draft.conditions,
        reason_category=draft.reason_category,
        reasoning=draft.reasoning.strip(),
        override=override,
        review_seconds=None if started_at is None else int((now - started_at).total_seconds()),
    )


def automatic_decision(
    routed: RoutingDecision,
    *,
    decision_id: str,
    tenant_id: str,
    application_id: str,
    loan: LoanRequest,
    now: datetime,
    adverse_reasons: tuple[tuple[str, str], ...] = (),
) -> Decision:
    """The decision routing made alone; `adverse_reasons` are (code, statement) for a decline."""
    if routed.outcome is RoutingOutcome.HUMAN_REVIEW:
        raise ConflictError("a case routed to review is decided by a person")
    approve = routed.outcome is RoutingOutcome.AUTO_APPROVE
    return Decision(
        id=decision_id,
        tenant_id=tenant_id,
        application_id=application_id,
        decision_type=DecisionType.AUTO_APPROVE if approve else DecisionType.AUTO_DECLINE,
        decided_by=SYSTEM_ACTOR,
        decided_at=now,
        status=DecisionStatus.FINAL,
        model_outcome=routed.outcome,
        terms=Terms.requested(loan) if approve else None,
        reasoning="; ".join(statement for _code, statement in adverse_reasons),
        adverse_action_codes=tuple(code for code, _statement in adverse_reasons),
    )


def _settled_override(decision: Decision) -> Override:
    if (
        decision.override is None
        or decision.status is not DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    ):
        raise ConflictError(f"decision {decision.id} has no override awaiting approval")
    return decision.override


def approve_override(
    decision: Decision, *, reviewer: Principal, now: datetime, comment: str = ""
) -> Decision:
    """A second person approves the override; only now is the decision final."""
    reviewed = overrides.approve(
        _settled_override(decision), reviewer=reviewer, now=now, comment=comment
    )
    return evolve(decision, override=reviewed, status=DecisionStatus.FINAL)


def reject_override(
    decision: Decision, *, reviewer: Principal, now: datetime, comment: str
) -> Decision:
    """A second person rejects the override; the decision is reverted and the case goes back."""
    reviewed = overrides.reject(
        _settled_override(decision), reviewer=reviewer, now=now, comment=comment
    )
    return evolve(decision, override=reviewed, status=DecisionStatus.REVERTED)


def fulfil_condition(
    decision: Decision, index: int, *, actor: Principal, now: datetime
) -> Decision:
    """Record that condition `index` of a final conditional approval has been met."""
    authorize(actor, Permission.DECISION_CREATE)
    if not decision.is_final or not 0 <= index < len(decision.conditions):
        raise ConflictError(f"decision {decision.id} has no open condition {index}")
    condition = decision.conditions[index]
    if condition.fulfilled_at is not None:
        raise ConflictError(f"condition {index} of decision {decision.id} is already fulfilled")
    done = evolve(condition, fulfilled_at=now, fulfilled_by=actor.user_id)
    conditions = (*decision.conditions[:index], done, *decision.conditions[index + 1 :])
    return evolve(decision, conditions=conditions)
