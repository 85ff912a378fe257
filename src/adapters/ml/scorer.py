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
floats, no per-step numpy call, xgboost reached through its C API, `one_row`) and the scale's
constants are worked out once (`score_reader`).
Both give exactly the numbers of the batch path and of `ScoreScale.score_from_pd`; tests hold
them equal (tests/unit/ml/test_fast_paths.py, test_scalar_paths.py).

A batch's results are built without a Python step of our own per row or per value
(`named_rows`), and with the garbage collector's work over them kept short and even
(`built_with_young_collections`): a batch of 10,000 makes a quarter of a million new tuples,
and left to itself the collector runs hundreds of small collections over them and, every few
batches, a full one over the whole process that costs several times the build itself.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import cycle, islice, repeat
from typing import TypeVar

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


def named_rows(
    names: Sequence[str], values: NDArray[np.float64]
) -> Iterator[tuple[tuple[str, float], ...]]:
    """Each row of `values` as `((name, value), ...)`, the names in column order.

    The whole matrix becomes one list of floats (one container for the collector to see, not
    one per row), paired with the names in turn and cut into rows of `len(names)` pairs by
    zipping one iterator with itself: all of it in C, nothing of ours run per row or per value.
    """
    rows, width = values.shape
    if width != len(names):
        raise ValueError(f"expected rows of {len(names)} values")
    if width == 0:
        return iter([()] * rows)
    pairs = zip(cycle(names), values.ravel().tolist())
    return zip(*[pairs] * width, strict=True)


T = TypeVar("T")

#: Results built between two collections of the young generation (`built_with_young_collections`).
ROWS_PER_COLLECTION = 500


def built_with_young_collections(
    results: Iterable[T], rows_per_collection: int = ROWS_PER_COLLECTION
) -> list[T]:
    """`list(results)`, the collector's young generation collected every `rows_per_collection`
    results, and no other collection meanwhile.

    Results are tuples of strings and floats inside frozen values: nothing that can form a
    cycle. Left to itself, the collector starts a young collection every 700 new objects (cheap,
    and it untracks the tuples while they are still in the CPU's caches), but also older ones,
    and every few batches a full one over every object in the process, which costs several
    times the build. Held off for the whole build instead, the next collection walks the whole
    batch at once, cold. So: held off, with a young collection of our own after each few
    hundred results. When the collector is disabled it stays so, and nothing is collected; it
    is enabled again afterwards, whatever happens, when it was enabled before (a thread that
    finds it held off by another simply builds without collections).
    """
    if rows_per_collection < 1:
        raise ValueError("rows_per_collection must be at least 1")
    if not gc.isenabled():
        return list(results)
    remaining = iter(results)
    built: list[T] = []
    gc.disable()
    try:
        while True:
            count = len(built)
            built += islice(remaining, rows_per_collection)
            if len(built) - count < rows_per_collection:
                return built
            gc.collect(0)
    finally:
        gc.enable()


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
        step of our own per row), the fields passed in the class's order (see the module doc).
        """
        explained = self._model.explain(matrix)
        probabilities = explained.probabilities.tolist()
        return built_with_young_collections(
            map(
                ModelScore,
                repeat(self._version),
                probabilities,
                map(self._score_from_pd, probabilities),
                named_rows(self._names, explained.contributions),
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
