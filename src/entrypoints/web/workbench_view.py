"""What the workbench shows of one case, built from the application's detail without I/O.

Everything here is a pure function of what `GetApplicationDetail` returns (and who is looking),
so the page handler only fetches and renders, and each rule of presentation is unit tested:
how a ratio or an amount reads, what the model recommended, where the case stands, and the
case's version, which the page's script compares with the API's answer to refuse a stale draft
or a decision on a case changed elsewhere. The factors' words are `workbench_factors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from application.credit.application_detail import ApplicationDetail
from domain.credit.application import ApplicationForm
from domain.credit.decisions import Decision, DecisionStatus, DecisionType
from domain.credit.features import Features, derive_features
from domain.credit.money import Money
from domain.credit.queue import QueueStatus
from domain.credit.routing import RoutingReason
from domain.identity import Permission, Principal, can

#: Why a decline is made, as the decision's `reason_category` records it.
REASON_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("affordability", "Affordability"),
    ("credit_history", "Credit history"),
    ("employment", "Employment or income stability"),
    ("documentation", "Missing or inconsistent documents"),
    ("policy", "Outside lending policy"),
    ("fraud_suspicion", "Suspicion of fraud"),
    ("other", "Other"),
)
#: Wordings an analyst may start a decline's reasoning from (each long enough on its own).
DECLINE_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Affordability", "The monthly payment leaves too little income after existing obligations "
     "and living costs."),
    ("Employment", "Income is not stable enough: the employment is recent or on a temporary "
     "contract."),
    ("Documents", "The documents provided do not support the income and liabilities stated in "
     "the application."),
)  # fmt: skip
DECISION_LABELS = {
    DecisionType.AUTO_APPROVE: "Approved automatically",
    DecisionType.AUTO_DECLINE: "Declined automatically",
    DecisionType.ANALYST_APPROVE: "Approved",
    DecisionType.ANALYST_DECLINE: "Declined",
    DecisionType.ANALYST_APPROVE_WITH_CONDITIONS: "Approved with conditions",
}
STATUS_LABELS = {
    DecisionStatus.FINAL: "final",
    DecisionStatus.AWAITING_OVERRIDE_APPROVAL: "awaiting approval",
    DecisionStatus.REVERTED: "reverted",
}


@frozen
class Fact:
    label: str
    value: str


@frozen
class CaseState:
    """Where the case stands for the person looking, and what they may do with it."""

    key: str
    label: str
    can_decide: bool = False
    can_take: bool = False


@frozen
class HistoryItem:
    decision_id: str
    label: str
    status: str
    decided_by: str
    decided_at: str
    terms: str
    reasoning: str
    conditions: tuple[str, ...]
    override: str


def money(value: Money | Decimal, currency: str = "") -> str:
    """ "12,000.00 EUR": grouped, to the cent, with the currency after the amount."""
    amount, code = (value.amount, value.currency) if isinstance(value, Money) else (value, currency)
    return f"{amount:,.2f} {code}".strip()


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def features_of(detail: ApplicationDetail) -> Features:
    """The features the model read, else the same derivation from the form (unscored case)."""
    return detail.scoring.features if detail.scoring else derive_features(detail.application.form)


def applicant_facts(form: ApplicationForm) -> tuple[Fact, ...]:
    person, job = form.applicant.personal, form.applicant.employment
    return (
        Fact("Name", f"{person.first_name} {person.last_name}"),
        Fact("Reference", form.external_id),
        Fact("Lives in", f"{form.applicant.address.city}, {form.applicant.address.country}"),
        Fact("Employment", job.employment_type.value.replace("_", " ")),
        Fact("Contract", job.contract_type.value.replace("_", " ")),
        Fact("Years employed", f"{job.years_employed}"),
    )


def financial_facts(form: ApplicationForm) -> tuple[Fact, ...]:
    f, loan = form.financials, form.loan
    return (
        Fact("Net monthly income", money(f.net_monthly_income)),
        Fact("Other monthly income", money(f.other_monthly_income)),
        Fact("Monthly expenses", money(f.monthly_expenses)),
        Fact("Existing loan payments", money(f.existing_loan_payments)),
        Fact("Savings", money(f.savings)),
        Fact("Other assets", money(f.other_assets)),
        Fact("Total liabilities", money(f.total_liabilities)),
        Fact("Amount requested", money(loan.amount)),
        Fact("Term", f"{loan.term_months} months"),
        Fact("Annual rate", f"{loan.annual_rate_percent}%"),
        Fact("Purpose", loan.purpose.value.replace("_", " ")),
    )


def ratio_facts(features: Features, currency: str) -> tuple[Fact, ...]:
    return (
        Fact("Debt-to-income", percent(features.debt_to_income)),
        Fact("Payment-to-income", percent(features.payment_to_income)),
        Fact("Loan-to-income (yearly)", percent(features.loan_to_income)),
        Fact("Savings compared with the loan", percent(features.savings_ratio)),
        Fact("Existing debt compared with the loan", percent(features.existing_debt_ratio)),
        Fact("Employment stability", f"{features.employment_stability:.1f} years"),
        Fact(
            "Monthly disposable income", money(Decimal(str(features.disposable_income)), currency)
        ),
        Fact("Monthly payment requested", money(features.monthly_payment, currency)),
    )


def recommendation(detail: ApplicationDetail) -> str | None:
    """ "approve" or "decline" when the score alone said so, None for a borderline score: the
    score's reason comes first in the routing reasons (`domain.credit.routing.route`)."""
    if detail.scoring is not None:
        reasons: Sequence[str] = detail.scoring.routing.reasons
    elif detail.queue_entry is not None:
        reasons = detail.queue_entry.routing_reasons
    else:
        return None
    first = reasons[0] if reasons else ""
    if first == RoutingReason.SCORE_ABOVE_THRESHOLD:
        return "approve"
    if first == RoutingReason.SCORE_BELOW_THRESHOLD:
        return "decline"
    return None


def case_version(body: Mapping[str, Any]) -> str:
    """The case's version from the API's detail JSON (`unstructure(detail)`): it changes when
    the application is updated, decided, released or handed to someone else. `workbench.js`
    computes the same from `GET /api/v1/applications/{id}`; keep the two in step."""
    entry = body.get("queue_entry") or {}
    parts = (
        body["application"]["updated_at"],
        str(len(body.get("decisions") or ())),
        entry.get("id") or "",
        entry.get("analyst_id") or "",
        str(entry.get("release_count", 0)),
    )
    return "|".join(parts)


def case_state(detail: ApplicationDetail, principal: Principal) -> CaseState:
    awaiting = [
        d for d in detail.decisions if d.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    ]
    if awaiting:
        return CaseState("awaiting_approval", "Awaiting approval of the override")
    status = detail.application.status
    entry = detail.queue_entry
    if status.is_final:
        return CaseState("closed", status.value.capitalize())
    if entry is None:
        return CaseState("closed", f"Not in the queue ({status.value})")
    if entry.status is QueueStatus.PENDING:
        return CaseState("pending", "Waiting in the queue, held by nobody", can_take=True)
    if entry.analyst_id == principal.user_id:
        return CaseState("held_by_you", "Held by you", can_decide=True)
    return CaseState(
        "held_by_other",
        "Held by another analyst",
        can_decide=can(principal, Permission.QUEUE_ASSIGN),
    )


def history(decisions: Sequence[Decision], principal: Principal) -> tuple[HistoryItem, ...]:
    """Every decision on the application, newest first."""
    items = []
    for d in reversed(decisions):
        terms = d.terms
        items.append(
            HistoryItem(
                decision_id=d.id,
                label=DECISION_LABELS[d.decision_type],
                status=STATUS_LABELS[d.status],
                decided_by="you" if d.decided_by == principal.user_id else d.decided_by,
                decided_at=d.decided_at.strftime("%Y-%m-%d %H:%M UTC"),
                terms=""
                if terms is None
                else f"{money(terms.amount)} over {terms.term_months} months at "
                f"{terms.annual_rate_percent}%: {money(terms.monthly_payment)} a month",
                reasoning=d.reasoning,
                conditions=tuple(
                    f"{c.condition_type.value.replace('_', ' ')}: {c.description}"
                    + (f" (due {c.due_date.isoformat()})" if c.due_date else "")
                    for c in d.conditions
                ),
                override="" if d.override is None else d.override.justification,
            )
        )
    return tuple(items)


def neighbours(order: Sequence[str], current: str) -> tuple[str | None, str | None]:
    """The applications before and after `current` in the analyst's queue order; the first of
    the queue comes next when `current` is not in it."""
    if current not in order:
        return None, (order[0] if order else None)
    at = order.index(current)
    return (order[at - 1] if at > 0 else None), (order[at + 1] if at + 1 < len(order) else None)
