from __future__ import annotations

import math
from decimal import Decimal

import pytest
from attrs import astuple, evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.credit.application import ApplicationForm, EmploymentType
from domain.credit.features import (
    CONTRACT_WEIGHT,
    EMPLOYMENT_WEIGHT,
    MAX_STABLE_YEARS,
    RATIO_CAP,
    Features,
    annuity_payment,
    derive_features,
    ratio,
)
from domain.credit.money import Money

from .strategies import a_form, forms, money, positive_money, rates

amounts = positive_money(1_000_000)
months = st.integers(min_value=1, max_value=480)


def test_the_annuity_payment_matches_the_textbook_figure() -> None:
    # 10,000 over 12 months at 12% a year: 888.49 a month (any loan calculator agrees).
    assert annuity_payment(Money.of(10_000, "EUR"), Decimal(12), 12) == Money.of("888.49", "EUR")


@given(amounts, months)
def test_property_with_a_zero_rate_the_payments_repay_exactly_the_amount(
    amount: Money, term: int
) -> None:
    payment = annuity_payment(amount, Decimal(0), term)
    assert abs(payment.amount * term - amount.amount) <= Decimal("0.005") * term


@given(amounts, rates, months)
def test_property_the_payments_repay_at_least_the_amount(
    amount: Money, rate: Decimal, term: int
) -> None:
    payment = annuity_payment(amount, rate, term)
    assert payment.amount * term >= amount.amount - Decimal("0.005") * term


@given(amounts, rates, months, months)
def test_property_a_longer_term_never_raises_the_payment(
    amount: Money, rate: Decimal, a: int, b: int
) -> None:
    short, long_ = sorted((a, b))
    assert annuity_payment(amount, rate, long_) <= annuity_payment(amount, rate, short)


@given(amounts, rates, rates, months)
def test_property_a_higher_rate_never_lowers_the_payment(
    amount: Money, a: Decimal, b: Decimal, term: int
) -> None:
    low, high = sorted((a, b))
    assert annuity_payment(amount, low, term) <= annuity_payment(amount, high, term)


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_property_every_ratio_is_finite_and_within_the_cap(n: Decimal, d: Decimal) -> None:
    value = ratio(n, d)
    assert math.isfinite(value)
    assert 0.0 <= value <= RATIO_CAP


def test_division_by_zero_has_one_policy() -> None:
    assert ratio(Decimal(0), Decimal(0)) == 0.0
    assert ratio(Decimal(5), Decimal(0)) == RATIO_CAP


def test_the_features_of_a_known_form() -> None:
    f = derive_features(a_form())
    # Income 2,600; payment on 15,000 / 60 months / 7.5% is 300.57; existing payments 250.
    assert f.monthly_payment == Decimal("300.57")
    assert f.debt_to_income == pytest.approx((250 + 300.57) / 2600)
    assert f.payment_to_income == pytest.approx(300.57 / 2600)
    assert f.loan_to_income == pytest.approx(15000 / (2600 * 12))
    assert f.employment_stability == pytest.approx(6.0)
    assert f.savings_ratio == pytest.approx(0.4)
    assert f.existing_debt_ratio == pytest.approx(4000 / 15000)
    assert f.disposable_income == pytest.approx(2600 - 900 - 250 - 300.57)


@given(forms(), money(0, 5_000))
def test_property_more_existing_debt_never_lowers_debt_to_income(
    form: ApplicationForm, extra: Money
) -> None:
    more = evolve(
        form,
        financials=evolve(
            form.financials,
            existing_loan_payments=form.financials.existing_loan_payments + extra,
        ),
    )
    assert derive_features(more).debt_to_income >= derive_features(form).debt_to_income


@given(forms())
def test_property_features_are_finite_for_every_valid_form(form: ApplicationForm) -> None:
    assert all(math.isfinite(v) for v in derive_features(form).as_mapping().values())


# --- derive_features is the plain composition of the Money functions, to the last bit ------


def plain_ratio(numerator: Decimal, denominator: Decimal) -> float:
    if denominator <= 0:
        return 0.0 if numerator <= 0 else RATIO_CAP
    return min(max(float(numerator / denominator), 0.0), RATIO_CAP)


def plain_payment(amount: Money, annual_rate_percent: Decimal, term_months: int) -> Money:
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    rate = annual_rate_percent / Decimal(1200)
    if rate == 0:
        return Money(amount.amount / term_months, amount.currency).rounded()
    factor = rate / (1 - (1 + rate) ** -term_months)
    return Money(amount.amount * factor, amount.currency).rounded()


def plain_features(form: ApplicationForm) -> Features:
    """`derive_features` as first written: through `Money` values and the min and max builtins."""
    f = form.financials
    income = f.monthly_income().amount
    payment = plain_payment(form.loan.amount, form.loan.annual_rate_percent, form.loan.term_months)
    amount = form.loan.amount.amount
    obligations = f.existing_loan_payments.amount + payment.amount
    employment = form.applicant.employment
    years = min(max(employment.years_employed, Decimal(0)), MAX_STABLE_YEARS)
    if employment.employment_type is EmploymentType.EMPLOYED:
        weight = CONTRACT_WEIGHT[employment.contract_type]
    else:
        weight = EMPLOYMENT_WEIGHT[employment.employment_type]
    return Features(
        debt_to_income=plain_ratio(obligations, income),
        loan_to_income=plain_ratio(amount, income * 12),
        payment_to_income=plain_ratio(payment.amount, income),
        employment_stability=float(years * weight),
        savings_ratio=plain_ratio(f.savings.amount, amount),
        existing_debt_ratio=plain_ratio(f.total_liabilities.amount, amount),
        disposable_income=float(income - f.monthly_expenses.amount - obligations),
        monthly_payment=payment.amount,
    )


def stored(value: object) -> object:
    """A feature as stored: a float's bits (-0.0 is not 0.0), a Decimal's digits and exponent."""
    return value.hex() if isinstance(value, float) else str(value)


ODD_AMOUNTS = st.sampled_from(
    [Decimal("-0"), Decimal("-0.00"), Decimal("-12.5"), Decimal("0.001"), Decimal("1E+9")]
) | st.decimals(min_value=-(10**6), max_value=10**12, places=3)
ODD_YEARS = st.sampled_from([Decimal("-0"), Decimal("-1"), Decimal(40), Decimal("40.00")])
ODD_FINANCIALS = (
    "net_monthly_income",
    "other_monthly_income",
    "monthly_expenses",
    "existing_loan_payments",
    "savings",
    "total_liabilities",
)


@st.composite
def odd_forms(draw: st.DrawFn) -> ApplicationForm:
    """Valid forms, and forms with -0, negative amounts, fractions of a cent, odd years."""
    form = draw(forms())
    if draw(st.booleans()):
        return form
    amounts = {name: Money(draw(ODD_AMOUNTS), "EUR") for name in ODD_FINANCIALS}
    loan = evolve(
        form.loan,
        amount=Money(draw(ODD_AMOUNTS), "EUR"),
        annual_rate_percent=abs(draw(ODD_AMOUNTS)),
    )
    employment = evolve(form.applicant.employment, years_employed=draw(ODD_YEARS))
    return evolve(
        form,
        financials=evolve(form.financials, **amounts),
        loan=loan,
        applicant=evolve(form.applicant, employment=employment),
    )


@settings(max_examples=400)
@given(odd_forms())
def test_property_features_are_the_plain_composition_to_the_last_bit(form: ApplicationForm) -> None:
    new, plain = astuple(derive_features(form)), astuple(plain_features(form))
    assert [stored(v) for v in new] == [stored(v) for v in plain]


def test_mixed_currencies_and_a_term_of_no_months_fail_as_they_always_have() -> None:
    form = a_form()
    usd = evolve(form.financials, other_monthly_income=Money.of(1, "USD"))
    for bad, error in (
        (evolve(form, financials=usd), "cannot combine EUR with USD"),
        (evolve(form, loan=evolve(form.loan, term_months=0)), "term_months must be positive"),
    ):
        with pytest.raises(Exception, match=error) as raised:
            derive_features(bad)
        with pytest.raises(type(raised.value), match=error):
            plain_features(bad)
