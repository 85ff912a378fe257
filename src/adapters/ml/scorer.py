"""The live scorer: a trained model behind the Scorer and Explainer ports.

It loads the booster once, then scores one application or a batch in one vectorised call:
calibrated probability of default, the score the scale gives that probability, and the exact
per-feature contributions to the raw log-odds of default (XGBoost's TreeSHAP through
`pred_contribs`, the same numbers as shap.TreeExplainer, averaged with the WOE scorecard's terms
when the model blends the two). With `base_value` the contributions add up to the raw log-odds;
the probability is that raw log-odds passed through the model's calibrator.

The ports take a mapping of feature values. The model reads more than the domain's affordability
features (form amounts, ratios and the lender's extra attributes), so the mapping is keyed by the
model's own feature names (`features.feature_values(form, schema)` builds it, and `schema` is
exposed for that); a name the mapping lacks is treated as missing. `score_form` and `score_forms`
take application forms directly and are the path without any room for skew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from adapters.ml.features import FeatureSchema, feature_matrix, matrix_from_mappings
from adapters.ml.model import LoadedModel, TrainedModel
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale
from domain.credit.scoring import ModelScore


class XGBoostScorer:
    """Scores with one trained model; satisfies `Scorer` and `Explainer` structurally."""

    def __init__(self, model: TrainedModel, scale: ScoreScale = DEFAULT_SCALE) -> None:
        self._model = LoadedModel(model)
        self._names = model.schema.names
        self._scale = scale

    @property
    def model_version(self) -> str:
        return self._model.model.version

    @property
    def schema(self) -> FeatureSchema:
        return self._model.model.schema

    def score(self, features: Mapping[str, float]) -> ModelScore:
        return self.score_batch([features])[0]

    def score_batch(self, rows: Sequence[Mapping[str, float]]) -> list[ModelScore]:
        return self.score_matrix(matrix_from_mappings(rows, self.schema))

    def explain(self, features: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        return self.score(features).contributions

    def score_form(self, form: ApplicationForm) -> ModelScore:
        return self.score_forms([form])[0]

    def score_forms(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        return self.score_matrix(feature_matrix(forms, self.schema))

    def score_matrix(self, matrix: NDArray[np.float64]) -> list[ModelScore]:
        """Rows already in the schema's column order (`features.feature_matrix`)."""
        explained = self._model.explain(matrix)
        version, names, scale = self.model_version, self._names, self._scale
        return [
            ModelScore(
                model_version=version,
                probability_of_default=pd,
                score=scale.score_from_pd(pd),
                contributions=tuple(zip(names, row, strict=True)),
                base_value=base,
            )
            for pd, base, row in zip(
                explained.probabilities.tolist(),
                explained.base_values.tolist(),
                explained.contributions.tolist(),
                strict=True,
            )
        ]

    def feature_importance(self) -> dict[str, float]:
        """Total gain of the trees' splits on each feature (for the model-information view)."""
        gains = self._model.booster.get_score(importance_type="total_gain")
        return {
            name: float(gains.get(f"f{i}", 0.0))  # type: ignore[arg-type]  # a float per feature
            for i, name in enumerate(self._names)
        }
