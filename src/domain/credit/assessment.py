"""One application assessed end to end by the rules alone: validate, derive, score, route.

This is the path every application takes before any model is involved, and what the scorecard
side of a scoring result is made of. It is pure, so the demo, the tests and the scoring use case
all run exactly the same code.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from domain.credit.application import ApplicationForm
from domain.credit.features import Features, derive_features
from domain.credit.reasons import AdverseReason, ReasonCodeTable, adverse_action_reasons
from domain.credit.routing import RoutingDecision, RoutingPolicy, route
from domain.credit.scorecard import Scorecard, ScorecardResult
from domain.credit.scoring import RiskBands, RiskCategory
from domain.credit.validation import FormLimits, validate


@frozen
class Assessment:
    features: Features
    scorecard: ScorecardResult
    risk_category: RiskCategory
    routing: RoutingDecision
    adverse_reasons: tuple[AdverseReason, ...]


def scorecard_contributions(result: ScorecardResult) -> dict[str, float]:
    """Each rule's effect on the log-odds of *default* (the sign convention of reasons)."""
    return {line.feature: -line.points for line in result.lines}


def assess(
    form: ApplicationForm,
    *,
    today: date,
    scorecard: Scorecard,
    policy: RoutingPolicy,
    reason_codes: ReasonCodeTable,
    risk_bands: RiskBands | None = None,
    limits: FormLimits | None = None,
) -> Assessment:
    """Assess a form; raises `ValidationFailed` with every problem if the form is not acceptable."""
    validate(form, today, limits)
    features = derive_features(form)
    card = scorecard.score(features.as_mapping())
    return Assessment(
        features=features,
        scorecard=card,
        risk_category=(risk_bands or RiskBands()).categorize(card.probability_of_default),
        routing=route(card.score, form.loan, policy),
        adverse_reasons=adverse_action_reasons(scorecard_contributions(card), reason_codes),
    )
