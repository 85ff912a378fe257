"""In-memory fakes of the LLM ports (`application.llm.ports`) for unit tests.

`ScriptedModel` answers from a script, in order, and keeps every request it was sent, so a test
can say what a prompt holds and how many calls were made. The cache and the ledger behave as the
SQL ones do (the same contract tests run on both): the cache keeps the first entry under a key,
and the ledger counts a day in UTC, spending the tokens and cost of every call it records.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from datetime import UTC, date
from decimal import Decimal

from application.llm.ports import (
    CachedReply,
    CallOutcome,
    FailureCause,
    LlmCall,
    LlmReply,
    LlmRequest,
    LlmUnavailable,
    Spend,
    UsageSummary,
)

__all__ = ["InMemoryLlmCache", "InMemoryUsageLedger", "ScriptedModel"]


class ScriptedModel:
    """A `LanguageModel` that returns (or raises) the scripted items one by one.

    An exhausted script is a test's mistake, not an outage: it raises `AssertionError`, which
    the gateway does not catch, so the test fails where the extra call was made.
    """

    def __init__(
        self, script: Iterable[LlmReply | LlmUnavailable] = (), model: str = "scripted-model"
    ) -> None:
        self._model = model
        self._script: deque[LlmReply | LlmUnavailable] = deque(script)
        self.requests: list[LlmRequest] = []

    @property
    def model(self) -> str:
        return self._model

    def answer(
        self,
        content: str,
        *,
        input_tokens: int = 100,
        output_tokens: int = 20,
        latency_ms: float = 12.5,
    ) -> ScriptedModel:
        """Script one answer with `content`, as this model, at the given cost."""
        self._script.append(LlmReply(content, self._model, input_tokens, output_tokens, latency_ms))
        return self

    def fail(
        self,
        cause: FailureCause,
        detail: str = "",
        *,
        input_tokens: int = 0,
        output_tokens: int = 0,
    ) -> ScriptedModel:
        """Script one failure with `cause`; with tokens, a paid one (a refusal, a truncation)."""
        paid = None
        if input_tokens or output_tokens:
            paid = LlmReply("", self._model, input_tokens, output_tokens, latency_ms=12.5)
        self._script.append(LlmUnavailable(cause, detail, reply=paid))
        return self

    @property
    def remaining(self) -> int:
        return len(self._script)

    def complete(self, request: LlmRequest) -> LlmReply:
        self.requests.append(request)
        if not self._script:
            raise AssertionError(f"no scripted answer left for call {len(self.requests)}")
        item = self._script.popleft()
        if isinstance(item, LlmUnavailable):
            raise item
        return item


class InMemoryLlmCache:
    """Answers by key; the first stored under a key is kept (as SQL's insert-if-absent)."""

    def __init__(self) -> None:
        self.entries: dict[str, CachedReply] = {}

    def get(self, key: str) -> CachedReply | None:
        return self.entries.get(key)

    def put(self, key: str, reply: CachedReply) -> None:
        self.entries.setdefault(key, reply)


class InMemoryUsageLedger:
    """The calls in the order recorded; days are UTC days of `LlmCall.at`."""

    def __init__(self) -> None:
        self.calls: list[LlmCall] = []

    def record(self, call: LlmCall) -> None:
        self.calls.append(call)

    def _of_day(self, tenant_id: str, day: date) -> list[LlmCall]:
        return [
            call
            for call in self.calls
            if call.tenant_id == tenant_id and call.at.astimezone(UTC).date() == day
        ]

    def spent(self, tenant_id: str, day: date) -> Spend:
        calls = self._of_day(tenant_id, day)
        return Spend(
            tokens=sum(call.input_tokens + call.output_tokens for call in calls),
            cost=sum((call.cost for call in calls), Decimal(0)),
        )

    def summary(self, tenant_id: str, day: date) -> UsageSummary:
        calls = self._of_day(tenant_id, day)
        outcomes = Counter(call.outcome for call in calls)
        causes = Counter(
            call.cause.value
            for call in calls
            if call.outcome is CallOutcome.FALLBACK and call.cause is not None
        )
        return UsageSummary(
            calls=len(calls),
            answered=outcomes[CallOutcome.ANSWERED],
            cached=outcomes[CallOutcome.CACHED],
            fallbacks=outcomes[CallOutcome.FALLBACK],
            spend=self.spent(tenant_id, day),
            fallback_causes=dict(sorted(causes.items())),
        )
