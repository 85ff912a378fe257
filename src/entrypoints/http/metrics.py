"""Prometheus metrics of the app, on a registry of its own (one per app, so tests do not mix).

Requests and their latency are counted by route template (`/api/v1/applications/{id}`, never
the id itself, which would explode the series) and status. The business figures are read from
the database when Prometheus scrapes, with a few indexed counts: applications by status,
decisions by type, the open queue and its SLA breaches. Scoring duration is the histogram the
worker's actors observe (`entrypoints.scoring_metrics`), registered here too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from adapters.sql.schema.credit import applications, decisions, queue_entries
from application.llm.gateway import LlmBudget
from entrypoints.http.llm_metrics import LlmCollector
from entrypoints.scoring_metrics import SCORING_SECONDS

OPEN_QUEUE = ("pending", "assigned", "in_progress")


class BusinessCollector(Collector):
    """Applications, decisions and the queue, counted in the database at scrape time."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now

    def collect(self) -> Iterator[Metric]:
        by_status = GaugeMetricFamily(
            "creditdesk_applications", "Applications by status", labels=["status"]
        )
        by_type = GaugeMetricFamily(
            "creditdesk_decisions", "Decisions recorded, by type", labels=["type"]
        )
        with self._engine.connect() as connection:
            for status, count in connection.execute(
                select(applications.c.status, func.count()).group_by(applications.c.status)
            ):
                by_status.add_metric([status], count)
            for kind, count in connection.execute(
                select(decisions.c.decision_type, func.count()).group_by(decisions.c.decision_type)
            ):
                by_type.add_metric([kind], count)
            open_entries = queue_entries.c.status.in_(OPEN_QUEUE)
            queued = connection.scalar(select(func.count()).where(open_entries)) or 0
            breached = (
                connection.scalar(
                    select(func.count()).where(
                        open_entries, queue_entries.c.sla_deadline < self._now()
                    )
                )
                or 0
            )
        yield by_status
        yield by_type
        yield GaugeMetricFamily("creditdesk_queue_size", "Open queue entries", value=queued)
        yield GaugeMetricFamily(
            "creditdesk_sla_breaches", "Open queue entries past their SLA deadline", value=breached
        )


class AppMetrics:
    """The registry `/metrics` serves, and the instruments written into it."""

    def __init__(
        self,
        engine: Engine | None,
        now: Callable[[], datetime],
        *,
        llm_budget: LlmBudget | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "creditdesk_http_requests",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "creditdesk_http_request_duration_seconds",
            "Time to serve an HTTP request",
            ["method", "route"],
            registry=self.registry,
        )
        self.scoring_seconds = SCORING_SECONDS  # observed by the worker's actors
        self.registry.register(SCORING_SECONDS)
        if engine is not None:
            self.registry.register(BusinessCollector(engine, now))
            self.registry.register(LlmCollector(engine, now, llm_budget or LlmBudget()))


class RequestMetricsMiddleware(ASGIMiddleware):
    """Counts each request and times it, under its route template and final status."""

    def __init__(self, metrics: AppMetrics) -> None:
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await next_app(scope, receive, observe)
        finally:
            route = str(scope.get("path_template") or "unmatched")
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)
