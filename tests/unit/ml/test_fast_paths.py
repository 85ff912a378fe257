"""The fast paths of live scoring return exactly what the plain computations they replace return.

Scoring one application has to cost little more than xgboost itself, so the scorer reads the
WOE scorecard through a precomputed table, encodes a form without the intermediate mappings,
explains a single row in plain Python and reads scores with the scale's constants worked out
once. Each shortcut is checked here against the plain, obvious computation: equal to the last
bit, not merely close.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import xgboost as xgb
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from adapters.ml.features import (
    BUILT_IN,
    OTHER,
    CategoricalFeature,
    FeatureSchema,
    feature_matrix,
    feature_row,
)
from adapters.ml.model import LoadedModel, TrainedModel, load_booster
from adapters.ml.schema import _number
from adapters.ml.scorer import XGBoostScorer, score_reader
from adapters.ml.woe import ROWS_READ_ONE_BY_ONE, WoeCharacteristic, WoeScorecard
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.features import FEATURE_NAMES, derive_features
from domain.credit.scorecard import ScoreScale
from domain.credit.scoring import ModelScore
from tests.unit.ml.conftest import History

# --- the WOE scorecard's lookup table ------------------------------------------------------

FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
SMALL = st.floats(min_value=-8.0, max_value=8.0, allow_nan=False)


@st.composite
def characteristics(draw: st.DrawFn) -> WoeCharacteristic:
    splits = tuple(sorted(draw(st.lists(FINITE, max_size=7))))
    bins = len(splits) + 1
    woe = tuple(draw(st.lists(SMALL, min_size=bins, max_size=bins)))
    return WoeCharacteristic("f", splits, woe, draw(SMALL), draw(SMALL), draw(SMALL))


def per_characteristic(scorecard: WoeScorecard, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """The plain computation: one `woe_of` per characteristic, then its coefficient and mean."""
    columns = [
        c.coefficient * c.woe_of(matrix[:, j]) - c.mean_term
        for j, c in enumerate(scorecard.characteristics)
    ]
    return np.column_stack(columns) if columns else np.zeros((matrix.shape[0], 0))


@st.composite
def scorecards_and_rows(draw: st.DrawFn) -> tuple[WoeScorecard, NDArray[np.float64]]:
    """A scorecard and rows whose values often sit exactly on, or just beside, a cut point."""
    scorecard = WoeScorecard(draw(SMALL), tuple(draw(st.lists(characteristics(), max_size=6))))
    rows = draw(st.integers(min_value=1, max_value=2 * ROWS_READ_ONE_BY_ONE))  # both readings
    columns = []
    for c in scorecard.characteristics:
        near = [v for s in c.splits for v in (s, math.nextafter(s, -math.inf))]
        special = st.sampled_from([math.nan, math.inf, -math.inf, *near])
        columns.append(draw(st.lists(FINITE | special, min_size=rows, max_size=rows)))
    matrix = np.array(columns, dtype=np.float64).T.reshape(rows, len(columns))
    return scorecard, matrix


@settings(max_examples=300, deadline=None)
@given(scorecards_and_rows())
def test_the_woe_table_gives_the_per_characteristic_terms_exactly(
    case: tuple[WoeScorecard, NDArray[np.float64]],
) -> None:
    scorecard, matrix = case
    expected = per_characteristic(scorecard, matrix)
    np.testing.assert_array_equal(scorecard.contributions(matrix), expected)
    for i in range(matrix.shape[0]):  # one row at a time, as a single application is scored
        np.testing.assert_array_equal(
            scorecard.contributions(matrix[i : i + 1]), expected[i : i + 1]
        )


def test_the_woe_table_refuses_a_matrix_of_other_columns() -> None:
    scorecard = WoeScorecard(0.0, (WoeCharacteristic("x", (1.0,), (0.0, 1.0), 0.5, 1.0, 0.0),))
    with pytest.raises(ValueError, match="columns"):
        scorecard.contributions(np.zeros((3, 2)))


@pytest.mark.parametrize("splits", [(2.0, 1.0), (math.nan,), (1.0, math.nan)])
def test_cut_points_out_of_order_are_refused(splits: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="increasing order"):
        WoeCharacteristic("x", splits, (0.0,) * (len(splits) + 1), 0.0, 1.0, 0.0)


def test_a_trained_scorecard_scores_its_training_rows_as_per_characteristic(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    assert blended_model.woe is not None
    matrix = feature_matrix(forms, blended_model.schema)
    expected = per_characteristic(blended_model.woe, matrix)
    np.testing.assert_array_equal(blended_model.woe.contributions(matrix), expected)


# --- the feature row -----------------------------------------------------------------------


def plain_code(feature: CategoricalFeature, value: str | None) -> float:
    """The category's position by searching the tuple, as the encoding was first written."""
    if value is None or not value.strip():
        return math.nan
    try:
        return float(feature.categories.index(value.strip()))
    except ValueError:
        return float(feature.categories.index(OTHER))


def plain_row(form: ApplicationForm, schema: FeatureSchema) -> list[float]:
    """The row through `Features.as_mapping` and a dict of every text input, step by step."""
    domain = derive_features(form).as_mapping()
    f = form.financials
    income = f.monthly_income().amount
    amount = form.loan.amount.amount
    row = [domain[name] for name in FEATURE_NAMES]
    row += [
        float(amount),
        float(form.loan.term_months),
        float(income),
        float(income - f.monthly_expenses.amount),
        float(f.savings.amount + f.other_assets.amount - f.total_liabilities.amount),
    ]
    if schema.price_attribute is not None:
        price = _number(form.attributes.get(schema.price_attribute))
        row.append(float(amount) / price if price > 0 else math.nan)
    row += [_number(form.attributes.get(name)) for name in schema.numeric_attributes]
    texts = {k: v for k, v in form.attributes.items() if k not in BUILT_IN}
    texts |= {
        "loan_purpose": form.loan.purpose.value,
        "employment_type": form.applicant.employment.employment_type.value,
        "contract_type": form.applicant.employment.contract_type.value,
    }
    row += [plain_code(c, texts.get(c.name)) for c in schema.categorical]
    return row


TEXTS = st.sampled_from(["", "  ", "rent", " rent ", "owner", "castle", OTHER, "yes", "Rent"])


@settings(max_examples=200, deadline=None)
@given(
    categories=st.lists(TEXTS.filter(str.strip), unique=True, max_size=5), value=st.none() | TEXTS
)
def test_a_category_code_is_its_position_found_by_search(
    categories: list[str], value: str | None
) -> None:
    if OTHER not in categories:
        categories.append(OTHER)
    feature = CategoricalFeature("home", tuple(categories))
    expected, code = plain_code(feature, value), feature.code(value)
    assert code == expected or (math.isnan(code) and math.isnan(expected))


def test_every_row_is_the_plain_encoding(blended_model: TrainedModel, history: History) -> None:
    forms, _ = history
    schema = blended_model.schema
    odd = forms[0]
    unusual = [
        evolve(odd, attributes={}),
        evolve(odd, attributes={**odd.attributes, "home": " rent ", "records": ""}),
        evolve(odd, attributes={**odd.attributes, "home": "castle", "purchase_price": "0"}),
        evolve(odd, attributes={**odd.attributes, "loan_purpose": "yacht", "records": "  "}),
        evolve(odd, attributes={**odd.attributes, "loan_amount": "1"}),
    ]
    # A hand-written schema may even name a built-in number as a category: it reads nothing.
    odd_schema = evolve(
        schema, categorical=(*schema.categorical, CategoricalFeature("loan_amount", ("1", OTHER)))
    )
    for s in (schema, odd_schema):
        for form in [*forms, *unusual]:
            np.testing.assert_array_equal(feature_row(form, s), plain_row(form, s))


# --- the blend and the scores --------------------------------------------------------------


def test_the_explanation_is_the_plain_blend_exactly(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    matrix = feature_matrix(forms[:200], blended_model.schema)
    woe, weight = blended_model.woe, blended_model.blend_weight
    assert woe is not None
    booster = load_booster(blended_model.booster)
    raw = np.asarray(
        booster.predict(xgb.DMatrix(matrix, missing=np.nan), pred_contribs=True), dtype=np.float64
    )
    contributions = weight * raw[:, :-1] + (1.0 - weight) * per_characteristic(woe, matrix)
    base = weight * raw[:, -1] + (1.0 - weight) * woe.base_value
    margins = base + contributions.sum(axis=1)
    explained = LoadedModel(blended_model).explain(matrix)
    np.testing.assert_array_equal(explained.contributions, contributions)
    np.testing.assert_array_equal(explained.base_values, base)
    np.testing.assert_array_equal(explained.margins, margins)
    np.testing.assert_array_equal(
        explained.probabilities, blended_model.calibrator.probability(margins)
    )


@pytest.mark.parametrize("model_name", ["blended_model", "xgb_model"])
def test_one_row_explained_alone_is_that_row_of_the_batch_exactly(
    model_name: str, request: pytest.FixtureRequest, history: History
) -> None:
    model: TrainedModel = request.getfixturevalue(model_name)
    forms, _ = history
    loaded = LoadedModel(model)
    matrix = feature_matrix(forms, model.schema)
    batch = loaded.explain(matrix)
    for i in range(len(forms)):
        contributions, base, pd = loaded.explain_one(matrix[i : i + 1])
        assert contributions == batch.contributions[i].tolist()
        assert base == batch.base_values[i]
        assert pd == batch.probabilities[i]
    scorer = XGBoostScorer(model)
    assert [scorer.score(form) for form in forms[:100]] == scorer.score_batch(forms[:100])
    with pytest.raises(ValueError, match="one row"):
        loaded.explain_one(matrix[:2])


@pytest.mark.parametrize("model_name", ["blended_model", "xgb_model"])
def test_each_score_is_built_from_the_explanation_as_written_out(
    model_name: str, request: pytest.FixtureRequest, history: History
) -> None:
    model: TrainedModel = request.getfixturevalue(model_name)
    forms, _ = history
    explained = LoadedModel(model).explain(feature_matrix(forms[:50], model.schema))
    expected = [
        ModelScore(
            model_version=model.version,
            probability_of_default=float(explained.probabilities[i]),
            score=DEFAULT_SCALE.score_from_pd(float(explained.probabilities[i])),
            contributions=tuple(
                (name, float(value))
                for name, value in zip(model.schema.names, explained.contributions[i], strict=True)
            ),
            base_value=float(explained.base_values[i]),
        )
        for i in range(50)
    ]
    assert XGBoostScorer(model).score_batch(forms[:50]) == expected


PROBABILITIES = st.floats(min_value=0.0, max_value=1.0) | st.sampled_from([1e-300, 1 - 1e-16])


@settings(max_examples=300, deadline=None)
@given(
    scale=st.builds(
        ScoreScale,
        points_to_double_odds=st.floats(min_value=1.0, max_value=100.0),
        base_score=st.floats(min_value=0.0, max_value=1000.0),
        base_odds=st.floats(min_value=0.01, max_value=1000.0),
        min_score=st.floats(min_value=0.0, max_value=500.0),
        max_score=st.floats(min_value=500.0, max_value=1000.0),
    ),
    pd=PROBABILITIES | st.sampled_from([math.nan, -0.1, 1.5]),
)
def test_the_score_reader_reads_a_probability_as_the_scale_does(
    scale: ScoreScale, pd: float
) -> None:
    read = score_reader(scale)
    if 0.0 < pd < 1.0:
        assert read(pd) == scale.score_from_pd(pd)
    else:
        with pytest.raises(ValueError, match="strictly between"):
            scale.score_from_pd(pd)
        with pytest.raises(ValueError, match="strictly between"):
            read(pd)


def test_a_booster_that_names_its_features_is_refused(xgb_model: TrainedModel) -> None:
    """Predictions skip xgboost's check of feature names, so a booster with names is refused."""
    booster = load_booster(xgb_model.booster)
    booster.feature_names = list(xgb_model.schema.names)
    named = evolve(xgb_model, booster=bytes(booster.save_raw(raw_format="ubj")))
    with pytest.raises(ValueError, match="names its features"):
        LoadedModel(named)
