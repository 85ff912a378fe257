"""A batch encoded column by column is the same matrix, bit for bit, as its forms one by one.

`feature_matrix` computes the domain's affordability features for a whole batch with numpy
(`feature_columns.encode_columns`), in whole cents, where `derive_features` does Decimal arithmetic
form by form. Hypothesis picks the forms: zero incomes, zero and tiny rates, ratios over the cap,
amounts that are not whole cents or are huge, -0, negative amounts, odd attributes; every value
must be the domain's, sign of zero included, or the form must be left to the domain (`encode_row`).
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from attrs import evolve
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from adapters.ml import feature_columns
from adapters.ml.feature_columns import encode_columns
from adapters.ml.feature_rows import encode_row
from adapters.ml.features import ROWS_BUILT_ONE_BY_ONE, FeatureSchema, feature_matrix
from adapters.ml.model import TrainedModel
from domain.credit.application import (
    ApplicationForm,
    ContractType,
    EmploymentType,
    LoanPurpose,
)
from domain.credit.features import FEATURE_NAMES, derive_features
from domain.credit.money import CurrencyMismatch, Money
from tests.builders import an_application_form
from tests.unit.ml.conftest import History

WHOLE_CENTS = st.integers(min_value=0, max_value=10**8).map(lambda c: Decimal(c).scaleb(-2))
AMOUNTS = st.one_of(
    WHOLE_CENTS,
    WHOLE_CENTS,
    st.integers(min_value=0, max_value=10**6).map(Decimal),  # no decimal places
    st.just(Decimal(0)),
    st.decimals(min_value=0, max_value=10**6, places=3),  # not whole cents
    st.integers(min_value=10**11, max_value=10**16).map(lambda c: Decimal(c).scaleb(-2)),
    st.sampled_from(
        [
            Decimal("-0"),
            Decimal("-0.00"),
            Decimal("0.00"),
            Decimal("-5.00"),
            Decimal("1E+3"),
            Decimal("12.3"),
            Decimal("1E-30"),
            Decimal("9999999.99"),
            Decimal("10000000.00"),
            Decimal("10000000.01"),
            Decimal("0.01"),
        ]
    ),
)
RATES = st.one_of(
    st.integers(min_value=0, max_value=3000).map(lambda bp: Decimal(bp) / 100),
    st.decimals(min_value=0, max_value=100, places=6),
    st.sampled_from(
        [Decimal(0), Decimal("-0"), Decimal("0.0001"), Decimal("0.001"), Decimal("1000.01")]
    ),
)
TERMS = st.integers(min_value=1, max_value=480) | st.sampled_from([1, 2, 10_000, 10_001])
YEARS = st.decimals(min_value=-5, max_value=60, places=1) | st.sampled_from(
    [Decimal("-0"), Decimal(0), Decimal(40), Decimal("40.0"), Decimal("1E-9")]
)
TEXTS = st.none() | st.sampled_from(["", " ", "rent", " rent ", "owner", "castle", "yes", "no"])
PRICES = (
    st.none()
    | st.sampled_from(["0", "-1", "", "abc", "nan", "inf", "1e400"])
    | st.integers(min_value=1, max_value=100_000).map(str)
)


def eur(amount: Decimal) -> Money:
    return Money(amount, "EUR")


#: What the column path computes itself, every row: amounts in whole cents within its bounds.
ORDINARY_AMOUNTS = WHOLE_CENTS | st.integers(min_value=0, max_value=10**6).map(Decimal)
ORDINARY_RATES = RATES.filter(lambda rate: rate == 0 or Decimal("0.001") <= rate <= 1000)
ORDINARY_TERMS = st.integers(min_value=1, max_value=10_000)


@st.composite
def forms(
    draw: st.DrawFn,
    amounts: st.SearchStrategy[Decimal] = AMOUNTS,
    rates: st.SearchStrategy[Decimal] = RATES,
    terms: st.SearchStrategy[int] = TERMS,
) -> ApplicationForm:
    form = an_application_form(
        amount=eur(draw(amounts)),
        term_months=draw(terms),
        purpose=draw(st.sampled_from(LoanPurpose)),
        annual_rate_percent=draw(rates),
        net_monthly_income=eur(draw(amounts)),
        monthly_expenses=eur(draw(amounts)),
        existing_loan_payments=eur(draw(amounts)),
        savings=eur(draw(amounts)),
        total_liabilities=eur(draw(amounts)),
        employment_type=draw(st.sampled_from(EmploymentType)),
        contract_type=draw(st.sampled_from(ContractType)),
        years_employed=draw(YEARS),
    )
    financials = evolve(
        form.financials,
        other_monthly_income=eur(draw(amounts)),
        other_assets=eur(draw(amounts)),
    )
    texts = {"home": draw(TEXTS), "records": draw(TEXTS), "purchase_price": draw(PRICES)}
    attributes = {name: text for name, text in texts.items() if text is not None}
    return evolve(form, financials=financials, attributes=attributes)


def bits(matrix: NDArray[np.float64]) -> NDArray[np.uint64]:
    """The stored bits, with every NaN made one: equal bits are equal values, -0.0 apart."""
    return np.where(np.isnan(matrix), np.nan, matrix).view(np.uint64)


def by_rows(forms: list[ApplicationForm], schema: FeatureSchema) -> NDArray[np.float64]:
    return np.array([encode_row(form, schema) for form in forms], dtype=np.float64)


#: 1 EUR over a month at 30% a year: 102.5 cents, a tie that floats cannot settle.
EXACT_TIE = an_application_form(
    amount=eur(Decimal(1)), term_months=1, annual_rate_percent=Decimal(30)
)
#: 10.01 EUR over two months at no interest: 500.5 cents, a tie settled exactly (to 500).
ZERO_RATE_TIE = an_application_form(
    amount=eur(Decimal("10.01")), term_months=2, annual_rate_percent=Decimal(0)
)


def columns_and_rows_left_to_the_domain(
    batch: list[ApplicationForm], schema: FeatureSchema
) -> tuple[NDArray[np.float64], list[ApplicationForm]]:
    """`encode_columns` of the batch (which must take it), and the forms it left to `encode_row`."""
    left: list[ApplicationForm] = []

    def counted(form: ApplicationForm, schema: FeatureSchema) -> list[float]:
        left.append(form)
        return encode_row(form, schema)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feature_columns, "encode_row", counted)
        columns = encode_columns(batch, schema)
    assert columns is not None  # these forms are all fit for the column path, if not its bounds
    return columns, left


def near_half_a_cent(form: ApplicationForm) -> bool:
    """Whether the form's annuity payment, before rounding, is within a hair of half a cent
    (as 1 EUR over one month at 30% a year is: 1.025): floats cannot tell which way it goes."""
    loan = form.loan
    amount, rate = loan.amount.amount, loan.annual_rate_percent / 1200
    with decimal.localcontext(prec=60):
        factor = (
            1 / Decimal(loan.term_months)
            if rate == 0
            else rate / (1 - (1 + rate) ** -loan.term_months)
        )
        cents = amount * factor * 100
        return (
            abs(cents - cents.to_integral_value(decimal.ROUND_FLOOR) - Decimal("0.5"))
            <= cents / 10**8
        )


def assert_the_domains_bits(
    columns: NDArray[np.float64], batch: list[ApplicationForm], schema: FeatureSchema
) -> None:
    np.testing.assert_array_equal(bits(columns), bits(by_rows(batch, schema)))
    domain = [[float(v) for v in derive_features(f).as_mapping().values()] for f in batch]
    width = len(FEATURE_NAMES)
    np.testing.assert_array_equal(bits(columns[:, :width]), bits(np.array(domain)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(forms(), min_size=1, max_size=12))
def test_the_columns_are_the_rows_and_the_domains_features_bit_for_bit(
    blended_model: TrainedModel, batch: list[ApplicationForm]
) -> None:
    columns, _ = columns_and_rows_left_to_the_domain(batch, blended_model.schema)
    assert_the_domains_bits(columns, batch, blended_model.schema)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example([EXACT_TIE, ZERO_RATE_TIE])
@given(st.lists(forms(ORDINARY_AMOUNTS, ORDINARY_RATES, ORDINARY_TERMS), min_size=1, max_size=12))
def test_ordinary_forms_are_all_computed_by_columns_bit_for_bit(
    blended_model: TrainedModel, batch: list[ApplicationForm]
) -> None:
    columns, left = columns_and_rows_left_to_the_domain(batch, blended_model.schema)
    assert all(near_half_a_cent(form) for form in left)
    assert_the_domains_bits(columns, batch, blended_model.schema)


def test_a_large_batch_is_encoded_by_columns_and_equals_its_rows(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    schema = blended_model.schema
    assert len(forms) > ROWS_BUILT_ONE_BY_ONE
    assert columns_and_rows_left_to_the_domain(forms, schema)[1] == []
    np.testing.assert_array_equal(bits(feature_matrix(forms, schema)), bits(by_rows(forms, schema)))


def test_a_payment_near_half_a_cent_is_left_to_the_domain(
    blended_model: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tie, and with no margin trusted at all every payment: the rows the float annuity is
    unsure of come from the domain, and agree."""
    batch = [ZERO_RATE_TIE, EXACT_TIE, an_application_form(amount=eur(Decimal("10.01")))]
    schema = blended_model.schema
    expected = bits(by_rows(batch, schema))
    np.testing.assert_array_equal(bits(encode_columns(batch, schema)), expected)  # type: ignore[arg-type]
    monkeypatch.setattr(feature_columns, "_HALF_CENT_MARGIN", 1.0)
    np.testing.assert_array_equal(bits(encode_columns(batch, schema)), expected)  # type: ignore[arg-type]


def test_odd_forms_and_odd_arithmetic_are_left_to_the_row_by_row_path(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    schema = blended_model.schema
    form = forms[0]
    nan = evolve(form, financials=evolve(form.financials, other_assets=eur(Decimal("NaN"))))
    assert encode_columns([*forms[:40], nan], schema) is None
    matrix = feature_matrix([*forms[:40], nan], schema)
    assert math.isnan(matrix[-1, schema.names.index("assets_minus_liabilities")])
    with decimal.localcontext(prec=12):
        assert encode_columns(forms[:40], schema) is None
        np.testing.assert_array_equal(
            feature_matrix(forms[:40], schema), by_rows(forms[:40], schema)
        )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"term_months": 0}, ValueError),
        ({"other_monthly_income": Money(Decimal(1), "USD")}, CurrencyMismatch),
    ],
)
def test_a_batch_with_a_bad_form_raises_what_the_domain_raises(
    blended_model: TrainedModel, history: History, change: dict[str, Any], error: type
) -> None:
    forms, _ = history
    form = forms[0]
    if "term_months" in change:
        bad = evolve(form, loan=evolve(form.loan, **change))
    else:
        bad = evolve(form, financials=evolve(form.financials, **change))
    with pytest.raises(error):
        derive_features(bad)
    with pytest.raises(error):
        feature_matrix([*forms[:40], bad, *forms[40:80]], blended_model.schema)


def test_the_bound_on_divisors_is_what_keeps_a_ratio_exact(
    blended_model: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Savings of 3,908,587,762,491.37 on a loan of 102,317,599,059.15: the quotient lies so
    near a midpoint between two floats that rounding it to 28 digits first (as the domain does)
    tips it the other way. With the loan beyond `_MOST_CENTS` the row is the domain's own; were
    the bound lifted, the columns would be one unit in the last place off."""
    huge = an_application_form(
        amount=eur(Decimal("102317599059.15")),
        annual_rate_percent=Decimal(0),  # a payment the floats are sure of, even this large
        savings=eur(Decimal("3908587762491.37")),
    )
    batch, schema = [huge], blended_model.schema
    at = schema.names.index("savings_ratio")
    expected = derive_features(huge).savings_ratio
    assert expected != 390858776249137 / 10231759905915  # the quotient rounded once
    assert encode_columns(batch, schema)[0, at] == expected  # type: ignore[index]
    monkeypatch.setattr(feature_columns, "_MOST_CENTS", np.full(8, 1e15))
    assert encode_columns(batch, schema)[0, at] != expected  # type: ignore[index]
