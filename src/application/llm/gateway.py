"""The one way a use case asks a language model: cached, budgeted, recorded, never raising.

Every question goes through `LlmGateway.ask`, which

1. hashes everything that shapes the answer (model, prompt version, prompt, schema): the same
   input is answered from the cache and never pays twice;
2. refuses to call once the tenant's daily token or cost budget is spent;
3. calls the model and reads the answer into the type asked for;
4. writes the call to the ledger whatever happened (answered, cached, or fallen back and why).

Failures are values (`Fallback` with its `FailureCause`), not exceptions: the LLM is an adviser,
and a use case must carry on with its own result when the adviser is silent. With no model
configured every ask falls back with `NOT_CONFIGURED`, so everything works without an LLM.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from attrs import evolve, field, frozen

from application.llm.ports import (
    AnswerReader,
    CachedReply,
    CallOutcome,
    FailureCause,
    LanguageModel,
    LlmCache,
    LlmCall,
    LlmReply,
    LlmRequest,
    LlmUnavailable,
    UsageLedger,
)
from application.ports import Clock

__all__ = ["Answered", "Fallback", "LlmBudget", "LlmGateway", "LlmPrices", "input_hash"]

T = TypeVar("T")

_MILLION = Decimal(1_000_000)


@frozen
class LlmPrices:
    """What a million tokens cost, in the currency the budget is kept in."""

    input_per_million: Decimal = Decimal(0)
    output_per_million: Decimal = Decimal(0)

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal:
        return (
            self.input_per_million * input_tokens + self.output_per_million * output_tokens
        ) / _MILLION


@frozen
class LlmBudget:
    """A tenant's daily allowance (UTC days); `None` leaves that side unlimited."""

    daily_tokens: int | None = None
    daily_cost: Decimal | None = None


@frozen
class Answered(Generic[T]):
    value: T
    call: LlmCall

    @property
    def cached(self) -> bool:
        return self.call.outcome is CallOutcome.CACHED


@frozen
class Fallback:
    cause: FailureCause
    call: LlmCall
    detail: str = ""


def input_hash(model: str, request: LlmRequest) -> str:
    """The cache key: a digest of everything that shapes the answer, and nothing else."""
    shaped = {
        "model": model,
        "purpose": request.purpose,
        "prompt_version": request.prompt_version,
        "system": request.system,
        "user": request.user,
        "schema_name": request.schema_name,
        "schema": request.json_schema,
        "max_output_tokens": request.max_output_tokens,
    }
    text = json.dumps(shaped, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@frozen
class LlmGateway:
    model: LanguageModel | None
    reader: AnswerReader
    cache: LlmCache
    ledger: UsageLedger
    clock: Clock
    budget: LlmBudget = field(factory=LlmBudget)
    prices: LlmPrices = field(factory=LlmPrices)

    @property
    def configured(self) -> bool:
        return self.model is not None

    def ask(
        self, tenant_id: str, request: LlmRequest, answer_type: type[T]
    ) -> Answered[T] | Fallback:
        """The answer read into `answer_type`, or the reason there is none; every call is
        written to the ledger, and a good answer to the cache."""
        now = self.clock.now()
        model_name = self.model.model if self.model is not None else ""
        key = input_hash(model_name, request)
        blank = LlmCall(
            tenant_id=tenant_id,
            purpose=request.purpose,
            at=now,
            input_hash=key,
            outcome=CallOutcome.FALLBACK,
            model=model_name,
            prompt_version=request.prompt_version,
        )
        if self.model is None:
            return self._fallback(blank, FailureCause.NOT_CONFIGURED)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                value = self.reader.read(cached.content, answer_type)
            except LlmUnavailable:
                pass  # an entry the current types no longer read: ask again
            else:
                hit = evolve(blank, outcome=CallOutcome.CACHED, model=cached.model)
                self.ledger.record(hit)
                return Answered(value, hit)
        if self._over_budget(tenant_id, now):
            return self._fallback(blank, FailureCause.BUDGET_EXHAUSTED)
        reply: LlmReply | None = None
        try:
            reply = self.model.complete(request)
            value = self.reader.read(reply.content, answer_type)
        except LlmUnavailable as failure:
            reply = reply or failure.reply  # a refusal or a truncation is paid for too
            paid = blank if reply is None else self._paid(blank, reply)
            return self._fallback(paid, failure.cause, failure.detail)
        self.cache.put(key, CachedReply(reply.content, reply.model, now))
        answered = evolve(self._paid(blank, reply), outcome=CallOutcome.ANSWERED)
        self.ledger.record(answered)
        return Answered(value, answered)

    def _fallback(self, call: LlmCall, cause: FailureCause, detail: str = "") -> Fallback:
        failed = evolve(call, outcome=CallOutcome.FALLBACK, cause=cause)
        self.ledger.record(failed)
        return Fallback(cause, failed, detail)

    def _paid(self, call: LlmCall, reply: LlmReply) -> LlmCall:
        """The call with a reply's tokens, cost and latency (an unreadable answer is paid too)."""
        return evolve(
            call,
            model=reply.model,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            cost=self.prices.cost(reply.input_tokens, reply.output_tokens),
            latency_ms=reply.latency_ms,
        )

    def _over_budget(self, tenant_id: str, now: datetime) -> bool:
        budget = self.budget
        if budget.daily_tokens is None and budget.daily_cost is None:
            return False
        spent = self.ledger.spent(tenant_id, now.astimezone(UTC).date())
        if budget.daily_tokens is not None and spent.tokens >= budget.daily_tokens:
            return True
        return budget.daily_cost is not None and spent.cost >= budget.daily_cost
