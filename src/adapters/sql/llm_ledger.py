"""The LLM answer cache and call ledger in SQL (tables `llm_cache` and `llm_calls`).

Each call is its own short transaction, committed at once and outside any unit of work: tokens
spent stay spent, and a good answer stays cached, whatever the use case that asked does with its
own transaction afterwards (a rolled-back scoring must not make the next attempt pay again).

Two replicas caching the same answer at once: `ON CONFLICT DO NOTHING` keeps the first and
drops the second without an error, on PostgreSQL and SQLite alike (the answers are equivalent:
the key is a hash of everything that shaped them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select

from adapters.sql.schema import llm_cache, llm_calls
from adapters.sql.transaction import Transaction
from application.llm.ports import (
    CachedReply,
    CallOutcome,
    LlmCache,
    LlmCall,
    Spend,
    UsageLedger,
    UsageSummary,
)
from application.ports import AlreadyExists

__all__ = ["SqlLlmCache", "SqlUsageLedger", "day_bounds"]

_k = llm_cache.c
_c = llm_calls.c
_SCALE = Decimal("1e-10")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC day as a half-open range of instants, which the (tenant_id, at) index serves."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


class SqlLlmCache:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, key: str) -> CachedReply | None:
        query = select(_k.content, _k.model, _k.stored_at).where(_k.key == key)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else CachedReply(row.content, row.model, row.stored_at)

    def put(self, key: str, reply: CachedReply) -> None:
        row = {
            "key": key,
            "content": reply.content,
            "model": reply.model,
            "stored_at": reply.stored_at,
        }
        with self._engine.connect() as connection:
            db = Transaction(connection)
            try:
                db.insert_new(llm_cache, row, "a cached answer")
            except AlreadyExists:
                db.rollback()  # another process cached it first: theirs is kept
                return
            db.commit()


class SqlUsageLedger:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, call: LlmCall) -> None:
        row = {
            "tenant_id": call.tenant_id,
            "purpose": call.purpose,
            "at": call.at,
            "input_hash": call.input_hash,
            "outcome": call.outcome.value,
            "cause": None if call.cause is None else call.cause.value,
            "model": call.model,
            "prompt_version": call.prompt_version,
            "input_tokens": call.input_tokens,
            "output_tokens": call.output_tokens,
            "cost": call.cost,
            "latency_ms": call.latency_ms,
        }
        with self._engine.connect() as connection:
            db = Transaction(connection)
            db.insert(llm_calls, row, "an LLM call")
            db.commit()

    def spent(self, tenant_id: str, day: date) -> Spend:
        start, end = day_bounds(day)
        query = select(
            func.coalesce(func.sum(_c.input_tokens + _c.output_tokens), 0),
            func.coalesce(func.sum(_c.cost), 0),
        ).where(_c.tenant_id == tenant_id, _c.at >= start, _c.at < end)
        with self._engine.connect() as connection:
            tokens, cost = connection.execute(query).one()
        return Spend(int(tokens), _exact(cost))

    def summary(self, tenant_id: str, day: date) -> UsageSummary:
        start, end = day_bounds(day)
        query = (
            select(
                _c.outcome,
                _c.cause,
                func.count(),
                func.sum(_c.input_tokens + _c.output_tokens),
                func.sum(_c.cost),
            )
            .where(_c.tenant_id == tenant_id, _c.at >= start, _c.at < end)
            .group_by(_c.outcome, _c.cause)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        outcomes = dict.fromkeys(CallOutcome, 0)
        causes: dict[str, int] = {}
        tokens, cost = 0, Decimal(0)
        for outcome, cause, count, row_tokens, row_cost in rows:
            outcomes[CallOutcome(outcome)] += count
            if outcome == CallOutcome.FALLBACK and cause is not None:
                causes[cause] = causes.get(cause, 0) + count
            tokens += int(row_tokens)
            cost += _exact(row_cost)
        return UsageSummary(
            calls=sum(outcomes.values()),
            answered=outcomes[CallOutcome.ANSWERED],
            cached=outcomes[CallOutcome.CACHED],
            fallbacks=outcomes[CallOutcome.FALLBACK],
            spend=Spend(tokens, cost),
            fallback_causes=dict(sorted(causes.items())),
        )


def _exact(amount: object) -> Decimal:
    """A summed cost as a Decimal to the column's 10 places: SQLite sums NUMERIC as floats, so
    its total is rounded back (PostgreSQL's is exact already)."""
    number = amount if isinstance(amount, Decimal) else Decimal(repr(float(str(amount))))
    return number.quantize(_SCALE)


def _conforms(engine: Engine) -> tuple[LlmCache, UsageLedger]:
    """mypy checks here that the adapters satisfy their ports."""
    return SqlLlmCache(engine), SqlUsageLedger(engine)
