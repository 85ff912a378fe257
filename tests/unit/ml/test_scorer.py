"""The live scorer: exact explanations, the score scale, the ports, and stored models."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable

import numpy as np
import pytest
import xgboost as xgb
from attrs import evolve

from adapters.ml.features import OTHER, feature_matrix
from adapters.ml.model import DOCUMENT_FILE, LoadedModel, TrainedModel, load_booster
from adapters.ml.scorer import XGBoostScorer
from application.credit.ports.models import Explainer, Scorer
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale
from tests.unit.ml.conftest import History

# mypy checks here that the scorer satisfies both ports structurally.
AS_SCORER: Callable[[TrainedModel, ScoreScale], Scorer] = XGBoostScorer
AS_EXPLAINER: Callable[[TrainedModel, ScoreScale], Explainer] = XGBoostScorer


def test_contributions_and_base_value_add_up_to_the_raw_margin(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    matrix = feature_matrix(forms[:100], xgb_model.schema)
    raw = load_booster(xgb_model.booster).predict(
        xgb.DMatrix(matrix, missing=np.nan), output_margin=True
    )
    scorer = AS_SCORER(xgb_model, DEFAULT_SCALE)  # the port's surface alone
    scores = scorer.score_batch(forms[:100])
    sums = [s.base_value + sum(v for _, v in s.contributions) for s in scores]
    np.testing.assert_allclose(sums, raw, atol=1e-5)
    assert len({s.base_value for s in scores}) == 1


def test_a_blended_model_explains_its_averaged_margin_exactly(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    matrix = feature_matrix(forms[:100], blended_model.schema)
    assert blended_model.woe is not None
    booster = load_booster(blended_model.booster)
    xgb_margin = booster.predict(xgb.DMatrix(matrix, missing=np.nan), output_margin=True)
    expected = 0.5 * xgb_margin + 0.5 * blended_model.woe.margin(matrix)
    explained = LoadedModel(blended_model).explain(matrix)
    np.testing.assert_allclose(explained.margins, expected, atol=1e-5)
    np.testing.assert_allclose(
        explained.base_values + explained.contributions.sum(axis=1), expected, atol=1e-5
    )
    np.testing.assert_allclose(
        explained.probabilities, blended_model.calibrator.probability(explained.margins)
    )


def test_our_contributions_equal_shap_tree_explainer(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    with warnings.catch_warnings():  # shap's import warns about matplotlib deprecations
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        import shap  # type: ignore[import-untyped]  # noqa: PLC0415  # shap ships no types

    matrix = feature_matrix(forms[:50], xgb_model.schema)
    explainer = shap.TreeExplainer(load_booster(xgb_model.booster))
    expected = explainer.shap_values(matrix)
    scores = XGBoostScorer(xgb_model).score_batch(forms[:50])
    ours = np.array([[v for _, v in s.contributions] for s in scores])
    np.testing.assert_allclose(ours, expected, atol=1e-4)
    assert scores[0].base_value == pytest.approx(float(explainer.expected_value), abs=1e-4)


def test_the_score_is_the_scale_s_reading_of_the_calibrated_probability(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    for result in XGBoostScorer(blended_model).score_batch(forms[:100]):
        assert result.score == DEFAULT_SCALE.score_from_pd(result.probability_of_default)
        if DEFAULT_SCALE.min_score < result.score < DEFAULT_SCALE.max_score:
            assert DEFAULT_SCALE.pd_from_score(result.score) == pytest.approx(
                result.probability_of_default, rel=1e-9
            )
        assert 0 < result.probability_of_default < 1
        assert result.model_version == "blend-1"


def test_contributions_name_the_schema_s_features_in_order(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    result = XGBoostScorer(xgb_model).score(forms[0])
    assert tuple(name for name, _ in result.contributions) == xgb_model.schema.names
    assert all(isinstance(value, float) for _, value in result.contributions)


def test_a_batch_equals_scoring_each_form_alone(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    scorer = XGBoostScorer(blended_model)
    batch = scorer.score_batch(forms[:25])
    assert batch == [scorer.score(form) for form in forms[:25]]
    assert scorer.explain(forms[0]) == batch[0].contributions
    assert scorer.score_batch([]) == []


def test_an_unknown_category_at_scoring_is_scored_as_other(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    scorer = XGBoostScorer(blended_model)
    novel = evolve(forms[0], attributes={**forms[0].attributes, "home": "houseboat"})
    pooled = evolve(forms[0], attributes={**forms[0].attributes, "home": OTHER})
    assert scorer.score(novel) == scorer.score(pooled)


def test_protected_attributes_do_not_move_the_score(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    scorer = XGBoostScorer(blended_model)
    form = forms[0]
    changed = evolve(form, attributes={**form.attributes, "marital_status": "x", "age": "99"})
    removed = evolve(
        form,
        attributes={k: v for k, v in form.attributes.items() if k not in {"age", "marital_status"}},
    )
    assert scorer.score(changed) == scorer.score(form) == scorer.score(removed)


def test_a_stored_model_loads_back_equal_and_predicts_the_same(
    blended_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    stored = blended_model.to_bytes()
    loaded = TrainedModel.from_bytes(stored)
    assert loaded == blended_model
    assert loaded.to_bytes() == stored  # deterministic archive
    before = XGBoostScorer(blended_model).score_batch(forms[:50])
    after = XGBoostScorer(loaded).score_batch(forms[:50])
    assert before == after


def test_the_stored_document_is_plain_json_without_the_booster(blended_model: TrainedModel) -> None:
    document = json.loads(blended_model.to_files()[DOCUMENT_FILE])
    assert "booster" not in document
    assert document["schema"]["numeric_attributes"] == ["purchase_price"]
    assert document["blend_weight"] == 0.5
    with pytest.raises(ValueError, match="format version"):
        TrainedModel.from_files(
            {
                **blended_model.to_files(),
                DOCUMENT_FILE: json.dumps({**document, "format_version": 99}).encode(),
            }
        )


def test_feature_importance_names_every_feature(xgb_model: TrainedModel) -> None:
    importance = XGBoostScorer(xgb_model).feature_importance()
    assert tuple(importance) == xgb_model.schema.names
    assert max(importance.values()) > 0


def test_a_model_that_averages_needs_its_scorecard(blended_model: TrainedModel) -> None:
    with pytest.raises(ValueError, match="scorecard"):
        evolve(blended_model, woe=None)
    with pytest.raises(ValueError, match="between 0 and 1"):
        evolve(blended_model, blend_weight=1.5)
