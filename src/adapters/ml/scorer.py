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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from adapters.ml.features import feature_matrix
from adapters.ml.model import LoadedModel, TrainedModel
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale
from domain.credit.scoring import ModelScore


class XGBoostScorer:
    """Scores with one trained model; satisfies `Scorer` and `Explainer` structurally."""

    def __init__(self, model: TrainedModel, scale: ScoreScale = DEFAULT_SCALE) -> None:
        self._model = LoadedModel(model)
        self._schema = model.schema
        self._names = model.schema.names
        self._scale = scale

    @property
    def model_version(self) -> str:
        return self._model.model.version

    def score(self, form: ApplicationForm) -> ModelScore:
        return self.score_batch([form])[0]

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        if not forms:
            return []
        return self._scored(feature_matrix(forms, self._schema))

    def explain(self, form: ApplicationForm) -> tuple[tuple[str, float], ...]:
        return self.score(form).contributions

    def _scored(self, matrix: NDArray[np.float64]) -> list[ModelScore]:
        """Rows in the schema's column order (`features.feature_matrix`)."""
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
