"""Routing: which applications the machine may decide alone, and which need a person.

The score decides first: at or above `auto_approve_min` the model would approve, at or below
`auto_decline_max` it would decline, in between a person reviews. Then the policy's rules can
only make things more careful: a large amount, a long term, a sensitive purpose or a currency the
policy does not cover sends any case to review, never toward approval. Policies are versioned,
and every result records the version that produced it.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from attrs import field, frozen

from domain.credit.application import LoanPurpose, LoanRequest
from domain.errors import DomainError


class InvalidPolicy(DomainError):
    """A routing policy whose thresholds overlap or whose limits make no sense."""


class RoutingOutcome(StrEnum):
    AUTO_DECLINE = "auto_decline"
    HUMAN_REVIEW = "human_review"
    AUTO_APPROVE = "auto_approve"

    @property
    def rank(self) -> int:
        """Declining < review < approving: the order in which routing must be monotone."""
        return _RANK[self]


_RANK = {
    RoutingOutcome.AUTO_DECLINE: 0,
    RoutingOutcome.HUMAN_REVIEW: 1,
    RoutingOutcome.AUTO_APPROVE: 2,
}


class RoutingReason(StrEnum):
    SCORE_ABOVE_THRESHOLD = "score_above_threshold"
    SCORE_BELOW_THRESHOLD = "score_below_threshold"
    BORDERLINE_SCORE = "borderline_score"
    HIGH_VALUE_LOAN = "high_value_loan"
    LONG_TERM = "long_term"
    PURPOSE_REVIEW = "purpose_review"
    CURRENCY_NOT_COVERED = "currency_not_covered"
    #: A language model's second opinion disagreed with an automatic outcome
    #: (`domain.credit.second_opinion.with_second_opinion`); it only ever adds review.
    SECOND_OPINION = "second_opinion"


def _thresholds_ordered(policy: RoutingPolicy, _attribute: object, value: float) -> None:
    if not policy.auto_decline_max < value:
        raise InvalidPolicy(
            f"auto_decline_max ({policy.auto_decline_max:g}) must stay below "
            f"auto_approve_min ({value:g})"
        )


def _positive(_policy: RoutingPolicy, attribute: object, value: Decimal | int) -> None:
    if value <= 0:
        raise InvalidPolicy(f"{getattr(attribute, 'name', 'limit')} must be positive")


@frozen
class RoutingPolicy:
    """One version of the thresholds and rules a tenant routes by."""

    version: int
    auto_decline_max: float
    auto_approve_min: float = field(validator=_thresholds_ordered)
    currency: str = "EUR"
    max_loan_amount_auto: Decimal = field(default=Decimal(50_000), validator=_positive)
    max_term_months_auto: int = field(default=84, validator=_positive)
    review_purposes: frozenset[LoanPurpose] = frozenset()

    def model_outcome(self, score: float) -> RoutingOutcome:
        """What the score alone would do, before any rule."""
        if score >= self.auto_approve_min:
            return RoutingOutcome.AUTO_APPROVE
        if score <= self.auto_decline_max:
            return RoutingOutcome.AUTO_DECLINE
        return RoutingOutcome.HUMAN_REVIEW


@frozen
class RoutingDecision:
    outcome: RoutingOutcome
    reasons: tuple[RoutingReason, ...]
    policy_version: int

    @property
    def needs_review(self) -> bool:
        return self.outcome is RoutingOutcome.HUMAN_REVIEW


_SCORE_REASON = {
    RoutingOutcome.AUTO_APPROVE: RoutingReason.SCORE_ABOVE_THRESHOLD,
    RoutingOutcome.AUTO_DECLINE: RoutingReason.SCORE_BELOW_THRESHOLD,
    RoutingOutcome.HUMAN_REVIEW: RoutingReason.BORDERLINE_SCORE,
}


def rule_reasons(loan: LoanRequest, policy: RoutingPolicy) -> tuple[RoutingReason, ...]:
    """Every rule of `policy` that says this loan needs a person, in a fixed order."""
    reasons: list[RoutingReason] = []
    if loan.amount.currency != policy.currency:
        reasons.append(RoutingReason.CURRENCY_NOT_COVERED)
    elif loan.amount.amount > policy.max_loan_amount_auto:
        reasons.append(RoutingReason.HIGH_VALUE_LOAN)
    if loan.term_months > policy.max_term_months_auto:
        reasons.append(RoutingReason.LONG_TERM)
    if loan.purpose in policy.review_purposes:
        reasons.append(RoutingReason.PURPOSE_REVIEW)
    return tuple(reasons)


def route(score: float, loan: LoanRequest, policy: RoutingPolicy) -> RoutingDecision:
    """The outcome for a scored loan and every reason behind it (the score's reason first)."""
    by_score = policy.model_outcome(score)
    rules = rule_reasons(loan, policy)
    outcome = RoutingOutcome.HUMAN_REVIEW if rules else by_score
    return RoutingDecision(outcome, (_SCORE_REASON[by_score], *rules), policy.version)
