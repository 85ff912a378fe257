"""Credit models behind ports: what scores an application, and what explains the score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.credit.application import ApplicationForm
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
