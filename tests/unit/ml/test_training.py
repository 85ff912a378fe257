"""Nested cross-validation: the search never sees a test fold, and the figures are reproducible."""

from __future__ import annotations

import numpy as np
import pytest
from attrs import evolve

from adapters.ml.model import training_data_hash
from adapters.ml.training import CrossValidation, cross_validate, fit_model, train_model
from tests.unit.ml.conftest import History, small_config


def test_the_search_never_sees_a_test_fold(cross_validation: CrossValidation) -> None:
    size = len(cross_validation.defaulted)
    for fold in cross_validation.folds:
        test = set(fold.test_rows)
        steps = [s for s in cross_validation.tuning_steps if s.outer_fold == fold.fold]
        assert len(steps) == 2  # one per inner fold
        seen: set[int] = set()
        for step in steps:
            assert not test & set(step.train_rows)
            assert not test & set(step.validation_rows)
            assert not set(step.train_rows) & set(step.validation_rows)
            seen |= set(step.validation_rows)
        # ...and it did search: every training row was validated on exactly once.
        assert seen == set(range(size)) - test
        assert fold.model.training_rows == size - len(test)


def test_a_holdout_search_also_stays_inside_the_training_rows(history: History) -> None:
    forms, defaulted = history
    rows = np.arange(100, 400)
    _, steps = fit_model(
        forms[100:400], defaulted[100:400], small_config(inner_folds=1), row_ids=rows, outer_fold=0
    )
    (step,) = steps
    assert set(step.train_rows) | set(step.validation_rows) == set(rows.tolist())
    assert len(step.validation_rows) == 75  # a quarter held out


def test_every_row_is_predicted_once_out_of_fold(cross_validation: CrossValidation) -> None:
    test_rows = [row for fold in cross_validation.folds for row in fold.test_rows]
    assert sorted(test_rows) == list(range(len(cross_validation.defaulted)))
    assert not np.isnan(cross_validation.probabilities).any()
    assert cross_validation.metrics.count == len(test_rows)


def test_the_models_find_the_signal(cross_validation: CrossValidation) -> None:
    assert cross_validation.metrics.auc > 0.7
    for fold in cross_validation.folds:
        assert fold.auc > 0.65
        assert fold.auc_xgboost > 0.65
        assert fold.auc_scorecard is not None
        assert fold.auc_scorecard > 0.65
        assert fold.model.blend_weight in {1.0, 0.5}
        assert fold.model.params.max_depth in {2, 3}
    assert cross_validation.metrics.gini == pytest.approx(2 * cross_validation.metrics.auc - 1)


def test_cross_validation_is_reproducible(history: History) -> None:
    forms, defaulted = history
    config = evolve(small_config(blend_weights=(1.0,)), with_scorecard=False)  # trees only: fast
    first = cross_validate(forms[:240], defaulted[:240], config)
    again = cross_validate(forms[:240], defaulted[:240], config)
    np.testing.assert_array_equal(again.probabilities, first.probabilities)
    assert again.tuning_steps == first.tuning_steps


def test_the_trained_model_carries_its_cross_validated_metrics(history: History) -> None:
    forms, defaulted = history
    config = small_config(blend_weights=(1.0,))
    model, evaluation = train_model(forms[:240], defaulted[:240], config, version="m-1")
    assert evaluation is not None
    assert model.metrics == evaluation.metrics
    assert model.training_data_hash == training_data_hash(forms[:240], defaulted[:240])
    assert model.training_rows == 240
    assert model.version == "m-1"
    assert model.woe is not None  # the scorecard is kept beside the trees
    assert model.calibrator.slope > 0
    unevaluated, none = train_model(
        forms[:240], defaulted[:240], config, version="m-1", cross_validation=False
    )
    assert none is None
    assert unevaluated.metrics is None
    assert unevaluated.booster == model.booster  # the same seed trains the same trees


def test_the_data_hash_depends_on_forms_outcomes_and_order(history: History) -> None:
    forms, defaulted = history
    base = training_data_hash(forms[:10], defaulted[:10])
    assert training_data_hash(forms[:10], defaulted[:10]) == base
    assert training_data_hash(forms[:10], [not d for d in defaulted[:10]]) != base
    assert training_data_hash(forms[:10][::-1], defaulted[:10][::-1]) != base
