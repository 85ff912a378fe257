from __future__ import annotations

import math
from decimal import Decimal

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.application import ApplicationForm
from domain.credit.features import RATIO_CAP, annuity_payment, derive_features, ratio
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
