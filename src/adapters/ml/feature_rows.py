"""One application form as a model's input row: the one code path for training and scoring.

The columns are the schema's (`schema.py`): the domain's affordability features, a few raw
amounts and ratios, the lender's numeric attributes, and the coded categories. A large batch
is encoded column by column instead (`feature_columns.py`), to the same numbers.
"""

from __future__ import annotations

import math
from operator import attrgetter

from adapters.ml.schema import (
    FeatureSchema,
    _number,
)
from domain.credit.application import ApplicationForm
from domain.credit.features import FEATURE_NAMES, derive_features

#: The domain features in `FEATURE_NAMES` order: what `Features.as_mapping` holds, without
#: building the mapping for every row.
_domain_values = attrgetter(*FEATURE_NAMES)


def encode_row(form: ApplicationForm, schema: FeatureSchema) -> list[float]:
    """One form's encoding, the one code path for training and scoring (see the module doc).

    It runs once per application scored, so it reads fields directly rather than through the
    helper mappings (`Features.as_mapping`, `_texts`, `CategoricalFeature.code`), with the same
    values in the same order (a test holds it equal to the plain encoding through them).
    """
    row = list(map(float, _domain_values(derive_features(form))))
    f, loan = form.financials, form.loan
    # `f.monthly_income()` without a Money: `derive_features` has checked the currencies.
    income = f.net_monthly_income.amount + f.other_monthly_income.amount
    amount = float(loan.amount.amount)
    row += (
        amount,
        float(loan.term_months),
        float(income),
        float(income - f.monthly_expenses.amount),
        float(f.savings.amount + f.other_assets.amount - f.total_liabilities.amount),
    )
    attributes = form.attributes
    numbers = [_number(attributes.get(name)) for name in schema.numeric_attributes]
    if schema.price_attribute is not None:
        at = schema.price_position
        price = numbers[at] if at is not None else _number(attributes.get(schema.price_attribute))
        row.append(amount / price if price > 0 else math.nan)
    row += numbers
    employment = form.applicant.employment
    built_in = {  # as in `_texts`: the form's own fields win over attributes named like them
        "loan_purpose": loan.purpose._value_,  # an enum member's `value`, read without the
        "employment_type": employment.employment_type._value_,  # property's function call
        "contract_type": employment.contract_type._value_,
    }
    for name, from_attributes, codes in schema.category_readers:
        row.append(codes[attributes.get(name) if from_attributes else built_in.get(name)])
    return row
