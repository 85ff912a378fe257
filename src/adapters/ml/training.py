"""Training a credit model, and estimating how good the whole training procedure is.

`fit_model` is the procedure: learn the feature schema, search hyper-parameters inside the rows
it is given (see `tuning`), fit the calibrator on the winner's inner out-of-fold log-odds, then
train XGBoost (and the WOE scorecard beside it) on all those rows.

`cross_validate` runs that same procedure inside each training part of a seeded stratified
k-fold split and scores the held-out fold with it, so the reported figures are for the procedure,
tuning included, on rows it never saw (nested cross-validation). `train_model` runs the procedure
once on everything and attaches the cross-validated metrics to the model it returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xgboost as xgb
from attrs import evolve, field, frozen
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from adapters.ml.calibration import CalibrationMethod, fit_calibrator
from adapters.ml.evaluation import Metrics, auc, evaluate, routing_thresholds
from adapters.ml.features import feature_matrix, fit_schema
from adapters.ml.model import LoadedModel, TrainedModel, hash_of_fingerprints, xgb_contributions
from adapters.ml.profiles import feature_profiles
from adapters.ml.tuning import SearchSpace, TuningStep, tune
from adapters.ml.woe import fit_woe_scorecard
from domain.credit.application import ApplicationForm, form_fingerprint
from domain.credit.reasons import DEFAULT_REASON_CODES


@frozen
class TrainingConfig:
    outer_folds: int = 5
    inner_folds: int = 3
    seed: int = 20261122
    search: SearchSpace = field(factory=SearchSpace)
    calibration: CalibrationMethod = CalibrationMethod.PLATT
    thresholds: tuple[float, ...] = routing_thresholds()
    protected: frozenset[str] = DEFAULT_REASON_CODES.protected
    #: Fit the WOE scorecard even when no blend weight below 1 is searched (to report it).
    with_scorecard: bool = True


@frozen
class FoldResult:
    """One outer fold: the rows it held out, the model fitted without them, its AUCs on them."""

    fold: int
    test_rows: tuple[int, ...]
    model: TrainedModel = field(repr=False)
    auc: float
    auc_xgboost: float
    auc_scorecard: float | None


@frozen(eq=False)  # arrays have no single truth value
class CrossValidation:
    """Out-of-fold predictions of every row, pooled metrics, per-fold results, every tuning fit."""

    folds: tuple[FoldResult, ...]
    defaulted: NDArray[np.bool_]
    probabilities: NDArray[np.float64]
    margins: NDArray[np.float64]
    metrics: Metrics
    tuning_steps: tuple[TuningStep, ...]

    @property
    def fold_aucs(self) -> tuple[float, ...]:
        return tuple(f.auc for f in self.folds)


def _outcomes(defaulted: Sequence[bool]) -> NDArray[np.bool_]:
    return np.asarray(defaulted, dtype=np.bool_)


def fit_model(
    forms: Sequence[ApplicationForm],
    defaulted: Sequence[bool],
    config: TrainingConfig = TrainingConfig(),
    *,
    version: str = "candidate",
    row_ids: NDArray[np.intp] | None = None,
    outer_fold: int | None = None,
    fingerprints: Sequence[str] | None = None,
) -> tuple[TrainedModel, tuple[TuningStep, ...]]:
    """Train on exactly these rows; `row_ids` name them in the full data set (for the record).

    `fingerprints` (`form_fingerprint` of each form) saves hashing the forms again.
    """
    y = _outcomes(defaulted)
    if fingerprints is None:
        fingerprints = [form_fingerprint(form) for form in forms]
    ids = np.arange(len(forms)) if row_ids is None else row_ids
    schema = fit_schema(forms, defaulted, protected=config.protected)
    matrix = feature_matrix(forms, schema)
    search = config.search
    tuning = tune(
        matrix,
        y,
        ids,
        schema.names,
        search,
        inner_folds=config.inner_folds,
        seed=config.seed + 1 + (outer_fold if outer_fold is not None else -1),
        outer_fold=outer_fold,
    )
    best = tuning.best
    covered = ~np.isnan(tuning.oof_margins)
    calibrator = fit_calibrator(tuning.oof_margins[covered], y[covered], config.calibration)
    data = xgb.DMatrix(matrix, label=y.astype(np.float64), missing=np.nan)
    booster = xgb.train(
        best.params.booster_params(config.seed), data, num_boost_round=best.params.n_trees
    )
    woe = None
    if search.needs_scorecard or config.with_scorecard:
        woe = fit_woe_scorecard(matrix, y, schema.names)
    model = TrainedModel(
        version=version,
        booster=bytes(booster.save_raw(raw_format="ubj")),
        schema=schema,
        params=best.params,
        woe=woe,
        calibrator=calibrator,
        training_data_hash=hash_of_fingerprints(fingerprints, defaulted),
        training_rows=len(forms),
        seed=config.seed,
        blend_weight=best.blend_weight,
        profiles=feature_profiles(matrix, schema.names),
    )
    return model, tuning.steps


def outer_splits(
    defaulted: NDArray[np.bool_], folds: int, seed: int
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(defaulted)), defaulted))


def cross_validate(
    forms: Sequence[ApplicationForm],
    defaulted: Sequence[bool],
    config: TrainingConfig = TrainingConfig(),
    *,
    fingerprints: Sequence[str] | None = None,
) -> CrossValidation:
    """Nested cross-validation of `fit_model`: each test fold is scored, never searched on."""
    y = _outcomes(defaulted)
    if fingerprints is None:
        fingerprints = [form_fingerprint(form) for form in forms]
    probabilities = np.full(len(y), np.nan)
    margins = np.full(len(y), np.nan)
    folds = []
    steps: list[TuningStep] = []
    for fold, (train, test) in enumerate(outer_splits(y, config.outer_folds, config.seed)):
        model, fold_steps = fit_model(
            [forms[i] for i in train],
            [bool(y[i]) for i in train],
            config,
            version=f"cv-fold-{fold}",
            row_ids=train,
            outer_fold=fold,
            fingerprints=[fingerprints[i] for i in train],
        )
        steps.extend(fold_steps)
        test_matrix = feature_matrix([forms[i] for i in test], model.schema)
        loaded = LoadedModel(model)
        explained = loaded.explain(test_matrix)
        probabilities[test] = explained.probabilities
        margins[test] = explained.margins
        xgb_margin = xgb_contributions(loaded.booster, test_matrix).sum(axis=1)
        folds.append(
            FoldResult(
                fold=fold,
                test_rows=tuple(int(i) for i in test),
                model=model,
                auc=auc(y[test], explained.margins),
                auc_xgboost=auc(y[test], xgb_margin),
                auc_scorecard=(
                    auc(y[test], model.woe.margin(test_matrix)) if model.woe is not None else None
                ),
            )
        )
    return CrossValidation(
        folds=tuple(folds),
        defaulted=y,
        probabilities=probabilities,
        margins=margins,
        metrics=evaluate(y, probabilities, config.thresholds),
        tuning_steps=tuple(steps),
    )


def train_model(
    forms: Sequence[ApplicationForm],
    defaulted: Sequence[bool],
    config: TrainingConfig = TrainingConfig(),
    *,
    version: str,
    cross_validation: bool = True,
) -> tuple[TrainedModel, CrossValidation | None]:
    """The model trained on every row, carrying its cross-validated metrics when asked for."""
    fingerprints = [form_fingerprint(form) for form in forms]
    evaluation = None
    if cross_validation:
        evaluation = cross_validate(forms, defaulted, config, fingerprints=fingerprints)
    model, _steps = fit_model(forms, defaulted, config, version=version, fingerprints=fingerprints)
    if evaluation is not None:
        model = evolve(model, metrics=evaluation.metrics)
    return model, evaluation
