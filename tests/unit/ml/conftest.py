"""Small histories and small models, trained once per session (a few seconds in all)."""

from __future__ import annotations

import pytest

from adapters.ml.model import TrainedModel
from adapters.ml.training import CrossValidation, TrainingConfig, cross_validate, fit_model
from adapters.ml.tuning import SearchSpace
from domain.credit.application import ApplicationForm
from tests.unit.ml.synthetic import synthetic_history

History = tuple[list[ApplicationForm], list[bool]]


def small_config(
    *, blend_weights: tuple[float, ...] = (1.0, 0.5), inner_folds: int = 2
) -> TrainingConfig:
    """Few trees, few folds: fast, and still a real nested search."""
    return TrainingConfig(
        outer_folds=3,
        inner_folds=inner_folds,
        search=SearchSpace(
            max_depths=(2, 3),
            learning_rates=(0.1,),
            tree_counts=(20, 50),
            blend_weights=blend_weights,
        ),
    )


@pytest.fixture(scope="session")
def history() -> History:
    return synthetic_history(600)


@pytest.fixture(scope="session")
def xgb_model(history: History) -> TrainedModel:
    """XGBoost alone (no averaging with the scorecard), so it can be compared with shap."""
    forms, defaulted = history
    model, _ = fit_model(forms, defaulted, small_config(blend_weights=(1.0,)), version="xgb-1")
    assert model.blend_weight == 1.0
    return model


@pytest.fixture(scope="session")
def blended_model(history: History) -> TrainedModel:
    """Half XGBoost, half WOE scorecard, in log-odds."""
    forms, defaulted = history
    model, _ = fit_model(forms, defaulted, small_config(blend_weights=(0.5,)), version="blend-1")
    assert model.blend_weight == 0.5
    assert model.woe is not None
    return model


@pytest.fixture(scope="session")
def cross_validation(history: History) -> CrossValidation:
    forms, defaulted = history
    return cross_validate(forms, defaulted, small_config())
