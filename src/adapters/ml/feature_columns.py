"""Many application forms as a model's input matrix, a column at a time.

`encode_columns` encodes a batch a column at a time: each field is read from all the forms in one
pass, and the domain's affordability features are computed for all rows at once with numpy,
in whole cents. Each value is the one `derive_features` gives, to the last bit (a Hypothesis
test holds the two equal); why each step agrees is said where it is taken. A form outside the
bounds where that is proven (an amount that is not whole cents or is very large, a negative
amount or -0, a payment within a hair of half a cent, ...) is encoded by `encode_row`, and a batch
holding anything odd (a NaN, a wrong type, an unusual Decimal context) entirely so.

It also leaves little behind for the garbage collector: lists of values, not an object per
form, since in a large process each full collection that many new objects set off costs as
much as encoding the whole batch.
"""

from __future__ import annotations

import decimal
import math
import operator
from collections.abc import Sequence
from decimal import Decimal
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from adapters.ml.feature_rows import encode_row
from adapters.ml.schema import (
    FORM_CATEGORIES,
    FeatureSchema,
    _number,
)
from domain.credit.application import ApplicationForm
from domain.credit.features import FEATURE_NAMES, RATIO_CAP, employment_stability

#: The Decimals the affordability features are computed from: the amounts (each with the most
#: cents it may hold, see below), then the annual rate in percent.
_DECIMALS = attrgetter(
    "financials.net_monthly_income.amount",
    "financials.other_monthly_income.amount",
    "financials.monthly_expenses.amount",
    "financials.existing_loan_payments.amount",
    "financials.savings.amount",
    "financials.other_assets.amount",
    "financials.total_liabilities.amount",
    "loan.amount.amount",
    "loan.annual_rate_percent",
)
#: Income and loan amount divide, and stay within 1e9 cents (see `_ratio`); other amounts within
#: 1e15, so that sums of a few are exact integers in a float (below 2**53).
_MOST_CENTS = np.array([1e9, 1e9, 1e15, 1e15, 1e15, 1e15, 1e15, 1e9])
#: Everything else read from a form (an enum member's `_value_` is its `value`, read faster).
_OTHERS_FIELDS = (
    "loan.term_months",
    "financials.net_monthly_income.currency",
    "financials.other_monthly_income.currency",
    "applicant.employment",
    "loan.purpose._value_",
    "applicant.employment.employment_type._value_",
    "applicant.employment.contract_type._value_",
    "attributes",
)
_OTHERS = attrgetter(*_OTHERS_FIELDS)
#: The rates (in percent a year) and terms for which `_payment_cents` is proven.
_RATES_PERCENT = (0.001, 1000.0)
_MAX_TERM_MONTHS = 10_000
#: How close (relative) to half a cent a payment computed in floats may not be (see there).
_HALF_CENT_MARGIN = 1e-9


def encode_columns(
    forms: Sequence[ApplicationForm], schema: FeatureSchema
) -> NDArray[np.float64] | None:
    """The matrix of `forms` built column by column, or None for a batch to encode form by form."""
    context = decimal.getcontext()
    if context.prec < 28 or context.traps[decimal.Inexact] or context.traps[decimal.Rounded]:
        return None  # not the Decimal arithmetic the bounds below are proven for
    try:
        with np.errstate(
            all="ignore"
        ):  # rows beyond the bounds compute nonsense, then `encode_row`
            return _encoded_columns(forms, schema)
    except (ArithmeticError, AttributeError, KeyError, TypeError, ValueError):
        return None  # something odd in a form: `encode_row` raises what the domain raises, or copes


def _encoded_columns(
    forms: Sequence[ApplicationForm], schema: FeatureSchema
) -> NDArray[np.float64]:
    # One flat list per getter, each form's tuple dropped as soon as it is read: no object per
    # form is left for the garbage collector to trace.
    others = list(chain.from_iterable(map(_OTHERS, forms)))
    terms, net_currency, other_currency, employments, *texts, attributes = (
        others[k :: len(_OTHERS_FIELDS)] for k in range(len(_OTHERS_FIELDS))
    )
    columns, exact = _amount_columns(forms, terms, employments)
    exact &= np.fromiter(map(operator.eq, net_currency, other_currency), bool, len(forms))
    names = [*schema.numeric_attributes, *(n for n, read, _ in schema.category_readers if read)]
    if schema.price_attribute is not None:
        names.append(schema.price_attribute)
    values = _attribute_values(attributes, names)
    numbers = {name: list(map(_number, values[name])) for name in schema.numeric_attributes}
    if schema.price_attribute is not None:  # loan amount / price, as in `encode_row`
        prices = numbers.get(schema.price_attribute)
        if prices is None:
            prices = list(map(_number, values[schema.price_attribute]))
        price = np.array(prices, dtype=np.float64)
        columns.append(np.where(price > 0, columns[len(FEATURE_NAMES)] / price, math.nan))
    columns += (numbers[name] for name in schema.numeric_attributes)
    built_in = dict(zip(FORM_CATEGORIES, texts, strict=True))  # the form's own, as in `encode_row`
    for name, from_attributes, codes in schema.category_readers:
        read = codes.__getitem__
        if from_attributes:
            columns.append(list(map(read, values[name])))
        else:  # a built-in field, or nothing for a name that is not one
            columns.append(list(map(read, built_in.get(name, [None] * len(forms)))))
    matrix = np.empty((len(forms), len(columns)), dtype=np.float64)
    for j, column in enumerate(columns):
        matrix[:, j] = column
    for i in np.flatnonzero(~exact).tolist():  # beyond the proven bounds: the domain itself
        matrix[i] = encode_row(forms[i], schema)
    return matrix


def _amount_columns(
    forms: Sequence[ApplicationForm], terms: list[Any], employments: list[Any]
) -> tuple[list[Sequence[float] | NDArray[np.float64]], NDArray[np.bool_]]:
    """The domain features and the form's numbers as columns, and the rows they are exact for."""
    decimals = list(chain.from_iterable(map(_DECIMALS, forms)))
    ratios = chain.from_iterable(map(Decimal.as_integer_ratio, decimals))  # raises on NaN, inf
    pairs = np.fromiter(ratios, np.float64, 2 * len(decimals)).reshape(len(forms), -1, 2)
    numerators, denominators = pairs[:, :, 0], pairs[:, :, 1]  # exact up to 2**53
    # A signed amount is negative, or -0 (which the domain's sums keep and a ratio drops); a
    # rate of -0 is a zero rate to both, and a negative one is out of `_RATES_PERCENT`.
    signed = np.fromiter(map(Decimal.is_signed, decimals), bool, len(decimals))
    exact = ~signed.reshape(len(forms), -1)[:, :8].any(axis=1)
    # A Decimal's denominator is 2**a * 5**b: it divides 100 exactly when fmod leaves nothing,
    # and then these products are exact integers (numerator and cents within `_MOST_CENTS`).
    cents = numerators[:, :8] * (100.0 / denominators[:, :8])
    whole = (np.fmod(100.0, denominators[:, :8]) == 0.0) & (np.abs(cents) <= _MOST_CENTS)
    exact &= whole.all(axis=1)
    net, other, expenses, existing, savings, assets, liabilities, loan = cents.T
    percent = numerators[:, 8] / denominators[:, 8]  # exact integers: the float nearest it
    low, high = _RATES_PERCENT
    exact &= (numerators[:, 8] <= 2.0**53) & (denominators[:, 8] <= 2.0**53)
    exact &= (percent == 0.0) | ((percent >= low) & (percent <= high))
    if set(map(type, terms)) != {int}:
        raise TypeError("a term in months that is not an int")
    months = np.array(terms, dtype=np.float64)
    exact &= (months >= 1) & (months <= _MAX_TERM_MONTHS)
    payment, certain = _payment_cents(loan, percent, months)
    exact &= certain
    income = net + other
    obligations = existing + payment
    # Sums of whole cents are exact, and n / 100 is the float nearest to n cents, as is the
    # float of the exact Decimal sum: the same number.
    domain: dict[str, Sequence[float] | NDArray[np.float64]] = {
        "debt_to_income": _ratio(obligations, income),
        "loan_to_income": _ratio(loan, income * 12),
        "payment_to_income": _ratio(payment, income),
        "employment_stability": _stability(forms, employments),
        "savings_ratio": _ratio(savings, loan),
        "existing_debt_ratio": _ratio(liabilities, loan),
        "disposable_income": (income - expenses - obligations) / 100,
        "monthly_payment": payment / 100,
    }
    numbers = (  # FORM_NUMBERS
        loan / 100,
        months,
        income / 100,
        (income - expenses) / 100,
        (savings + assets - liabilities) / 100,
    )
    return [*(domain[name] for name in FEATURE_NAMES), *numbers], exact


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray[np.float64]:
    """The domain's `ratio`, for whole cents that are not negative, with the very same results.

    The domain divides two Decimals (rounded to 28 digits) and converts the quotient to a float:
    two roundings. Here an exact integer is divided by another: one rounding, of the same
    quotient q = N / D. The two differ only if a midpoint between two floats lies within the
    Decimal rounding of q (1e-27 q), and a midpoint near q, a multiple of 2**(E - 54) for q in
    [2**E, 2**(E+1)), is at least 1 / (D * 2**(54 - E)) from q unless equal to it (N / D is not
    a midpoint for D below 2**47 and q <= RATIO_CAP). That is more than 1e-27 q while D is below
    1e27 / 2**55, about 2.8e10 cents: hence the 1e9 cents of `_MOST_CENTS` for an income (net and
    other, so a year's income is below 2.4e10) and a loan amount. A test shows a quotient that
    needs it, on a loan of 1e13 cents.
    """
    value = np.minimum(np.maximum(numerator / denominator, 0.0), RATIO_CAP)
    return np.where(denominator > 0, value, np.where(numerator > 0, RATIO_CAP, 0.0))


def _payment_cents(
    loan: NDArray[np.float64], percent: NDArray[np.float64], months: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The domain's `annuity_payment` in whole cents, and where it is certainly that.

    With a zero rate the payment is loan / term rounded half to even, here as in the domain:
    the float quotient is within 1e-16 of the exact one, which is either a tie (then exact in
    both) or at least 1 / (2 * term) from one. Otherwise the float annuity, through log1p and
    expm1 (each within a few units in the last place, so within about 1e-14 in all), and the
    Decimal one (within about 1e-22 for these rates and terms) round to the same cent unless the
    value lies within `_HALF_CENT_MARGIN` of half a cent; those rows are reported uncertain.
    """
    free = percent == 0.0
    rate = percent / 1200.0
    annuity = loan * (rate / -np.expm1(-months * np.log1p(rate)))
    value = np.where(free, loan / months, annuity)
    certain = free | (np.abs(value - np.floor(value) - 0.5) > _HALF_CENT_MARGIN * value)
    return np.rint(value), certain


def _stability(forms: Sequence[ApplicationForm], employments: list[Any]) -> list[float]:
    """`employment_stability` of each form, asked of the domain once per distinct employment.

    It reads the years (their value, and for a zero its sign) and the two kinds, nothing else.
    """
    known: dict[tuple[object, ...], float] = {}
    values = []
    for form, employment in zip(forms, employments, strict=True):
        years = employment.years_employed
        key = (years, years.is_signed(), employment.employment_type, employment.contract_type)
        value = known.get(key)
        if value is None:
            value = known[key] = employment_stability(form)
        values.append(value)
    return values


def _attribute_values(
    attributes: list[dict[str, str]], names: Sequence[str]
) -> dict[str, list[str | None]]:
    """Name -> each form's attribute of that name (None where it has none), in one pass."""
    names = tuple(dict.fromkeys(names))
    if not names:
        return {}
    values = list(chain.from_iterable(map(a.get, names) for a in attributes))
    return {name: values[k :: len(names)] for k, name in enumerate(names)}
