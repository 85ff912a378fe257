"""`/api/v1/analytics`: the reports of the caller's tenant over a period of UTC days.

Every route takes `from` and `to` (ISO dates, both included; by default the last 30 days, at
most 366) and answers a typed report, so the OpenAPI schema describes each figure. The
parameters are taken as text and checked by the use case, which names every bad one at once in
a problem+json 422. Each handler's docstring is its OpenAPI description and carries the
definitions a reader of the figures needs.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from application.credit.analytics import (
    AnalystPerformanceReport,
    DashboardSummary,
    DecisionBreakdownReport,
    ModelPerformanceReport,
    QueueMetricsReport,
    ScoreDistributionReport,
    ShowAnalystPerformance,
    ShowDashboard,
    ShowDecisionBreakdown,
    ShowModelPerformance,
    ShowQueueMetrics,
    ShowScoreDistribution,
    ShowTrends,
    TrendReport,
)
from application.credit.analytics_window import AnalyticsWindow
from domain.credit.analytics import Granularity
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires

BASE = "/api/v1/analytics"


From = Annotated[
    str | None,
    QueryParameter(
        name="from",
        description="First UTC day of the period (included); default: 29 days before `to`.",
        required=False,
        format="date",
    ),
]
To = Annotated[
    str | None,
    QueryParameter(
        name="to",
        description="Last UTC day of the period (included); default: today. At most 366 days.",
        required=False,
        format="date",
    ),
]
Bucket = Annotated[
    str | None,
    QueryParameter(
        name="granularity",
        description="`day` (default) or `week` (ISO weeks, Monday to Sunday).",
        required=False,
        enum=[kind.value for kind in Granularity],
    ),
]

_DECISIONS = (
    " Decisions count when final (standing), dated by when they were made. Automatic:"
    " auto_approve and auto_decline; every other decision is human."
)
DASHBOARD = (
    "Total applications submitted, auto-decision rate (automatic over all decisions), approval"
    " rate (approvals over all decisions), average review seconds (case start to human"
    " decision) and SLA compliance rate (of the cases due in the period and settled, the share"
    " completed by the deadline), each beside the previous period of equal length that ends"
    " where this one begins, with the difference and the relative change. Rates with a zero"
    " denominator are null." + _DECISIONS
)
TRENDS = (
    "Applications submitted and decisions made per bucket (every bucket of the period, zeros"
    " included), with the automatic decisions and approvals among them." + _DECISIONS
)
DECISIONS = (
    "Every decision type, zero included, with its count and share of all decisions of the"
    " period." + _DECISIONS
)
SCORES = (
    "Applications whose latest score was given in the period, in bins of 50 points from 300 to"
    " 850; the first and last bins also hold any score beyond them."
)
ANALYSTS = (
    "Per analyst (most decisions first) and for all analysts together: human decisions,"
    " approvals and approval rate, average review seconds, low-side and high-side overrides and"
    " their rates. Low-side override: the score alone recommended decline and the person"
    " approved. High-side override: the score recommended approval and the person declined."
    " Override rates are over that analyst's human decisions (over all human decisions of the"
    " tenant in `all_analysts`). Any rate with a zero denominator is null." + _DECISIONS
)
MODELS = (
    "Per UTC day and model version: scores given (re-scores included), their average, and how"
    " routing sent them (auto-approve, human review, auto-decline)."
)
QUEUE = (
    "Cases that entered the queue in the period; of the cases whose SLA deadline fell in it,"
    " those met (completed by the deadline), missed (completed after it, or open past it) and"
    " pending (open, still in time), with the compliance rate (met over met and missed; null"
    " when none is settled). `open_now` is the open queue as it stands, by status, SLA and"
    " priority band."
)


def _view(description: str) -> dict[str, Any]:
    """What every report route declares: analytics:view, and its own description before the
    permission's."""
    declared = requires(Permission.ANALYTICS_VIEW)
    return {**declared, "description": f"{description} {declared['description']}"}


class AnalyticsController(Controller):
    path = BASE
    tags = ["analytics"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/dashboard", summary="Headline figures against the previous period",
         operation_id="analyticsDashboard", sync_to_thread=True, **_view(DASHBOARD))  # fmt: skip
    def dashboard(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> DashboardSummary:
        return ShowDashboard(deps.uow(), deps.clock)(principal, AnalyticsWindow(first, last))

    @get("/trends", summary="Applications and decisions per day or week",
         operation_id="analyticsTrends", sync_to_thread=True, **_view(TRENDS))  # fmt: skip
    def trends(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        first: From = None,
        last: To = None,
        granularity: Bucket = None,
    ) -> TrendReport:
        window = AnalyticsWindow(first, last, granularity)
        return ShowTrends(deps.uow(), deps.clock)(principal, window)

    @get("/decisions", summary="Decisions by type", operation_id="analyticsDecisionBreakdown",
         sync_to_thread=True, **_view(DECISIONS))  # fmt: skip
    def decisions(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> DecisionBreakdownReport:
        window = AnalyticsWindow(first, last)
        return ShowDecisionBreakdown(deps.uow(), deps.clock)(principal, window)

    @get("/scores", summary="Score distribution histogram",
         operation_id="analyticsScoreDistribution", sync_to_thread=True,
         **_view(SCORES))  # fmt: skip
    def scores(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> ScoreDistributionReport:
        window = AnalyticsWindow(first, last)
        return ShowScoreDistribution(deps.uow(), deps.clock)(principal, window)

    @get("/analysts", summary="Analyst performance, overrides included",
         operation_id="analyticsAnalystPerformance", sync_to_thread=True,
         **_view(ANALYSTS))  # fmt: skip
    def analysts(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> AnalystPerformanceReport:
        window = AnalyticsWindow(first, last)
        return ShowAnalystPerformance(deps.uow(), deps.clock)(principal, window)

    @get("/models", summary="Model performance per day",
         operation_id="analyticsModelPerformance", sync_to_thread=True,
         **_view(MODELS))  # fmt: skip
    def models(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> ModelPerformanceReport:
        window = AnalyticsWindow(first, last)
        return ShowModelPerformance(deps.uow(), deps.clock)(principal, window)

    @get("/queue", summary="Queue and SLA metrics", operation_id="analyticsQueue",
         sync_to_thread=True, **_view(QUEUE))  # fmt: skip
    def queue(
        self, deps: AppDeps, principal: CurrentPrincipal, first: From = None, last: To = None
    ) -> QueueMetricsReport:
        window = AnalyticsWindow(first, last)
        return ShowQueueMetrics(deps.uow(), deps.clock)(principal, window)
