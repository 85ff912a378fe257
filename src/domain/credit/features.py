"""Affordability features derived from an application form.

These are the numbers a credit officer reads first, and the same code feeds the scorecard, the
machine-learning model and the workbench, so training and live scoring can never disagree.

Division by zero has one policy, `ratio()`: a zero (or negative) denominator gives 0.0 when the
numerator is also zero and `RATIO_CAP` otherwise, and every ratio is clamped to [0, RATIO_CAP].
A ratio is therefore always a finite float: "no income but debts" reads as the worst bin of any
table rather than as infinity or a missing value that a model might treat as neutral.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from attrs import asdict, fields, frozen

from domain.credit.application import ApplicationForm, ContractType, EmploymentType, LoanRequest
from domain.credit.money import Money

RATIO_CAP = 100.0
MAX_STABLE_YEARS = Decimal(40)

#: How much a year of employment counts, by contract: secure income counts in full.
CONTRACT_WEIGHT = MappingProxyType(
    {
        ContractType.PERMANENT: Decimal("1.0"),
        ContractType.FIXED_TERM: Decimal("0.7"),
        ContractType.TEMPORARY: Decimal("0.4"),
        ContractType.NONE: Decimal("0.0"),
    }
)

#: Weights for people without an employment contract, whose income has its own kind of security.
EMPLOYMENT_WEIGHT = MappingProxyType(
    {
        EmploymentType.SELF_EMPLOYED: Decimal("0.8"),
        EmploymentType.RETIRED: Decimal("1.0"),
        EmploymentType.STUDENT: Decimal("0.2"),
        EmploymentType.UNEMPLOYED: Decimal("0.0"),
    }
)


def ratio(numerator: Decimal, denominator: Decimal) -> float:
    """numerator / denominator under the module's one division policy (see the module doc)."""
    if denominator <= 0:
        return 0.0 if numerator <= 0 else RATIO_CAP
    value = float(numerator / denominator)
    return min(max(value, 0.0), RATIO_CAP)


def monthly_payment(loan: LoanRequest) -> Money:
    """The level (annuity) monthly payment that repays the loan over its term.

    With a zero rate the payment is simply amount / term; otherwise
    P * r / (1 - (1 + r) ** -n) with r the monthly rate.
    """
    return annuity_payment(loan.amount, loan.annual_rate_percent, loan.term_months)


def annuity_payment(amount: Money, annual_rate_percent: Decimal, term_months: int) -> Money:
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    rate = annual_rate_percent / Decimal(1200)
    if rate == 0:
        return Money(amount.amount / term_months, amount.currency).rounded()
    factor = rate / (1 - (1 + rate) ** -term_months)
    return Money(amount.amount * factor, amount.currency).rounded()


def employment_stability(form: ApplicationForm) -> float:
    """Years in work, capped at 40, weighted by how secure the income is."""
    employment = form.applicant.employment
    years = min(max(employment.years_employed, Decimal(0)), MAX_STABLE_YEARS)
    if employment.employment_type is EmploymentType.EMPLOYED:
        weight = CONTRACT_WEIGHT[employment.contract_type]
    else:
        weight = EMPLOYMENT_WEIGHT[employment.employment_type]
    return float(years * weight)


@frozen
class Features:
    """The derived features of one application. Ratios are plain fractions (0.35 = 35%)."""

    debt_to_income: float
    loan_to_income: float
    payment_to_income: float
    employment_stability: float
    savings_ratio: float
    existing_debt_ratio: float
    disposable_income: float
    monthly_payment: Decimal

    def as_mapping(self) -> dict[str, float]:
        """Feature name -> value, the shape scorecards and models read."""
        return {name: float(value) for name, value in asdict(self).items()}


FEATURE_NAMES: tuple[str, ...] = tuple(a.name for a in fields(Features))


def derive_features(form: ApplicationForm) -> Features:
    """Compute every feature of `form`; assumes a form that passed validation."""
    f = form.financials
    income = f.monthly_income().amount
    payment = monthly_payment(form.loan)
    amount = form.loan.amount.amount
    obligations = f.existing_loan_payments.amount + payment.amount
    disposable = income - f.monthly_expenses.amount - obligations
    return Features(
        debt_to_income=ratio(obligations, income),
        loan_to_income=ratio(amount, income * 12),
        payment_to_income=ratio(payment.amount, income),
        employment_stability=employment_stability(form),
        savings_ratio=ratio(f.savings.amount, amount),
        existing_debt_ratio=ratio(f.total_liabilities.amount, amount),
        disposable_income=float(disposable),
        monthly_payment=payment.amount,
    )
