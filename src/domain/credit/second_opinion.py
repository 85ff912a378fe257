"""A language model's second opinion on a scored application, and what it may change.

The opinion is advice in a fixed shape (a suggested outcome, a risk level, the key factors with
the evidence for each, a confidence), checked on the way in so that a stored opinion is always
one a person can read. Its JSON schema is sent as the structured-output schema: strict, so a
conforming answer has every field and nothing else.

What it may do is the policy `with_second_opinion`: an opinion can only send a case to a person.
It never approves or declines, and never takes a case out of review: the machine's result and
the policy in force stay the floor, and a disagreeing adviser only asks for a human look. The
prompt it is asked with lives in `domain.credit.second_opinion_prompt`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import StrEnum

from attrs import Attribute, field, frozen

from domain.credit.routing import RoutingDecision, RoutingOutcome, RoutingReason
from domain.pii import JsonValue

__all__ = [
    "MAX_EVIDENCE",
    "MAX_FACTORS",
    "MAX_FACTOR_NAME",
    "PROMPT_VERSION",
    "SECOND_OPINION_SCHEMA",
    "KeyFactor",
    "RiskLevel",
    "SecondOpinion",
    "SuggestedOutcome",
    "disagrees",
    "with_second_opinion",
]

#: Names the wording of the prompt and schema; a stored opinion carries it, and a new wording
#: gets a new version (and so a new cache key).
PROMPT_VERSION = "credit-second-opinion/1"

MAX_FACTORS = 6
MAX_FACTOR_NAME = 80
MAX_EVIDENCE = 400


class SuggestedOutcome(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    REVIEW = "review"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _text(limit: int) -> Callable[[object, Attribute[str], str], None]:
    def check(_instance: object, attribute: Attribute[str], value: str) -> None:
        name = attribute.name
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be non-blank text")
        if len(value) > limit:
            raise ValueError(f"{name} must be at most {limit} characters")

    return check


@frozen
class KeyFactor:
    """One thing that weighed in the opinion, and what in the application shows it."""

    name: str = field(validator=_text(MAX_FACTOR_NAME))
    evidence: str = field(validator=_text(MAX_EVIDENCE))


def _factors(_opinion: SecondOpinion, _attribute: object, value: tuple[KeyFactor, ...]) -> None:
    if not 1 <= len(value) <= MAX_FACTORS:
        raise ValueError(f"key_factors must hold 1 to {MAX_FACTORS} factors")


def _confidence(_opinion: SecondOpinion, _attribute: object, value: float) -> None:
    if isinstance(value, bool) or not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError("confidence must be a number from 0 to 1")


@frozen
class SecondOpinion:
    """The model's structured assessment of one application."""

    suggested_outcome: SuggestedOutcome
    risk_level: RiskLevel
    key_factors: tuple[KeyFactor, ...] = field(validator=_factors)
    confidence: float = field(validator=_confidence)


#: The structured-output schema of `SecondOpinion` (strict: every field required, no others).
#: The bounds are said in descriptions, not as `maxLength`/`maximum` keywords, which not every
#: OpenAI-compatible server accepts in strict mode; `SecondOpinion`'s validators enforce them.
#: A plain dict (JSON encoders take no read-only mapping), typed read-only: never change it.
SECOND_OPINION_SCHEMA: Mapping[str, JsonValue] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["suggested_outcome", "risk_level", "key_factors", "confidence"],
    "properties": {
        "suggested_outcome": {"type": "string", "enum": [o.value for o in SuggestedOutcome]},
        "risk_level": {"type": "string", "enum": [r.value for r in RiskLevel]},
        "key_factors": {
            "type": "array",
            "description": f"1 to {MAX_FACTORS} factors, the weightiest first",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "evidence"],
                "properties": {
                    "name": {
                        "type": "string",
                        "description": f"at most {MAX_FACTOR_NAME} characters",
                    },
                    "evidence": {
                        "type": "string",
                        "description": f"the figures behind it; at most {MAX_EVIDENCE} characters",
                    },
                },
            },
        },
        "confidence": {"type": "number", "description": "from 0 to 1"},
    },
}


def disagrees(routing: RoutingDecision, opinion: SecondOpinion) -> bool:
    """Whether the opinion calls an automatic outcome into question: it suggests something
    else, or it sees high risk in an approval. A case already in review has nothing to
    disagree with: a person looks at it anyway."""
    suggested = opinion.suggested_outcome
    if routing.outcome is RoutingOutcome.AUTO_APPROVE:
        return suggested is not SuggestedOutcome.APPROVE or opinion.risk_level is RiskLevel.HIGH
    if routing.outcome is RoutingOutcome.AUTO_DECLINE:
        return suggested is not SuggestedOutcome.DECLINE
    return False


def with_second_opinion(routing: RoutingDecision, opinion: SecondOpinion) -> RoutingDecision:
    """The routing after the opinion: the same, or human review when the opinion disagrees
    with an automatic outcome (its reason added after the others, so the score's reason stays
    first). Never an approval or a decline the routing did not already have."""
    if not disagrees(routing, opinion):
        return routing
    return RoutingDecision(
        RoutingOutcome.HUMAN_REVIEW,
        (*routing.reasons, RoutingReason.SECOND_OPINION),
        routing.policy_version,
    )
