"""The second opinion: its shape is checked, and it can only ever ask for a person."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.routing import RoutingDecision, RoutingOutcome, RoutingReason
from domain.credit.second_opinion import (
    MAX_EVIDENCE,
    MAX_FACTORS,
    SECOND_OPINION_SCHEMA,
    KeyFactor,
    RiskLevel,
    SecondOpinion,
    SuggestedOutcome,
    with_second_opinion,
)

Outcome = RoutingOutcome
FACTOR = KeyFactor("Debt to income", "0.42 of income goes to debt payments")

routings = st.builds(
    RoutingDecision,
    outcome=st.sampled_from(RoutingOutcome),
    reasons=st.lists(st.sampled_from(RoutingReason), min_size=1, max_size=4).map(tuple),
    policy_version=st.integers(1, 1000),
)
opinions = st.builds(
    SecondOpinion,
    suggested_outcome=st.sampled_from(SuggestedOutcome),
    risk_level=st.sampled_from(RiskLevel),
    key_factors=st.just((FACTOR,)),
    confidence=st.floats(0.0, 1.0),
)


def an_opinion(
    suggested: SuggestedOutcome, risk: RiskLevel = RiskLevel.MEDIUM, confidence: float = 0.7
) -> SecondOpinion:
    return SecondOpinion(suggested, risk, (FACTOR,), confidence)


def a_routing(outcome: RoutingOutcome) -> RoutingDecision:
    return RoutingDecision(outcome, (RoutingReason.SCORE_ABOVE_THRESHOLD,), 3)


@given(routings, opinions)
def test_property_an_opinion_only_ever_sends_a_case_to_review(
    routing: RoutingDecision, opinion: SecondOpinion
) -> None:
    after = with_second_opinion(routing, opinion)
    assert after.outcome in (routing.outcome, Outcome.HUMAN_REVIEW)
    # never above review unless the routing was already there: it cannot approve
    assert after.outcome.rank <= max(routing.outcome.rank, Outcome.HUMAN_REVIEW.rank)
    # an approval never becomes a decline, and nothing leaves review
    if routing.outcome is not Outcome.AUTO_DECLINE:
        assert after.outcome.rank <= routing.outcome.rank
    if routing.outcome is Outcome.HUMAN_REVIEW:
        assert after == routing
    if after != routing:
        assert after.reasons == (*routing.reasons, RoutingReason.SECOND_OPINION)
        assert after.policy_version == routing.policy_version


@pytest.mark.parametrize(
    ("outcome", "opinion", "to_review"),
    [
        (Outcome.AUTO_APPROVE, an_opinion(SuggestedOutcome.APPROVE), False),
        (Outcome.AUTO_APPROVE, an_opinion(SuggestedOutcome.APPROVE, RiskLevel.HIGH), True),
        (Outcome.AUTO_APPROVE, an_opinion(SuggestedOutcome.DECLINE), True),
        (Outcome.AUTO_APPROVE, an_opinion(SuggestedOutcome.REVIEW), True),
        (Outcome.AUTO_DECLINE, an_opinion(SuggestedOutcome.DECLINE, RiskLevel.HIGH), False),
        (Outcome.AUTO_DECLINE, an_opinion(SuggestedOutcome.APPROVE), True),
        (Outcome.AUTO_DECLINE, an_opinion(SuggestedOutcome.REVIEW), True),
        (Outcome.HUMAN_REVIEW, an_opinion(SuggestedOutcome.APPROVE, RiskLevel.LOW), False),
        (Outcome.HUMAN_REVIEW, an_opinion(SuggestedOutcome.DECLINE, RiskLevel.HIGH), False),
    ],
)
def test_a_disagreeing_opinion_sends_an_automatic_outcome_to_review(
    outcome: RoutingOutcome, opinion: SecondOpinion, to_review: bool
) -> None:
    routing = a_routing(outcome)
    after = with_second_opinion(routing, opinion)
    assert after.outcome is (Outcome.HUMAN_REVIEW if to_review else outcome)
    assert (RoutingReason.SECOND_OPINION in after.reasons) is to_review


@pytest.mark.parametrize(
    ("factors", "confidence"),
    [
        ((), 0.5),
        ((FACTOR,) * (MAX_FACTORS + 1), 0.5),
        ((FACTOR,), -0.01),
        ((FACTOR,), 1.01),
        ((FACTOR,), math.nan),
    ],
)
def test_an_opinion_out_of_bounds_is_refused(
    factors: tuple[KeyFactor, ...], confidence: float
) -> None:
    with pytest.raises(ValueError, match=r"key_factors|confidence"):
        SecondOpinion(SuggestedOutcome.REVIEW, RiskLevel.LOW, factors, confidence)


@pytest.mark.parametrize(
    ("name", "evidence"),
    [("", "x"), ("   ", "x"), ("x" * 81, "x"), ("DTI", "e" * (MAX_EVIDENCE + 1))],
)
def test_a_factor_needs_a_short_name_and_bounded_evidence(name: str, evidence: str) -> None:
    with pytest.raises(ValueError, match=r"name|evidence"):
        KeyFactor(name, evidence)


def test_the_schema_is_strict_and_names_every_field_of_the_answer() -> None:
    schema = json.loads(json.dumps(SECOND_OPINION_SCHEMA))  # plain JSON, as it is sent
    assert schema["additionalProperties"] is False
    assert (
        schema["required"]
        == list(schema["properties"])
        == [
            "suggested_outcome",
            "risk_level",
            "key_factors",
            "confidence",
        ]
    )
    factor = schema["properties"]["key_factors"]["items"]
    assert factor["additionalProperties"] is False
    assert factor["required"] == ["name", "evidence"]
    assert schema["properties"]["suggested_outcome"]["enum"] == ["approve", "decline", "review"]
    assert schema["properties"]["risk_level"]["enum"] == ["low", "medium", "high"]
