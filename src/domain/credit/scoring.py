"""What scoring says about one application, kept with the versions that produced it.

A scoring result is evidence: months later an examiner may ask why an application was declined,
so the result names the model version, the scorecard version and the routing-policy version, and
keeps every per-feature contribution the model reported.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import frozen

from domain.credit.features import Features
from domain.credit.routing import RoutingDecision
from domain.credit.scorecard import ScorecardResult


class RiskCategory(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


@frozen
class RiskBands:
    """Upper bounds of probability of default for each category (configurable per tenant)."""

    low_below: float = 0.05
    medium_below: float = 0.15
    high_below: float = 0.35

    def categorize(self, probability_of_default: float) -> RiskCategory:
        if probability_of_default < self.low_below:
            return RiskCategory.LOW
        if probability_of_default < self.medium_below:
            return RiskCategory.MEDIUM
        if probability_of_default < self.high_below:
            return RiskCategory.HIGH
        return RiskCategory.VERY_HIGH


@frozen
class ModelScore:
    """What a model (any Scorer) returns for one application.

    `contributions` are per-feature additive effects on the log-odds of default: positive pushed
    toward default (and decline), negative toward repayment. With `base_value` they sum to the
    model's raw log-odds output, which is what makes them exact explanations.
    """

    model_version: str
    probability_of_default: float
    score: float
    contributions: tuple[tuple[str, float], ...]
    base_value: float = 0.0

    def contribution_map(self) -> dict[str, float]:
        return dict(self.contributions)


@frozen
class ScoringResult:
    """The stored outcome of scoring and routing one application."""

    tenant_id: str
    application_id: str
    scored_at: datetime
    features: Features
    model: ModelScore
    scorecard: ScorecardResult
    risk_category: RiskCategory
    routing: RoutingDecision


@frozen
class ShadowScore:
    """A challenger's score of an application, stored beside the champion's, never deciding.

    Kept so the challenger can be judged on live applications before anyone promotes it: the
    same application, the champion that decided it (`champion_version`) and what the challenger
    would have said.
    """

    tenant_id: str
    application_id: str
    scored_at: datetime
    champion_version: str
    model: ModelScore
