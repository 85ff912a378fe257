"""Credit models behind ports: what scores an application, what explains the score, and how a
registered model version becomes a live one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.credit.application import ApplicationForm
from domain.credit.factors import FeatureReading
from domain.credit.model_monitoring import FeatureProfile
from domain.credit.model_registry import ModelVersion
from domain.credit.scoring import ModelScore


class Scorer(Protocol):
    """A credit model that turns an application form into a probability of default.

    It takes the whole form, not the domain's affordability features: a model may read more
    (raw amounts, the lender's extra `attributes` such as a purchase price), and what it reads
    is its own business. XGBoost in production.

    What every scorer honours, for each result:

    * `contributions` are exact per-feature contributions (distinct names): with `base_value`
      they add up to the model's raw log-odds margin of default, so a score can always be
      explained to the applicant and the examiner;
    * `probability_of_default` is that margin passed through the model's calibration, a
      non-decreasing map into (0, 1), so a larger margin never means a smaller probability;
    * `score` is the score scale's reading of that probability (`ScoreScale.score_from_pd`).
    """

    @property
    def model_version(self) -> str:
        """The version of the model that scores, recorded with every result."""
        ...

    def score(self, form: ApplicationForm) -> ModelScore:
        """Score one application form."""
        ...

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        """Score many at once (CSV batches, backtests), equal to scoring each form alone."""
        ...


class Explainer(Protocol):
    """Per-feature contributions of one model's output (TreeSHAP for XGBoost).

    Exact, not approximate: with the model's base value they add up to its raw log-odds margin
    of default (before calibration), so the reasons given for a decline are the reasons the
    model had. They equal the `contributions` the same model's `Scorer` returns.
    """

    def explain(self, form: ApplicationForm) -> tuple[tuple[str, float], ...]:
        """(feature, contribution to the raw log-odds of default), per feature the model reads."""
        ...


class ServingModel(Scorer, Protocol):
    """A loaded model version: it scores, and it can say what it reads and how it was trained.

    Everything the model-serving surface, the factor statements and monitoring need from a
    model, without knowing it is XGBoost.
    """

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The features the model reads, in the order of its contributions."""
        ...

    def feature_importance(self) -> dict[str, float]:
        """Each feature's share of the model's total importance (non-negative, summing to 1
        unless the model never split at all)."""
        ...

    def readings(self, form: ApplicationForm) -> dict[str, FeatureReading]:
        """What the model reads from `form`, per feature, with each number's percentile among
        the applicants it was trained on."""
        ...

    def profiles(self) -> tuple[FeatureProfile, ...]:
        """Each feature's distribution in training, for drift monitoring (empty if the model
        was stored without one)."""
        ...

    def columns(self, forms: Sequence[ApplicationForm]) -> dict[str, list[float]]:
        """The values the model reads from `forms`, per feature (NaN where missing)."""
        ...


class ModelLoader(Protocol):
    """Turns a registered version into a live model, loading each artifact once per process.

    Artifacts are immutable (a version's key never gets other bytes), so a loader may keep
    what it loaded for as long as the process lives; a promotion changes which version the
    registry names, never what a version is.
    """

    def load(self, version: ModelVersion) -> ServingModel:
        """The live model of `version`; `ModelUnavailable` when its artifact cannot be read."""
        ...
