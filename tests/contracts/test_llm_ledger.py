"""Contract of `LlmCache` and `UsageLedger`: the in-memory fakes, SQLite and PostgreSQL alike.

The cache keeps the first answer under a key, however many store one at once; the ledger's day
is a UTC day, its spend counts every call's tokens and cost, exactly, and its summary counts
calls by outcome and fallbacks by cause. Each write is committed at once: a second adapter on
the same database sees it without any unit of work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve

from adapters.sql import create_engine_for
from adapters.sql.llm_ledger import SqlLlmCache, SqlUsageLedger
from application.llm.ports import (
    CachedReply,
    CallOutcome,
    FailureCause,
    LlmCache,
    LlmCall,
    Spend,
    UsageLedger,
    UsageSummary,
)
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger

RACERS = 8
#: 23:30 UTC, which is already the next day in Paris: the day must be the UTC one.
LATE = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
DAY = LATE.date()

Pair = tuple[LlmCache, UsageLedger]


def _memory(_request: pytest.FixtureRequest) -> Callable[[], Pair]:
    cache, ledger = InMemoryLlmCache(), InMemoryUsageLedger()
    return lambda: (cache, ledger)


def _sql(database_fixture: str) -> Callable[[pytest.FixtureRequest], Callable[[], Pair]]:
    def make(request: pytest.FixtureRequest) -> Callable[[], Pair]:
        url = request.getfixturevalue(database_fixture)

        def adapters() -> Pair:
            engine = create_engine_for(url, pool_size=RACERS)
            request.addfinalizer(engine.dispose)
            return SqlLlmCache(engine), SqlUsageLedger(engine)

        return adapters

    return make


IMPLEMENTATIONS = {
    "memory": _memory,
    "sqlite": _sql("sqlite_database"),
    "postgresql": _sql("postgres_database"),
}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def adapters(request: pytest.FixtureRequest) -> Callable[[], Pair]:
    """Makes the cache and ledger over one fresh store; each call a new pair on the same one."""
    return IMPLEMENTATIONS[request.param](request)


def call(**changes: Any) -> LlmCall:
    base = LlmCall(
        tenant_id="tenant-a",
        purpose="credit.second_opinion",
        at=LATE,
        input_hash="a" * 64,
        outcome=CallOutcome.ANSWERED,
        model="gpt-4o-mini",
        prompt_version="v1",
        input_tokens=1_000,
        output_tokens=200,
        cost=Decimal("0.0045"),
        latency_ms=812.5,
    )
    return evolve(base, **changes)


def test_a_cached_answer_is_read_back_and_the_first_one_is_kept(
    adapters: Callable[[], Pair],
) -> None:
    cache, _ = adapters()
    first = CachedReply('{"outcome": "refer"}', "gpt-4o-mini", LATE)
    assert cache.get("k" * 64) is None

    cache.put("k" * 64, first)
    cache.put("k" * 64, CachedReply('{"outcome": "approve"}', "gpt-4o", LATE + timedelta(hours=1)))

    other, _ = adapters()
    assert other.get("k" * 64) == first
    assert other.get("j" * 64) is None


def test_of_processes_caching_one_key_at_once_the_first_is_kept_and_none_fails(
    adapters: Callable[[], Pair],
) -> None:
    cache, _ = adapters()
    start = threading.Barrier(RACERS)

    def race(number: int) -> None:
        start.wait()
        cache.put("r" * 64, CachedReply(f'{{"n": {number}}}', "gpt-4o-mini", LATE))

    with ThreadPoolExecutor(RACERS) as pool:
        list(pool.map(race, range(RACERS)))  # re-raises any failure

    kept = cache.get("r" * 64)
    assert kept is not None
    assert kept.content in {f'{{"n": {n}}}' for n in range(RACERS)}


def test_an_empty_day_has_spent_nothing(adapters: Callable[[], Pair]) -> None:
    _, ledger = adapters()
    assert ledger.spent("tenant-a", DAY) == Spend()
    summary = ledger.summary("tenant-a", DAY)
    assert summary == UsageSummary()
    assert summary.cache_hit_rate is None
    assert summary.fallback_rate is None


def test_spend_counts_every_call_of_the_tenants_utc_day_exactly(
    adapters: Callable[[], Pair],
) -> None:
    _, ledger = adapters()
    ledger.record(call())
    ledger.record(call(outcome=CallOutcome.CACHED, input_tokens=0, output_tokens=0, cost=0))
    paid_failure = call(
        outcome=CallOutcome.FALLBACK,
        cause=FailureCause.SCHEMA_MISMATCH,
        input_tokens=3,
        output_tokens=7,
        cost=Decimal("0.0000000001"),
    )
    ledger.record(paid_failure)
    ledger.record(call(tenant_id="tenant-b"))  # another tenant
    ledger.record(call(at=LATE + timedelta(hours=1)))  # 00:30 the next UTC day
    ledger.record(call(at=datetime(2026, 11, 23, 0, 0, tzinfo=UTC)))  # the day's first instant

    _, other = adapters()
    assert other.spent("tenant-a", DAY) == Spend(2_410, Decimal("0.0090000001"))
    assert other.spent("tenant-b", DAY) == Spend(1_200, Decimal("0.0045"))
    assert other.spent("tenant-a", DAY + timedelta(days=1)) == Spend(1_200, Decimal("0.0045"))


def test_a_call_at_another_offset_counts_on_its_utc_day(adapters: Callable[[], Pair]) -> None:
    _, ledger = adapters()
    paris = LATE.astimezone(timezone(timedelta(hours=1)))  # 00:30 on the 24th in Paris
    ledger.record(call(at=paris))
    assert ledger.spent("tenant-a", DAY).tokens == 1_200
    assert ledger.spent("tenant-a", DAY + timedelta(days=1)).tokens == 0


def test_the_summary_counts_outcomes_and_fallback_causes(adapters: Callable[[], Pair]) -> None:
    _, ledger = adapters()
    ledger.record(call())
    for _ in range(3):
        ledger.record(call(outcome=CallOutcome.CACHED, input_tokens=0, output_tokens=0, cost=0))
    for cause in (FailureCause.TIMEOUT, FailureCause.TIMEOUT, FailureCause.BUDGET_EXHAUSTED):
        ledger.record(
            call(outcome=CallOutcome.FALLBACK, cause=cause, input_tokens=0, output_tokens=0, cost=0)
        )
    ledger.record(
        call(tenant_id="tenant-b", outcome=CallOutcome.FALLBACK, cause=FailureCause.REFUSAL)
    )

    summary = ledger.summary("tenant-a", DAY)

    assert summary == UsageSummary(
        calls=7,
        answered=1,
        cached=3,
        fallbacks=3,
        spend=Spend(1_200, Decimal("0.0045")),
        fallback_causes={"budget_exhausted": 1, "timeout": 2},
    )
    assert summary.cache_hit_rate == 0.75
    assert summary.fallback_rate == pytest.approx(3 / 7)
