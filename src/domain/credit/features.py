"""Affordability features derived from an application form.

These are the numbers a credit officer reads first, and the same code feeds the scorecard, the
machine-learning model and the workbench, so training and live scoring can never disagree.

Division by zero has one policy, `ratio()`: a zero (or negative) denominator gives 0.0 when the
numerator is also zero and `RATIO_CAP` otherwise, and every ratio is clamped to [0, RATIO_CAP].
A ratio is therefore always a finite float: "no income but debts" reads as the worst bin of any
table rather than as infinity or a missing value that a model might treat as neutral.

`derive_features` runs once per application scored, so it does the arithmetic on the amounts
themselves rather than through `Money` values (which it would only unwrap again): the same
`Decimal` operations in the same order, so the same results, the same rounding and the same
errors (a currency mismatch, a term that is not positive) as the `Money` functions below.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType

from attrs import asdict, fields, frozen

from domain.credit.application import ApplicationForm, ContractType, EmploymentType, LoanRequest
from domain.credit.money import CENT, Money

RATIO_CAP = 100.0
MAX_STABLE_YEARS = Decimal(40)
_ZERO = Decimal(0)
_MONTHS_TIMES_PERCENT = Decimal(1200)  # an annual rate in percent / 1200 = the monthly rate

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
    if denominator <= _ZERO:  # compared with a Decimal zero, not with 0: the same, with no
        return 0.0 if numerator <= _ZERO else RATIO_CAP  # int to convert on every call
    value = float(numerator / denominator)
    # min(max(value, 0.0), RATIO_CAP) without the two builtin calls (they cost more than the
    # division): the same comparisons, so a NaN or a -0.0 comes out as it would from them
    if value < 0.0:
        return 0.0
    return RATIO_CAP if value > RATIO_CAP else value


def monthly_payment(loan: LoanRequest) -> Money:
    """The level (annuity) monthly payment that repays the loan over its term.

    With a zero rate the payment is simply amount / term; otherwise
    P * r / (1 - (1 + r) ** -n) with r the monthly rate.
    """
    return annuity_payment(loan.amount, loan.annual_rate_percent, loan.term_months)


def annuity_payment(amount: Money, annual_rate_percent: Decimal, term_months: int) -> Money:
    return Money(_payment(amount.amount, annual_rate_percent, term_months), amount.currency)


def _payment(amount: Decimal, annual_rate_percent: Decimal, term_months: int) -> Decimal:
    """`annuity_payment` on the bare amount, rounded to cents as `Money.rounded` rounds."""
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    rate = annual_rate_percent / _MONTHS_TIMES_PERCENT
    if rate == 0:
        value = amount / term_months
    else:
        value = amount * (rate / (1 - (1 + rate) ** -term_months))
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def employment_stability(form: ApplicationForm) -> float:
    """Years in work, capped at 40, weighted by how secure the income is."""
    employment = form.applicant.employment
    years = min(max(employment.years_employed, _ZERO), MAX_STABLE_YEARS)
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
    net, other = f.net_monthly_income, f.other_monthly_income
    if net.currency != other.currency:
        f.monthly_income()  # raises `CurrencyMismatch`: amounts in two currencies do not add up
    income = net.amount + other.amount
    loan = form.loan
    amount = loan.amount.amount
    payment = _payment(amount, loan.annual_rate_percent, loan.term_months)
    obligations = f.existing_loan_payments.amount + payment
    disposable = income - f.monthly_expenses.amount - obligations
    return Features(
        debt_to_income=ratio(obligations, income),
        loan_to_income=ratio(amount, income * 12),
        payment_to_income=ratio(payment, income),
        employment_stability=employment_stability(form),
        savings_ratio=ratio(f.savings.amount, amount),
        existing_debt_ratio=ratio(f.total_liabilities.amount, amount),
        disposable_income=float(disposable),
        monthly_payment=payment,
    )
