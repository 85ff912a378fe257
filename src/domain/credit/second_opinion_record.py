"""A stored second opinion: what was asked, what came back (or why nothing did), what it cost.

Every ask is kept, answered or not, so an examiner can see which cases a language model looked
at, what it said, with which model and prompt wording, at what cost, and whether it moved the
case to a person. A fallback keeps its cause (the values of the LLM ports' `FailureCause`:
a timeout, a refusal, an answer that broke the schema, an exhausted budget...): the model and
scorecard result stood alone for that case, and the record says why.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from attrs import frozen

from domain.credit.second_opinion import SecondOpinion

__all__ = ["OpinionOutcome", "OpinionTrigger", "SecondOpinionRecord"]


class OpinionTrigger(StrEnum):
    SCORING = "scoring"  # asked while the application was scored and routed
    REQUESTED = "requested"  # an analyst asked for one; it never moves the case


class OpinionOutcome(StrEnum):
    ANSWERED = "answered"
    CACHED = "cached"  # the same figures were answered before: the stored answer, free
    FALLBACK = "fallback"


@frozen
class SecondOpinionRecord:
    """One ask for a second opinion on an application, as stored."""

    id: str
    tenant_id: str
    application_id: str
    at: datetime
    trigger: OpinionTrigger
    outcome: OpinionOutcome
    opinion: SecondOpinion | None
    model: str
    prompt_version: str
    fallback_cause: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = Decimal(0)
    latency_ms: float = 0.0
    #: Whether the opinion sent the case to review (only ever true for trigger SCORING).
    routing_changed: bool = False
    #: Who asked (trigger REQUESTED), or "" when scoring asked.
    requested_by: str = ""

    def __attrs_post_init__(self) -> None:
        answered = self.outcome is not OpinionOutcome.FALLBACK
        if answered != (self.opinion is not None):
            raise ValueError("an answered record has an opinion, and a fallback has none")
        if answered == bool(self.fallback_cause):
            raise ValueError("a fallback has a cause, and an answered record has none")
        if self.routing_changed and self.trigger is not OpinionTrigger.SCORING:
            raise ValueError("only an opinion asked while scoring can change the routing")

    @property
    def answered(self) -> bool:
        return self.opinion is not None
