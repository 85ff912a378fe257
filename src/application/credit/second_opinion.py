"""The second-opinion adviser: asks a language model about a scored application, keeps the record.

The adviser builds the question from the scoring result alone (the domain's prompt builder sees
features, loan terms and the two scores, never the person), asks through the `LlmGateway` (so
the answer is cached by input hash, budgeted per tenant and day, and every call is in the
ledger), and returns the `SecondOpinionRecord` to store, whatever happened. A `Fallback` is not
an error: the model and scorecard result stands, and the record keeps the cause. With no model
configured every ask falls back with the cause "not_configured", so scoring stays correct
without an LLM; the scoring hook is only wired when one is configured (`configured`).
"""

from __future__ import annotations

from datetime import datetime

from attrs import evolve, frozen

from application.llm.gateway import Fallback, LlmGateway
from application.llm.ports import CallOutcome, LlmRequest
from application.ports import IdGenerator
from domain.credit.application import LoanRequest
from domain.credit.scoring import ScoringResult
from domain.credit.second_opinion import (
    PROMPT_VERSION,
    SECOND_OPINION_SCHEMA,
    SecondOpinion,
    with_second_opinion,
)
from domain.credit.second_opinion_prompt import second_opinion_prompt
from domain.credit.second_opinion_record import (
    OpinionOutcome,
    OpinionTrigger,
    SecondOpinionRecord,
)

__all__ = ["PURPOSE", "SCHEMA_NAME", "SecondOpinionAdviser"]

PURPOSE = "credit.second_opinion"
SCHEMA_NAME = "credit_second_opinion"
#: Room for six factors with their evidence, and no more: a longer answer is cut off (and falls
#: back as truncated) rather than paid for.
MAX_OUTPUT_TOKENS = 900

_OUTCOMES = {
    CallOutcome.ANSWERED: OpinionOutcome.ANSWERED,
    CallOutcome.CACHED: OpinionOutcome.CACHED,
}


@frozen
class SecondOpinionAdviser:
    gateway: LlmGateway
    ids: IdGenerator

    @property
    def configured(self) -> bool:
        return self.gateway.configured

    def request(self, result: ScoringResult, loan: LoanRequest) -> LlmRequest:
        """The question for one scored application (no personal data: see the prompt builder)."""
        prompt = second_opinion_prompt(result.features, loan, result.model, result.scorecard)
        return LlmRequest(
            purpose=PURPOSE,
            prompt_version=PROMPT_VERSION,
            system=prompt.system,
            user=prompt.user,
            schema_name=SCHEMA_NAME,
            json_schema=SECOND_OPINION_SCHEMA,
            max_output_tokens=MAX_OUTPUT_TOKENS,
        )

    def advise(
        self,
        result: ScoringResult,
        loan: LoanRequest,
        *,
        trigger: OpinionTrigger,
        at: datetime,
        requested_by: str = "",
    ) -> SecondOpinionRecord:
        """Ask about `result` and return the record of the ask (not yet stored, routing not
        yet changed: the caller applies `with_second_opinion` and stores it)."""
        answer = self.gateway.ask(result.tenant_id, self.request(result, loan), SecondOpinion)
        call = answer.call
        opinion: SecondOpinion | None = None
        cause = ""
        if isinstance(answer, Fallback):
            outcome, cause = OpinionOutcome.FALLBACK, answer.cause.value
        else:
            opinion = answer.value
            outcome = _OUTCOMES[call.outcome]
        return SecondOpinionRecord(
            id=self.ids.new_id(),
            tenant_id=result.tenant_id,
            application_id=result.application_id,
            at=at,
            trigger=trigger,
            outcome=outcome,
            opinion=opinion,
            model=call.model,
            prompt_version=call.prompt_version,
            fallback_cause=cause,
            input_tokens=call.input_tokens,
            output_tokens=call.output_tokens,
            cost=call.cost,
            latency_ms=call.latency_ms,
            requested_by=requested_by,
        )

    def while_scoring(
        self, result: ScoringResult, loan: LoanRequest
    ) -> tuple[ScoringResult, SecondOpinionRecord]:
        """The result with the routing the opinion leaves (the same, or human review: see
        `with_second_opinion`), and the record of the ask; a fallback changes nothing."""
        record = self.advise(result, loan, trigger=OpinionTrigger.SCORING, at=result.scored_at)
        if record.opinion is None:
            return result, record
        routing = with_second_opinion(result.routing, record.opinion)
        if routing == result.routing:
            return result, record
        return evolve(result, routing=routing), evolve(record, routing_changed=True)
