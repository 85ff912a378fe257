"""The live scorer: a trained model behind the Scorer and Explainer ports.

It loads the booster once, then scores one application form or a batch in one vectorised call:
calibrated probability of default, the score the scale gives that probability, and the exact
per-feature contributions to the raw log-odds of default (XGBoost's TreeSHAP through
`pred_contribs`, the same numbers as shap.TreeExplainer, averaged with the WOE scorecard's terms
when the model blends the two). With `base_value` the contributions add up to the raw log-odds;
the probability is that raw log-odds passed through the model's calibrator.

The ports take application forms, and the model encodes them itself (`features.feature_matrix`,
the same code as in training: the domain's affordability features, form amounts and ratios,
and the lender's extra attributes), so training and scoring cannot drift apart.

Scoring one application has to cost little more than xgboost's own prediction (benchmarks/
scoring_speed.py), so `score` takes a single-row path (`LoadedModel.explain_values`: Python
floats, no per-step numpy call) and the scale's constants are worked out once (`score_reader`).
Both give exactly the numbers of the batch path and of `ScoreScale.score_from_pd`; tests hold
them equal (tests/unit/ml/test_fast_paths.py, test_scalar_paths.py). A batch reads its results
a row at a time rather than turning the whole matrix into lists first: 10,000 lists alive at
once would set off full garbage collections, each costing as much as the scores themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from adapters.ml.features import feature_list, feature_matrix
from adapters.ml.model import LoadedModel, TrainedModel
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale
from domain.credit.scoring import ModelScore


def score_reader(scale: ScoreScale) -> Callable[[float], float]:
    """`scale.score_from_pd`, with the scale's constants worked out once rather than per call.

    The same operations in the same order (a test holds the two equal on any scale), without
    recomputing `factor` and `offset` (two logarithms) for each of 10,000 applications, and
    with the clamp `min(max(score, low), high)` as the two comparisons those builtins make.
    """
    factor, offset, low, high = scale.factor, scale.offset, scale.min_score, scale.max_score

    def score_from_pd(pd: float) -> float:
        if not 0.0 < pd < 1.0:
            raise ValueError("a probability of default must lie strictly between 0 and 1")
        score = offset + factor * math.log((1.0 - pd) / pd)
        raised = low if score < low else score
        return high if raised > high else raised

    return score_from_pd


class XGBoostScorer:
    """Scores with one trained model; satisfies `Scorer` and `Explainer` structurally."""

    def __init__(self, model: TrainedModel, scale: ScoreScale = DEFAULT_SCALE) -> None:
        self._model = LoadedModel(model)
        self._schema = model.schema
        self._names = model.schema.names
        self._version = model.version
        self._scale = scale
        self._score_from_pd = score_reader(scale)

    @property
    def model_version(self) -> str:
        return self._version

    def score(self, form: ApplicationForm) -> ModelScore:
        """`score_batch([form])[0]`, through the single-row path (`LoadedModel.explain_values`)."""
        contributions, base, pd = self._model.explain_values(feature_list(form, self._schema))
        named = tuple(zip(self._names, contributions, strict=True))
        return ModelScore(self._version, pd, self._score_from_pd(pd), named, base)

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        if not forms:
            return []
        return self._scored(feature_matrix(forms, self._schema))

    def explain(self, form: ApplicationForm) -> tuple[tuple[str, float], ...]:
        return self.score(form).contributions

    def _scored(self, matrix: NDArray[np.float64]) -> list[ModelScore]:
        """Rows in the schema's column order (`features.feature_matrix`).

        One `ModelScore` per row, built through `map` rather than a comprehension (no Python
        step of our own per row) and from one row of contributions at a time (see the module
        doc); the fields are passed in the class's order.
        """
        explained = self._model.explain(matrix)
        probabilities = explained.probabilities.tolist()
        contributions = map(
            tuple, map(zip, repeat(self._names), map(np.ndarray.tolist, explained.contributions))
        )
        return list(
            map(
                ModelScore,
                repeat(self._version),
                probabilities,
                map(self._score_from_pd, probabilities),
                contributions,
                explained.base_values.tolist(),
            )
        )

    def feature_importance(self) -> dict[str, float]:
        """Total gain of the trees' splits on each feature (for the model-information view)."""
        gains = self._model.booster.get_score(importance_type="total_gain")
        return {
            name: float(gains.get(f"f{i}", 0.0))  # type: ignore[arg-type]  # a float per feature
            for i, name in enumerate(self._names)
        }
