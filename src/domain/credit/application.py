"""A loan application as a lender submits it, and as creditdesk keeps it.

`ApplicationForm` is what the applicant and lender said: who, what they earn and owe, what they
ask for. `Application` wraps a form with what creditdesk adds: identity, tenant, lifecycle status
and timestamps. Forms are checked by `domain.credit.validation`; nothing here trusts its input.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from attrs import asdict, field, frozen

from domain.credit.money import Money
from domain.credit.status import ApplicationStatus


class EmploymentType(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    RETIRED = "retired"
    STUDENT = "student"
    UNEMPLOYED = "unemployed"


class ContractType(StrEnum):
    """How secure the income is: a permanent contract weighs more than a temporary one."""

    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    TEMPORARY = "temporary"
    NONE = "none"


class LoanPurpose(StrEnum):
    PERSONAL = "personal"
    CAR = "car"
    HOME_IMPROVEMENT = "home_improvement"
    DEBT_CONSOLIDATION = "debt_consolidation"
    EDUCATION = "education"
    MEDICAL = "medical"
    BUSINESS = "business"
    TRAVEL = "travel"
    OTHER = "other"


@frozen
class PersonalInfo:
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str
    national_id: str


@frozen
class Address:
    street: str
    city: str
    postal_code: str
    country: str  # ISO 3166-1 alpha-2


@frozen
class Employment:
    employment_type: EmploymentType
    contract_type: ContractType
    years_employed: Decimal
    employer_name: str = ""


@frozen
class Applicant:
    personal: PersonalInfo
    address: Address
    employment: Employment


@frozen
class Financials:
    """Monthly flows and balances, all in the currency of the loan request."""

    net_monthly_income: Money
    other_monthly_income: Money
    monthly_expenses: Money
    existing_loan_payments: Money
    savings: Money
    other_assets: Money
    total_liabilities: Money

    def monthly_income(self) -> Money:
        return self.net_monthly_income + self.other_monthly_income


@frozen
class LoanRequest:
    amount: Money
    term_months: int
    purpose: LoanPurpose
    annual_rate_percent: Decimal


@frozen
class ApplicationForm:
    """Everything submitted for one loan; `external_id` is the lender's own reference.

    `attributes` carries what a lender knows beyond the schema (the price of the car, the
    housing situation, a bureau's grade), as text. Models may read them; attributes marked
    protected (see `domain.credit.reasons`) are kept for fairness monitoring and never read.
    """

    external_id: str
    applicant: Applicant
    financials: Financials
    loan: LoanRequest
    attributes: dict[str, str] = field(factory=dict, hash=False)


@frozen
class Application:
    """A stored application. Status moves only through `domain.credit.status`."""

    id: str
    tenant_id: str
    form: ApplicationForm
    status: ApplicationStatus
    submitted_at: datetime
    updated_at: datetime = field()

    @updated_at.default
    def _updated_defaults_to_submitted(self) -> datetime:
        return self.submitted_at


def form_fingerprint(form: ApplicationForm) -> str:
    """A SHA-256 of the form's content, independent of how its JSON was written.

    Two submissions under one idempotency key are "the same request" exactly when their forms
    have the same fingerprint: key order, white space and "12000" versus "12000.00" aside.
    """
    content = asdict(form, value_serializer=lambda _inst, _field, value: _canonical(value))
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
