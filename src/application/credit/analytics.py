"""The analytics reports of one tenant: dashboard, trends, decisions, scores, analysts, models,
queue and SLA.

Each use case checks analytics:view, resolves the period (`analytics_window`), reads the
tallies of the caller's tenant in one transaction and leaves the arithmetic to
`domain.credit.analytics_reports`, where the definitions (overrides, rates, review time) are
written down. The tenant is the principal's, so another tenant's rows are never counted.
"""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from application.credit.analytics_window import AnalyticsWindow, ReportPeriod, resolve
from application.credit.ports import UnitOfWork
from application.credit.queries import QueueCounts
from application.credit.queue_views import band_bounds
from application.ports import Clock
from domain.credit.analytics import (
    Comparison,
    Granularity,
    Period,
    ScoreBins,
    compare,
)
from domain.credit.analytics_reports import (
    AnalystReport,
    DecisionBreakdown,
    ModelDay,
    ScoreDistribution,
    TrendPoint,
    analyst_report,
    decision_breakdown,
    decision_totals,
    model_days,
    score_distribution,
    trend,
)
from domain.credit.queue import QueuePolicy
from domain.identity import Permission, Principal, authorize


@frozen
class _Figures:
    applications: int
    auto_decision_rate: float | None
    approval_rate: float | None
    average_review_seconds: float | None
    sla_compliance_rate: float | None


@frozen
class DashboardSummary:
    """The headline figures of the period, each beside the previous period of equal length."""

    period: ReportPeriod
    previous_period: ReportPeriod
    total_applications: Comparison
    auto_decision_rate: Comparison
    approval_rate: Comparison
    average_review_seconds: Comparison
    sla_compliance_rate: Comparison


@frozen
class TrendReport:
    period: ReportPeriod
    granularity: Granularity
    points: tuple[TrendPoint, ...]


@frozen
class DecisionBreakdownReport:
    period: ReportPeriod
    breakdown: DecisionBreakdown


@frozen
class ScoreDistributionReport:
    period: ReportPeriod
    distribution: ScoreDistribution


@frozen
class AnalystPerformanceReport:
    period: ReportPeriod
    performance: AnalystReport


@frozen
class ModelPerformanceReport:
    period: ReportPeriod
    days: tuple[ModelDay, ...]


@frozen
class SlaSummary:
    """Cases whose SLA deadline fell in the period: met, missed, or still open and in time."""

    entered: int
    due: int
    met: int
    missed: int
    pending: int
    compliance_rate: float | None


@frozen
class QueueMetricsReport:
    period: ReportPeriod
    sla: SlaSummary
    open_now: QueueCounts


@frozen
class _Reader:
    uow: UnitOfWork
    clock: Clock

    def _start(self, principal: Principal, window: AnalyticsWindow) -> tuple[Period, Granularity]:
        authorize(principal, Permission.ANALYTICS_VIEW)
        return resolve(window, self.clock.now())


@frozen
class ShowDashboard(_Reader):
    def _figures(self, tenant_id: str, period: Period, now: datetime) -> _Figures:
        analytics = self.uow.analytics
        totals = decision_totals(analytics.decision_tallies(tenant_id, period))
        sla = analytics.sla_tally(tenant_id, period, now)
        return _Figures(
            applications=analytics.applications_submitted(tenant_id, period),
            auto_decision_rate=totals.auto_decision_rate,
            approval_rate=totals.approval_rate,
            average_review_seconds=totals.average_review_seconds,
            sla_compliance_rate=sla.compliance_rate,
        )

    def __call__(self, principal: Principal, window: AnalyticsWindow) -> DashboardSummary:
        period, _ = self._start(principal, window)
        previous, at = period.previous(), self.clock.now()
        with self.uow:
            now = self._figures(principal.tenant_id, period, at)
            before = self._figures(principal.tenant_id, previous, at)
        return DashboardSummary(
            period=ReportPeriod.of(period),
            previous_period=ReportPeriod.of(previous),
            total_applications=compare(now.applications, before.applications),
            auto_decision_rate=compare(now.auto_decision_rate, before.auto_decision_rate),
            approval_rate=compare(now.approval_rate, before.approval_rate),
            average_review_seconds=compare(
                now.average_review_seconds, before.average_review_seconds
            ),
            sla_compliance_rate=compare(now.sla_compliance_rate, before.sla_compliance_rate),
        )


@frozen
class ShowTrends(_Reader):
    def __call__(self, principal: Principal, window: AnalyticsWindow) -> TrendReport:
        period, granularity = self._start(principal, window)
        tenant_id = principal.tenant_id
        with self.uow:
            applications = self.uow.analytics.applications_by_day(tenant_id, period)
            decisions = self.uow.analytics.decisions_by_day(tenant_id, period)
        points = trend(period, granularity, applications, decisions)
        return TrendReport(ReportPeriod.of(period), granularity, points)


@frozen
class ShowDecisionBreakdown(_Reader):
    def __call__(self, principal: Principal, window: AnalyticsWindow) -> DecisionBreakdownReport:
        period, _ = self._start(principal, window)
        with self.uow:
            tallies = self.uow.analytics.decision_tallies(principal.tenant_id, period)
        return DecisionBreakdownReport(ReportPeriod.of(period), decision_breakdown(tallies))


@frozen
class ShowScoreDistribution(_Reader):
    bins: ScoreBins = field(factory=ScoreBins)

    def __call__(self, principal: Principal, window: AnalyticsWindow) -> ScoreDistributionReport:
        period, _ = self._start(principal, window)
        with self.uow:
            counts = self.uow.analytics.score_counts(principal.tenant_id, period, self.bins)
        return ScoreDistributionReport(
            ReportPeriod.of(period), score_distribution(self.bins, counts)
        )


@frozen
class ShowAnalystPerformance(_Reader):
    def __call__(self, principal: Principal, window: AnalyticsWindow) -> AnalystPerformanceReport:
        period, _ = self._start(principal, window)
        with self.uow:
            tallies = self.uow.analytics.decision_tallies(principal.tenant_id, period)
        return AnalystPerformanceReport(ReportPeriod.of(period), analyst_report(tallies))


@frozen
class ShowModelPerformance(_Reader):
    def __call__(self, principal: Principal, window: AnalyticsWindow) -> ModelPerformanceReport:
        period, _ = self._start(principal, window)
        with self.uow:
            tallies = self.uow.analytics.scoring_tallies(principal.tenant_id, period)
        return ModelPerformanceReport(ReportPeriod.of(period), model_days(tallies))


@frozen
class ShowQueueMetrics(_Reader):
    """The SLA record of the period, and the open queue as it stands now."""

    policy: QueuePolicy = field(factory=QueuePolicy)

    def __call__(self, principal: Principal, window: AnalyticsWindow) -> QueueMetricsReport:
        period, _ = self._start(principal, window)
        now = self.clock.now()
        with self.uow:
            sla = self.uow.analytics.sla_tally(principal.tenant_id, period, now)
            open_now = self.uow.queue.counts(
                principal.tenant_id,
                now=now,
                approaching_before=now + self.policy.sla_warning,
                bands=band_bounds(),
            )
        summary = SlaSummary(
            entered=sla.entered,
            due=sla.due,
            met=sla.met,
            missed=sla.missed,
            pending=sla.pending,
            compliance_rate=sla.compliance_rate,
        )
        return QueueMetricsReport(ReportPeriod.of(period), summary, open_now)
