"""The ports of LLM assistance, shared by the credit and the test-generation contexts.

A language model is one more adviser, reached through `LanguageModel`; the use cases never see
the client library or HTTP. Answers are JSON text checked against the structure asked for by an
`AnswerReader` (the cattrs converter in production), so an answer that does not parse, or parses
into the wrong shape, is a failure with a cause like any other. Every call, answered, served
from the cache or fallen back, is written to the `UsageLedger`: it is the budget's book and the
source of the figures on /metrics and the dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar

from attrs import frozen

from domain.pii import JsonValue

__all__ = [
    "AnswerInvalid",
    "AnswerReader",
    "CachedReply",
    "CallOutcome",
    "FailureCause",
    "LanguageModel",
    "LlmCache",
    "LlmCall",
    "LlmReply",
    "LlmRequest",
    "LlmUnavailable",
    "Spend",
    "UsageLedger",
    "UsageSummary",
]

T = TypeVar("T")


class FailureCause(StrEnum):
    """Why a call gave no usable answer; the value is stored and counted on /metrics."""

    NOT_CONFIGURED = "not_configured"
    BUDGET_EXHAUSTED = "budget_exhausted"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"  # still limited after the client's retries
    SERVER_ERROR = "server_error"  # 5xx after the retries
    CONNECTION = "connection"  # refused, reset, DNS...
    REJECTED = "rejected"  # a 4xx other than 429: a wrong key, model or request
    REFUSAL = "refusal"  # the model declined to answer
    TRUNCATED = "truncated"  # stopped at the token limit
    MALFORMED_JSON = "malformed_json"
    SCHEMA_MISMATCH = "schema_mismatch"  # valid JSON, not the structure asked for


class CallOutcome(StrEnum):
    ANSWERED = "answered"
    CACHED = "cached"
    FALLBACK = "fallback"


@frozen
class LlmRequest:
    """One question, built by a use case: the prompt and the structure the answer must have.

    `purpose` says which use asked ("credit.second_opinion", "testgen.proposals",
    "testgen.unit"); `prompt_version` names the template so a stored answer can be traced to the
    exact wording. `json_schema` is sent as the structured-output schema named `schema_name`.
    """

    purpose: str
    prompt_version: str
    system: str
    user: str
    schema_name: str
    json_schema: Mapping[str, JsonValue]
    max_output_tokens: int = 1_000


@frozen
class LlmReply:
    """The model's answer as text, and what it cost in tokens and time."""

    content: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: float


class LlmUnavailable(Exception):
    """No usable answer from the model, with its cause; never carries the prompt.

    `reply` is the answer that was paid for when there was one (a refusal, a stop at the token
    limit): its tokens count against the budget like any other.
    """

    def __init__(
        self, cause: FailureCause, detail: str = "", *, reply: LlmReply | None = None
    ) -> None:
        super().__init__(f"{cause.value}: {detail}" if detail else cause.value)
        self.cause = cause
        self.detail = detail
        self.reply = reply


class AnswerInvalid(LlmUnavailable):
    """The answer is not JSON, or not the structure asked for; `detail` names the problems."""


class LanguageModel(Protocol):
    """An OpenAI-compatible chat model asked for JSON of a given schema."""

    @property
    def model(self) -> str:
        """The model's name as configured (stored with every answer)."""
        ...

    def complete(self, request: LlmRequest) -> LlmReply:
        """The answer's text; `LlmUnavailable` with the cause when there is none to read
        (timeout, rate limit or server error after the retries, refusal, truncation...)."""
        ...


class AnswerReader(Protocol):
    """Reads an answer's JSON text into a value of the type asked for."""

    def read(self, content: str, answer_type: type[T]) -> T:
        """The value; `AnswerInvalid` (MALFORMED_JSON or SCHEMA_MISMATCH) naming every problem."""
        ...


@frozen
class CachedReply:
    """An answer that was read successfully, kept under the hash of everything that shaped it."""

    content: str
    model: str
    stored_at: datetime


class LlmCache(Protocol):
    def get(self, key: str) -> CachedReply | None: ...

    def put(self, key: str, reply: CachedReply) -> None:
        """Store (or keep the first of) the answer under `key`; committed at once."""
        ...


@frozen
class Spend:
    tokens: int = 0
    cost: Decimal = Decimal(0)


@frozen
class LlmCall:
    """One call as the ledger keeps it: never the prompt, only its hash."""

    tenant_id: str
    purpose: str
    at: datetime
    input_hash: str
    outcome: CallOutcome
    model: str
    prompt_version: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = Decimal(0)
    latency_ms: float = 0.0
    cause: FailureCause | None = None


@frozen
class UsageSummary:
    """A tenant's calls on one day, for the dashboard and the budget's gauge."""

    calls: int = 0
    answered: int = 0
    cached: int = 0
    fallbacks: int = 0
    spend: Spend = Spend()
    fallback_causes: Mapping[str, int] = {}

    @property
    def cache_hit_rate(self) -> float | None:
        """Cached answers among the answers given (`None` before the first)."""
        given = self.answered + self.cached
        return self.cached / given if given else None

    @property
    def fallback_rate(self) -> float | None:
        return self.fallbacks / self.calls if self.calls else None


class UsageLedger(Protocol):
    """The book of calls, committed as they happen (tokens spent stay spent, whatever the
    transaction of the use case that asked does afterwards)."""

    def record(self, call: LlmCall) -> None: ...

    def spent(self, tenant_id: str, day: date) -> Spend:
        """Tokens and cost of the tenant's calls on `day` (UTC), answered or paid for."""
        ...

    def summary(self, tenant_id: str, day: date) -> UsageSummary:
        """The tenant's calls on `day` (UTC) by outcome, with their spend."""
        ...
