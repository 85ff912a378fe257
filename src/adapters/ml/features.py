"""The model's features: one encoding for training and live scoring, so they cannot disagree.

A model reads three kinds of input from an application form:

1. the domain's affordability features (`derive_features`), the same numbers the scorecard and
   the analyst see;
2. a few raw amounts and ratios that trees use well (loan amount, term, income, loan amount over
   the price of what it buys, income less expenses, assets less liabilities);
3. the lender's extra `attributes`: numeric ones parsed, categorical ones coded.

Which columns a model reads, and how categories are coded, is its `FeatureSchema`
(`schema.py`, learnt once from training data; its names are re-exported here).

A form is encoded by `feature_rows.encode_row`; a large batch (training, `score_batch`) by
`feature_columns.encode_columns`, which computes the same numbers, to the last bit, for all the
forms at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from adapters.ml.feature_columns import encode_columns
from adapters.ml.feature_rows import encode_row
from adapters.ml.schema import (
    BUILT_IN,
    FORM_CATEGORIES,
    FORM_NUMBERS,
    LOAN_TO_PRICE,
    OTHER,
    PRICE_ATTRIBUTE,
    CategoricalFeature,
    CodeReader,
    FeatureSchema,
    fit_schema,
)
from domain.credit.application import ApplicationForm

__all__ = [
    "BUILT_IN",
    "FORM_CATEGORIES",
    "FORM_NUMBERS",
    "LOAN_TO_PRICE",
    "OTHER",
    "PRICE_ATTRIBUTE",
    "CategoricalFeature",
    "CodeReader",
    "FeatureSchema",
    "feature_list",
    "feature_matrix",
    "feature_row",
    "feature_values",
    "fit_schema",
]


def feature_row(form: ApplicationForm, schema: FeatureSchema) -> NDArray[np.float64]:
    """One form as the model's input row, in `schema.names` order."""
    return np.asarray(encode_row(form, schema), dtype=np.float64)


def feature_list(form: ApplicationForm, schema: FeatureSchema) -> list[float]:
    """`feature_row` as Python floats, for a caller that reads the values one by one."""
    return encode_row(form, schema)


#: Up to this many forms a matrix is built form by form (`encode_row`); beyond, column by column
#: (`encode_columns`), where numpy's fixed cost per column is spread over enough forms to pay.
ROWS_BUILT_ONE_BY_ONE = 32


def feature_matrix(forms: Sequence[ApplicationForm], schema: FeatureSchema) -> NDArray[np.float64]:
    """Many forms as rows: each row is `feature_row` of its form, to the last bit.

    Training and scoring both encode through here, so they cannot disagree. A large batch is
    encoded a column at a time (`encode_columns`, which tests hold equal to the rows form by form).
    """
    width = len(schema.names)
    if not forms:
        return np.empty((0, width), dtype=np.float64)
    if len(forms) > ROWS_BUILT_ONE_BY_ONE:
        matrix = encode_columns(forms, schema)
        if matrix is not None:
            return matrix
    return np.asarray([encode_row(form, schema) for form in forms], dtype=np.float64)


def feature_values(form: ApplicationForm, schema: FeatureSchema) -> dict[str, float]:
    """One form's encoded row as name -> value, for reading and testing the encoding."""
    return dict(zip(schema.names, encode_row(form, schema), strict=True))
