"""Credit models behind ports: what scores an application, and what explains the score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from domain.credit.scoring import ModelScore


class Scorer(Protocol):
    """A credit model that turns features into a probability of default (XGBoost in production).

    Its output carries exact per-feature contributions (`ModelScore.contributions`), so a
    score can always be explained to the applicant and the examiner.
    """

    @property
    def model_version(self) -> str:
        """The version of the model that scores, recorded with every result."""
        ...

    def score(self, features: Mapping[str, float]) -> ModelScore:
        """Score one application's features."""
        ...

    def score_batch(self, rows: Sequence[Mapping[str, float]]) -> list[ModelScore]:
        """Score many at once (CSV batches, backtests), equal to scoring each row alone."""
        ...


class Explainer(Protocol):
    """Per-feature contributions of one model's output (TreeSHAP for XGBoost).

    Exact, not approximate: with the model's base value they add up to its raw log-odds of
    default, so the reasons given for a decline are the reasons the model had.
    """

    def explain(self, features: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """(feature, contribution to log-odds of default) for each feature the model reads."""
        ...
