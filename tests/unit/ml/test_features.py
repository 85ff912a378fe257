"""One feature encoding for training and scoring: the schema, its categories, its refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from attrs import evolve

from adapters.ml.features import (
    FORM_CATEGORIES,
    LOAN_TO_PRICE,
    OTHER,
    CategoricalFeature,
    FeatureSchema,
    feature_matrix,
    feature_row,
    feature_values,
    fit_schema,
)
from domain.credit.features import FEATURE_NAMES, derive_features
from domain.credit.reasons import DEFAULT_REASON_CODES
from tests.builders import an_application_form
from tests.unit.ml.conftest import History

PROTECTED_HERE = ("marital_status", "age")


def test_the_schema_reads_no_protected_attribute(history: History) -> None:
    forms, defaulted = history
    assert all(set(PROTECTED_HERE) <= f.attributes.keys() for f in forms)  # they are there
    schema = fit_schema(forms, defaulted)
    assert not {n.casefold() for n in schema.names} & DEFAULT_REASON_CODES.protected
    assert schema.protected == DEFAULT_REASON_CODES.protected


def test_protected_names_are_matched_whatever_their_case(history: History) -> None:
    forms, defaulted = history
    shouted = [evolve(f, attributes={k.upper(): v for k, v in f.attributes.items()}) for f in forms]
    names = fit_schema(shouted, defaulted).names
    assert "MARITAL_STATUS" not in names
    assert "AGE" not in names
    assert "HOME" in names  # an unprotected attribute survives the same treatment


def test_a_schema_naming_a_protected_attribute_is_refused() -> None:
    with pytest.raises(ValueError, match="protected"):
        FeatureSchema(numeric_attributes=("Age",), categorical=())
    with pytest.raises(ValueError, match="protected"):
        FeatureSchema((), (CategoricalFeature("marital_status", ("single", OTHER)),))


def test_numbers_are_numeric_text_is_categorical_and_a_price_adds_a_ratio(
    history: History,
) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    assert schema.numeric_attributes == ("purchase_price",)
    assert schema.price_attribute == "purchase_price"
    assert [c.name for c in schema.categorical] == [*FORM_CATEGORIES, "home", "records"]
    assert schema.names[: len(FEATURE_NAMES)] == FEATURE_NAMES
    assert LOAN_TO_PRICE in schema.names


def test_categories_are_ordered_by_their_default_rate(history: History) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    records = next(c for c in schema.categorical if c.name == "records")
    # Arrears on record raise the risk in the synthetic history; "yes" must rank above "no".
    assert records.categories.index("yes") > records.categories.index("no")
    home = next(c for c in schema.categorical if c.name == "home")
    assert home.categories.index("rent") > home.categories.index("owner")


def test_rare_categories_are_pooled_into_other(history: History) -> None:
    forms, defaulted = history
    renamed = [
        evolve(f, attributes={**f.attributes, "home": "castle"}) if i < 3 else f
        for i, f in enumerate(forms)
    ]
    home = next(c for c in fit_schema(renamed, defaulted).categorical if c.name == "home")
    assert "castle" not in home.categories
    assert home.code("castle") == home.categories.index(OTHER)


def test_an_unknown_category_is_other_and_a_missing_value_is_nan(history: History) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    home = next(c for c in schema.categorical if c.name == "home")
    form = evolve(forms[0], attributes={**forms[0].attributes, "home": "houseboat"})
    values = feature_values(form, schema)
    assert values["home"] == home.categories.index(OTHER)
    without = evolve(forms[0], attributes={"records": "no"})
    values = feature_values(without, schema)
    assert math.isnan(values["home"])
    assert math.isnan(values["purchase_price"])
    assert math.isnan(values[LOAN_TO_PRICE])


def test_an_unparseable_number_at_scoring_is_missing(history: History) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    form = evolve(forms[0], attributes={**forms[0].attributes, "purchase_price": "a lot"})
    assert math.isnan(feature_values(form, schema)["purchase_price"])


def test_the_row_carries_the_domain_features_and_the_ratios(history: History) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    form = forms[5]
    values = feature_values(form, schema)
    for name, value in derive_features(form).as_mapping().items():
        assert values[name] == value
    price = float(form.attributes["purchase_price"])
    assert values[LOAN_TO_PRICE] == pytest.approx(float(form.loan.amount.amount) / price)
    f = form.financials
    assert values["income_minus_expenses"] == float(
        f.monthly_income().amount - f.monthly_expenses.amount
    )
    assert values["assets_minus_liabilities"] == float(
        f.savings.amount + f.other_assets.amount - f.total_liabilities.amount
    )


def test_one_row_and_many_rows_are_the_same_encoding(history: History) -> None:
    forms, defaulted = history
    schema = fit_schema(forms, defaulted)
    matrix = feature_matrix(forms[:20], schema)
    assert matrix.shape == (20, len(schema.names))
    for i, form in enumerate(forms[:20]):
        np.testing.assert_array_equal(matrix[i], feature_row(form, schema))
    named = list(feature_values(forms[0], schema).values())
    np.testing.assert_array_equal(named, feature_row(forms[0], schema))


def test_forms_without_attributes_still_have_their_form_categories() -> None:
    form = an_application_form()
    schema = fit_schema([form, evolve(form, external_id="x")], [True, False])
    assert [c.name for c in schema.categorical] == list(FORM_CATEGORIES)
    assert schema.price_attribute is None
    assert feature_matrix([], schema).shape == (0, len(schema.names))


def test_an_attribute_named_like_a_built_in_feature_does_not_replace_it() -> None:
    form = evolve(an_application_form(), attributes={"loan_amount": "1", "debt_to_income": "9"})
    schema = fit_schema([form, evolve(form, external_id="x")], [True, False])
    values = feature_values(form, schema)
    assert values["loan_amount"] == float(form.loan.amount.amount)
    assert schema.names.count("loan_amount") == 1
