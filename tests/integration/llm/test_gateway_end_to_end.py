"""The gateway as production wires it: the openai client over HTTP, the cattrs reader, and the
SQL cache and ledger on SQLite. The same question twice pays once; a spent budget stops calls;
every failure is a fallback in the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from attrs import evolve, frozen
from sqlalchemy import Engine, func, select

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from adapters.sql import create_engine_for
from adapters.sql.llm_ledger import SqlLlmCache, SqlUsageLedger
from adapters.sql.schema import llm_cache
from application.llm.gateway import Answered, Fallback, LlmBudget, LlmGateway, LlmPrices
from application.llm.ports import CallOutcome, FailureCause, LlmRequest, Spend
from tests.fakes import FixedClock
from tests.services.openai_server import OpenAiServer, json_answer, refusal, status

TENANT = "tenant-a"
TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@frozen
class Verdict:
    outcome: str
    confidence: float


REQUEST = LlmRequest(
    purpose="credit.second_opinion",
    prompt_version="v1",
    system="You assess loan applications.",
    user="monthly income 3200, monthly debts 400",
    schema_name="verdict",
    json_schema={"type": "object"},
)
GOOD = {"outcome": "refer", "confidence": 0.7}


@pytest.fixture
def engine(sqlite_database: Path) -> Iterator[Engine]:
    engine = create_engine_for(sqlite_database)
    yield engine
    engine.dispose()


def gateway(server: OpenAiServer, engine: Engine, budget: LlmBudget | None = None) -> LlmGateway:
    model = OpenAiModel(base_url=server.base_url, model="gpt-4o-mini", timeout=2.0, max_retries=1)
    return LlmGateway(
        model=model,
        reader=CattrsAnswerReader(),
        cache=SqlLlmCache(engine),
        ledger=SqlUsageLedger(engine),
        clock=FixedClock(TODAY),
        budget=budget or LlmBudget(),
        prices=LlmPrices(Decimal("0.15"), Decimal("0.60")),
    )


def test_the_second_identical_question_is_a_cache_hit_without_a_request(
    openai_server: OpenAiServer, engine: Engine
) -> None:
    openai_server.script(json_answer(GOOD, input_tokens=2_000, output_tokens=100))

    first = gateway(openai_server, engine).ask(TENANT, REQUEST, Verdict)
    second = gateway(openai_server, engine).ask(TENANT, REQUEST, Verdict)  # another process

    assert isinstance(first, Answered)
    assert isinstance(second, Answered)
    assert (first.cached, second.cached) == (False, True)
    assert second.value == first.value == Verdict("refer", 0.7)
    assert len(openai_server.received()) == 1
    ledger = SqlUsageLedger(engine)
    assert ledger.spent(TENANT, TODAY.date()) == Spend(2_100, Decimal("0.00036"))
    summary = ledger.summary(TENANT, TODAY.date())
    assert (summary.calls, summary.answered, summary.cached) == (2, 1, 1)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(llm_cache)).scalar_one() == 1


def test_a_spent_budget_stops_calls_and_a_paid_refusal_counts(
    openai_server: OpenAiServer, engine: Engine
) -> None:
    openai_server.script(
        json_answer(GOOD, input_tokens=600, output_tokens=100),
        refusal(input_tokens=300, output_tokens=20),
    )
    asker = gateway(openai_server, engine, LlmBudget(daily_tokens=1_000))

    answered = asker.ask(TENANT, REQUEST, Verdict)
    refused = asker.ask(TENANT, evolve(REQUEST, user="monthly income 2900"), Verdict)
    stopped = asker.ask(TENANT, evolve(REQUEST, user="monthly income 4100"), Verdict)
    cached = asker.ask(TENANT, REQUEST, Verdict)

    assert isinstance(answered, Answered)
    assert isinstance(refused, Fallback)
    assert refused.cause is FailureCause.REFUSAL
    assert isinstance(stopped, Fallback)
    assert stopped.cause is FailureCause.BUDGET_EXHAUSTED
    assert isinstance(cached, Answered)  # the cache still answers
    assert len(openai_server.received()) == 2
    summary = SqlUsageLedger(engine).summary(TENANT, TODAY.date())
    assert summary.spend.tokens == 1_020
    assert summary.fallback_causes == {"budget_exhausted": 1, "refusal": 1}


def test_a_failure_after_the_retries_is_a_recorded_fallback_that_is_not_cached(
    openai_server: OpenAiServer, engine: Engine
) -> None:
    openai_server.script(status(500, retry_after=0.1), status(500, retry_after=0.1))
    openai_server.script(json_answer(GOOD))
    asker = gateway(openai_server, engine)

    failed = asker.ask(TENANT, REQUEST, Verdict)
    retried = asker.ask(TENANT, REQUEST, Verdict)

    assert isinstance(failed, Fallback)
    assert failed.cause is FailureCause.SERVER_ERROR
    assert isinstance(retried, Answered)
    assert not retried.cached
    outcomes = SqlUsageLedger(engine).summary(TENANT, TODAY.date())
    assert (outcomes.fallbacks, outcomes.answered) == (1, 1)
    assert failed.call.outcome is CallOutcome.FALLBACK
