"""The LLM figures on /metrics, read from the call ledger (`llm_calls`) at scrape time.

Today's calls (the UTC day, the budget's day) by purpose, outcome and fallback cause, from which
the cache hit rate and the fallback rate follow; each tenant's tokens and cost today; and the
configured daily budgets per tenant, so an alert can compare the two. An unlimited budget has no
series rather than a made-up number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from adapters.sql.llm_ledger import day_bounds
from adapters.sql.schema.llm import llm_calls
from application.llm.gateway import LlmBudget

__all__ = ["LlmCollector"]

_c = llm_calls.c


class LlmCollector(Collector):
    """Counts of today's LLM calls and spend, and the budgets they are held to."""

    def __init__(self, engine: Engine, now: Callable[[], datetime], budget: LlmBudget) -> None:
        self._engine = engine
        self._now = now
        self._budget = budget

    def collect(self) -> Iterator[Metric]:
        calls = GaugeMetricFamily(
            "creditdesk_llm_calls_today",
            "LLM calls today (UTC), by purpose, outcome and fallback cause",
            labels=["purpose", "outcome", "cause"],
        )
        tokens = GaugeMetricFamily(
            "creditdesk_llm_tokens_today",
            "LLM tokens spent today (UTC), by tenant",
            labels=["tenant"],
        )
        cost = GaugeMetricFamily(
            "creditdesk_llm_cost_today", "LLM cost spent today (UTC), by tenant", labels=["tenant"]
        )
        start, end = day_bounds(self._now().astimezone(UTC).date())
        today = (_c.at >= start, _c.at < end)
        with self._engine.connect() as connection:
            for purpose, outcome, cause, count in connection.execute(
                select(_c.purpose, _c.outcome, _c.cause, func.count())
                .where(*today)
                .group_by(_c.purpose, _c.outcome, _c.cause)
            ):
                calls.add_metric([purpose, outcome, cause or ""], count)
            for tenant, spent_tokens, spent_cost in connection.execute(
                select(
                    _c.tenant_id,
                    func.sum(_c.input_tokens + _c.output_tokens),
                    func.sum(_c.cost),
                )
                .where(*today)
                .group_by(_c.tenant_id)
            ):
                tokens.add_metric([tenant], float(spent_tokens))
                cost.add_metric([tenant], float(spent_cost))
        yield calls
        yield tokens
        yield cost
        if self._budget.daily_tokens is not None:
            yield GaugeMetricFamily(
                "creditdesk_llm_daily_token_budget",
                "LLM tokens each tenant may spend per UTC day",
                value=self._budget.daily_tokens,
            )
        if self._budget.daily_cost is not None:
            yield GaugeMetricFamily(
                "creditdesk_llm_daily_cost_budget",
                "LLM cost each tenant may spend per UTC day",
                value=float(self._budget.daily_cost),
            )
