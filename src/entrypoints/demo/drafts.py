"""What the demo's analysts decide, and why, in the words an analyst would write.

Pure functions of the case (the model's recommendation, the score, the loan) and of a seeded
`random.Random`, so a seed gives the same decisions every time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.credit.application import ApplicationForm
from domain.credit.decisions import Condition, ConditionType, DecisionDraft, DecisionType, Terms
from domain.credit.routing import RoutingOutcome

#: A borderline case scoring at least this is approved by the demo's analysts, else declined.
APPROVE_FROM = 620.0
CONDITIONAL_SHARE = 0.3

_APPROVALS = (
    "Stable employment and the payment fits the budget with room to spare.",
    "Income verified against payslips; existing debts are modest.",
    "Long tenure with the employer and a clean repayment record.",
)
_DECLINES = (
    "Monthly payment would take too large a share of disposable income.",
    "Liabilities are high against income and savings are thin.",
    "Short employment history and arrears on record; the risk is too high.",
)
_CONDITIONS = (
    (ConditionType.DOCUMENTATION, "Payslips for the last three months"),
    (ConditionType.DOCUMENTATION, "Bank statements for the last six months"),
    (ConditionType.GUARANTOR, "A guarantor with a permanent contract co-signs the loan"),
)
_OVERRIDE_DECLINES = (
    "The business plan attached to the application does not cover the repayments in its "
    "first year; the score does not see the plan, and the applicant's sector is contracting.",
    "Bank statements show recurring gambling payments that the application does not declare; "
    "the model cannot see them and they put the repayments at risk.",
)
_OVERRIDE_APPROVALS = (
    "The applicant has a signed contract with a long-standing customer that covers the "
    "repayments; the data the model reads predates it.",
    "The arrears on record were a billing dispute settled in the applicant's favour, as the "
    "letter from the creditor confirms; without them the risk is acceptable.",
)
_REJECTIONS = (
    "The evidence given does not outweigh the model's view; decide within the policy.",
    "Please attach the documents the justification relies on before asking again.",
)
_APPROVALS_OF_OVERRIDES = (
    "Checked the documents; agreed.",
    "The justification holds; approved.",
)


def _terms(form: ApplicationForm) -> Terms:
    return Terms.requested(form.loan)


def agreeing_draft(
    form: ApplicationForm,
    score: float,
    recommended: RoutingOutcome,
    rng: random.Random,
    *,
    today: date,
    conditional: bool | None = None,
) -> DecisionDraft:
    """A decision that goes with the model: what it recommends, or the analyst's judgement of a
    borderline case. `conditional` forces (True) or forbids (False) conditions on an approval."""
    if recommended is RoutingOutcome.AUTO_DECLINE or (
        recommended is RoutingOutcome.HUMAN_REVIEW and score < APPROVE_FROM
    ):
        return DecisionDraft(
            DecisionType.ANALYST_DECLINE,
            reason_category="affordability",
            reasoning=rng.choice(_DECLINES),
        )
    with_conditions = rng.random() < CONDITIONAL_SHARE if conditional is None else conditional
    if not with_conditions:
        return DecisionDraft(
            DecisionType.ANALYST_APPROVE, terms=_terms(form), reasoning=rng.choice(_APPROVALS)
        )
    kind, text = rng.choice(_CONDITIONS)
    condition = Condition(kind, text, due_date=today + timedelta(days=14))
    return DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS,
        terms=_terms(form),
        conditions=(condition,),
        reasoning="Approvable once the listed documents are in.",
    )


def overriding_draft(
    form: ApplicationForm, recommended: RoutingOutcome, rng: random.Random
) -> DecisionDraft:
    """A decision against the model's recommendation (approve or decline), justified."""
    if recommended is RoutingOutcome.AUTO_APPROVE:
        return DecisionDraft(
            DecisionType.ANALYST_DECLINE,
            reason_category="other",
            reasoning="Declined against the model; see the override justification.",
            override_justification=rng.choice(_OVERRIDE_DECLINES),
        )
    return DecisionDraft(
        DecisionType.ANALYST_APPROVE,
        terms=_terms(form),
        reasoning="Approved against the model; see the override justification.",
        override_justification=rng.choice(_OVERRIDE_APPROVALS),
    )


def review_comment(rng: random.Random, *, approve: bool) -> str:
    return rng.choice(_APPROVALS_OF_OVERRIDES if approve else _REJECTIONS)


def can_override(recommended: RoutingOutcome) -> bool:
    """Whether deciding against the model is possible: it recommended one way."""
    return recommended is not RoutingOutcome.HUMAN_REVIEW
