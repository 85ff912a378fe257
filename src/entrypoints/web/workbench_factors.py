"""The factors behind a score as the workbench words them: what the model read, in plain words.

A stored scoring result keeps each feature's contribution but not what the model read, so the
page reads it again from the form: the domain's features (worded by
`domain.credit.reasons.describe_factor`), the raw amounts a model reads beside them, the loan
over the price of what it buys, and the lender's attributes. A feature the form does not give is
said to be "not given", which is what the model read there too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from domain.credit.application import ApplicationForm
from domain.credit.factors import Factor, FeatureReading
from domain.credit.features import FEATURE_NAMES, Features
from domain.credit.reasons import DEFAULT_REASON_CODES, ReasonCodeTable, factor_label
from entrypoints.web.factor_chart import FactorInput

#: The features `domain.credit.reasons.describe_factor` has words for.
_WORDED = frozenset(FEATURE_NAMES) - {"monthly_payment"}


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def readings(form: ApplicationForm, features: Features) -> dict[str, FeatureReading]:
    """What the page can say a model read, by feature name: the domain's features, the raw
    amounts read beside them (and the loan over the price of what it buys), and the form's
    categories and the lender's attributes (a number when it reads as one, else text)."""
    f, loan, job = form.financials, form.loan, form.applicant.employment
    income = f.net_monthly_income.amount + f.other_monthly_income.amount
    found = {name: FeatureReading(value) for name, value in features.as_mapping().items()}
    numbers = {
        "loan_amount": loan.amount.amount,
        "term_months": Decimal(loan.term_months),
        "monthly_income": income,
        "income_minus_expenses": income - f.monthly_expenses.amount,
        "assets_minus_liabilities": f.savings.amount
        + f.other_assets.amount
        - f.total_liabilities.amount,
    }
    found |= {name: FeatureReading(float(value)) for name, value in numbers.items()}
    for name, text in form.attributes.items():
        number = _number(text)
        found[name] = (
            FeatureReading(None, category=text) if number is None else FeatureReading(number)
        )
        folded = name.casefold()
        if number and number > 0 and (folded == "price" or folded.endswith("_price")):
            found["loan_to_price"] = FeatureReading(float(loan.amount.amount) / number)
    found |= {
        "loan_purpose": FeatureReading(None, category=loan.purpose.value.replace("_", " ")),
        "employment_type": FeatureReading(None, category=job.employment_type.value),
        "contract_type": FeatureReading(None, category=job.contract_type.value),
    }
    return found


def statement(feature: str, contribution: float, reading: FeatureReading | None) -> str:
    """The factor in plain words: the domain's wording for its own features and any text, a
    plain grouped number for the amounts and attributes it has no wording for."""
    if reading is None:  # the model read nothing there (an attribute the form lacks)
        return f"{factor_label(feature)} not given"
    if reading.value is None or reading.category is not None or feature in _WORDED:
        return Factor(feature, contribution, reading).statement
    if feature == "loan_to_price":
        return f"{factor_label(feature)} {reading.value:.0%}"
    value = reading.value
    shown = f"{value:,.0f}" if abs(value) >= 1000 or value == int(value) else f"{value:,.2f}"
    return f"{factor_label(feature)} {shown}"


def factor_inputs(
    contributions: Mapping[str, float],
    read: Mapping[str, FeatureReading],
    table: ReasonCodeTable = DEFAULT_REASON_CODES,
) -> list[FactorInput]:
    """Every contribution with its label and plain-language statement; a protected feature is
    never shown, as it is never cited."""
    return [
        FactorInput(
            feature, factor_label(feature), statement(feature, value, read.get(feature)), value
        )
        for feature, value in contributions.items()
        if not table.is_protected(feature)
    ]
