"""The LLM gateway: cache by input hash, daily budget, a ledger line for every call, no raising."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve, frozen

from adapters.llm.answers import CattrsAnswerReader
from application.llm.gateway import (
    Answered,
    Fallback,
    LlmBudget,
    LlmGateway,
    LlmPrices,
    input_hash,
)
from application.llm.ports import CachedReply, CallOutcome, FailureCause, LlmRequest, Spend
from tests.fakes import FixedClock
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger, ScriptedModel

TENANT = "tenant-a"


@frozen
class Verdict:
    outcome: str
    confidence: float


GOOD = json.dumps({"outcome": "refer", "confidence": 0.7})

REQUEST = LlmRequest(
    purpose="credit.second_opinion",
    prompt_version="v1",
    system="You assess loan applications.",
    user="income 3200, debts 400",
    schema_name="verdict",
    json_schema={"type": "object"},
)


class Desk:
    """A gateway on fakes, with a hand on each of them."""

    def __init__(self, model: ScriptedModel | None, budget: LlmBudget | None = None) -> None:
        self.model = model
        self.cache = InMemoryLlmCache()
        self.ledger = InMemoryUsageLedger()
        self.clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
        self.gateway = LlmGateway(
            model=model,
            reader=CattrsAnswerReader(),
            cache=self.cache,
            ledger=self.ledger,
            clock=self.clock,
            budget=budget or LlmBudget(),
            prices=LlmPrices(Decimal("2.50"), Decimal("10")),
        )

    def ask(self, request: LlmRequest = REQUEST) -> Answered[Verdict] | Fallback:
        return self.gateway.ask(TENANT, request, Verdict)


def test_without_a_model_every_ask_falls_back_as_not_configured() -> None:
    desk = Desk(model=None)

    result = desk.ask()

    assert isinstance(result, Fallback)
    assert result.cause is FailureCause.NOT_CONFIGURED
    assert not desk.gateway.configured
    assert [c.outcome for c in desk.ledger.calls] == [CallOutcome.FALLBACK]
    assert desk.ledger.calls[0].cause is FailureCause.NOT_CONFIGURED
    assert desk.cache.entries == {}


def test_an_answer_is_read_priced_recorded_and_cached() -> None:
    model = ScriptedModel().answer(GOOD, input_tokens=1_000, output_tokens=200)
    desk = Desk(model)

    result = desk.ask()

    assert isinstance(result, Answered)
    assert result.value == Verdict("refer", 0.7)
    assert not result.cached
    call = result.call
    assert (call.outcome, call.input_tokens, call.output_tokens) == (
        CallOutcome.ANSWERED,
        1_000,
        200,
    )
    assert call.cost == Decimal("0.0045")  # 1,000 x 2.50 + 200 x 10, per million
    assert call.model == "scripted-model"
    assert call.prompt_version == "v1"
    assert desk.ledger.calls == [call]
    assert list(desk.cache.entries) == [input_hash("scripted-model", REQUEST)]


def test_the_same_request_again_is_served_from_the_cache_without_a_call() -> None:
    model = ScriptedModel().answer(GOOD)
    desk = Desk(model)
    desk.ask()

    again = desk.ask()

    assert isinstance(again, Answered)
    assert again.cached
    assert again.value == Verdict("refer", 0.7)
    assert len(model.requests) == 1
    hit = desk.ledger.calls[-1]
    assert (hit.outcome, hit.input_tokens, hit.output_tokens, hit.cost) == (
        CallOutcome.CACHED, 0, 0, Decimal(0)
    )  # fmt: skip
    summary = desk.ledger.summary(TENANT, date_of(desk))
    assert (summary.answered, summary.cached, summary.cache_hit_rate) == (1, 1, 0.5)


def date_of(desk: Desk) -> date:
    return desk.clock.now().date()


@pytest.mark.parametrize(
    "changed",
    [
        {"prompt_version": "v2"},
        {"user": "income 3300, debts 400"},
        {"system": "You assess loans."},
        {"json_schema": {"type": "object", "required": ["outcome"]}},
        {"max_output_tokens": 500},
    ],
)
def test_a_request_shaped_differently_is_not_served_from_the_cache(
    changed: dict[str, Any],
) -> None:
    model = ScriptedModel().answer(GOOD).answer(GOOD)
    desk = Desk(model)
    desk.ask()

    again = desk.ask(evolve(REQUEST, **changed))

    assert isinstance(again, Answered)
    assert not again.cached
    assert len(model.requests) == 2


def test_a_cached_entry_the_type_no_longer_reads_is_asked_again() -> None:
    model = ScriptedModel().answer(GOOD)
    desk = Desk(model)
    stale = CachedReply('{"old": 1}', model.model, desk.clock.now())
    desk.cache.entries[input_hash(model.model, REQUEST)] = stale

    result = desk.ask()

    assert isinstance(result, Answered)
    assert not result.cached
    assert len(model.requests) == 1


@pytest.mark.parametrize(
    ("budget", "spent_by_first"),
    [
        (LlmBudget(daily_tokens=1_200), "tokens"),
        (LlmBudget(daily_cost=Decimal("0.0045")), "cost"),
    ],
)
def test_a_spent_budget_falls_back_without_calling_the_model(
    budget: LlmBudget, spent_by_first: str
) -> None:
    model = ScriptedModel().answer(GOOD, input_tokens=1_000, output_tokens=200)
    desk = Desk(model, budget)
    assert isinstance(desk.ask(), Answered)

    result = desk.ask(evolve(REQUEST, user="another application"))

    assert isinstance(result, Fallback), spent_by_first
    assert result.cause is FailureCause.BUDGET_EXHAUSTED
    assert len(model.requests) == 1
    assert result.call.input_tokens == 0
    assert result.call.cost == 0


def test_a_cached_answer_is_still_served_when_the_budget_is_spent() -> None:
    model = ScriptedModel().answer(GOOD, input_tokens=1_000, output_tokens=200)
    desk = Desk(model, LlmBudget(daily_tokens=1_000))
    desk.ask()

    again = desk.ask()

    assert isinstance(again, Answered)
    assert again.cached


def test_the_budget_is_a_utc_day_and_another_tenant_has_its_own() -> None:
    model = ScriptedModel().answer(GOOD, input_tokens=1_000, output_tokens=200)
    model.answer(GOOD).answer(GOOD)
    desk = Desk(model, LlmBudget(daily_tokens=1_000))
    desk.ask()

    other = desk.gateway.ask("tenant-b", evolve(REQUEST, user="b"), Verdict)
    desk.clock.advance(timedelta(days=1))
    tomorrow = desk.ask(evolve(REQUEST, user="c"))

    assert isinstance(other, Answered)
    assert isinstance(tomorrow, Answered)
    assert len(model.requests) == 3


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        ("{not json", FailureCause.MALFORMED_JSON),
        ('{"outcome": "refer", "confidence": "high"}', FailureCause.SCHEMA_MISMATCH),
        ('{"outcome": "refer"}', FailureCause.SCHEMA_MISMATCH),
    ],
)
def test_an_unreadable_answer_is_paid_for_and_falls_back_uncached(
    content: str, cause: FailureCause
) -> None:
    model = ScriptedModel().answer(content, input_tokens=1_000, output_tokens=200)
    desk = Desk(model)

    result = desk.ask()

    assert isinstance(result, Fallback)
    assert result.cause is cause
    assert result.detail
    assert (result.call.input_tokens, result.call.output_tokens) == (1_000, 200)
    assert result.call.cost == Decimal("0.0045")
    assert desk.ledger.spent(TENANT, date_of(desk)) == Spend(1_200, Decimal("0.0045"))
    assert desk.cache.entries == {}


@pytest.mark.parametrize("cause", sorted(set(FailureCause) - {FailureCause.NOT_CONFIGURED}))
def test_a_model_failure_is_a_recorded_fallback_never_an_exception(cause: FailureCause) -> None:
    model = ScriptedModel().fail(cause, "after 2 retries")
    desk = Desk(model)

    result = desk.ask()

    assert isinstance(result, Fallback)
    assert (result.cause, result.detail) == (cause, "after 2 retries")
    assert desk.ledger.calls == [result.call]
    assert result.call.cause is cause
    assert result.call.input_tokens == 0
    summary = desk.ledger.summary(TENANT, date_of(desk))
    assert summary.fallback_causes == {cause.value: 1}
    assert summary.fallback_rate == 1.0


@pytest.mark.parametrize("cause", [FailureCause.REFUSAL, FailureCause.TRUNCATED])
def test_a_refusal_or_truncation_is_paid_for_and_counts_against_the_budget(
    cause: FailureCause,
) -> None:
    model = ScriptedModel().fail(cause, input_tokens=900, output_tokens=1_000)
    desk = Desk(model, LlmBudget(daily_tokens=1_500))

    first = desk.ask()
    second = desk.ask()

    assert isinstance(first, Fallback)
    assert first.cause is cause
    assert (first.call.input_tokens, first.call.output_tokens) == (900, 1_000)
    assert isinstance(second, Fallback)
    assert second.cause is FailureCause.BUDGET_EXHAUSTED
    assert len(model.requests) == 1
