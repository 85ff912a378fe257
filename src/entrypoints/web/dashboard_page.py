"""The dashboard: how the desk is doing over a period, at a glance.

It reads the same use cases as `/api/v1/analytics` and shows their numbers as they are: the
headline figures beside the previous period, the override rate from the analyst report (the
same report, asked for the previous period, gives its comparison), the trend, the decisions by
type, the score histogram, and the analyst and model tables. The period is a GET form (7 days,
30 days, or custom dates), so a view can be bookmarked or shared; a bad custom date is named
on the page, as the API would name it, rather than failing the page.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Annotated, Any

from attrs import frozen
from litestar import Controller, get
from litestar.params import QueryParameter

from application.credit.analyst_names import NameAnalysts
from application.credit.analytics import (
    AnalystPerformanceReport,
    ModelPerformanceReport,
    ShowAnalystPerformance,
    ShowDashboard,
    ShowDecisionBreakdown,
    ShowModelPerformance,
    ShowScoreDistribution,
    ShowTrends,
)
from application.credit.analytics_window import AnalyticsWindow, ReportPeriod
from domain.credit.analytics import Granularity, compare
from domain.credit.analytics_reports import AnalystPerformance, ModelDay
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal
from entrypoints.composition import Deps
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.dashboard_cards import (
    NOTHING,
    Better,
    Kind,
    MetricCard,
    count_text,
    duration_text,
    metric_card,
    rate_text,
)
from entrypoints.web.dashboard_charts import (
    ChartView,
    breakdown_view,
    histogram_view,
    trend_view,
)
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.rendering import render
from entrypoints.web.second_opinion_view import llm_usage_values

PRESETS = {"7d": 7, "30d": 30}
CUSTOM = "custom"
DEFAULT_PRESET = "30d"

Query = Annotated[str, QueryParameter(required=False)]


@frozen
class RangeChoice:
    """The period form as sent: a preset or custom dates, and the trend's granularity."""

    period: str = DEFAULT_PRESET
    first: str = ""
    last: str = ""
    granularity: str = Granularity.DAY.value

    def window(self, today: date) -> AnalyticsWindow:
        """The window the reports read; `ValidationFailed` for a preset there is not."""
        granularity = self.granularity or None
        if self.period in PRESETS:
            first = today - timedelta(days=PRESETS[self.period] - 1)
            return AnalyticsWindow(first.isoformat(), today.isoformat(), granularity)
        if self.period == CUSTOM:
            return AnalyticsWindow(self.first or None, self.last or None, granularity)
        choices = ", ".join([*PRESETS, CUSTOM])
        raise ValidationFailed((Problem("period", f"must be one of {choices}"),))


@frozen
class Cell:
    """A table cell: its text, and the raw value it sorts by ("" when there is none)."""

    text: str
    sort: str = ""
    numeric: bool = True


def _number(value: float | None, text: str) -> Cell:
    return Cell(text, "" if value is None else repr(value))


def _rate(value: float | None) -> Cell:
    return _number(value, NOTHING if value is None else rate_text(value))


def _seconds(value: float | None) -> Cell:
    return _number(value, NOTHING if value is None else duration_text(value))


def _count(value: int) -> Cell:
    return _number(value, count_text(value))


ANALYST_COLUMNS = ("Analyst", "Decisions", "Approvals", "Approval rate", "Average review",
                   "Low-side overrides", "High-side overrides", "Override rate")  # fmt: skip
MODEL_COLUMNS = ("Day", "Model version", "Scores", "Average score", "Auto-approve",
                 "Human review", "Auto-decline")  # fmt: skip


def analyst_rows(
    report: AnalystPerformanceReport, names: dict[str, str], me: str
) -> tuple[tuple[tuple[Cell, ...], ...], tuple[Cell, ...]]:
    """One row per analyst (by name where the tenant has one, else the report's id), and the
    row of all analysts together (the table's footer)."""

    def row(name: str, who: AnalystPerformance) -> tuple[Cell, ...]:
        return (
            Cell(name, name, numeric=False), _count(who.decisions), _count(who.approvals),
            _rate(who.approval_rate), _seconds(who.average_review_seconds),
            _count(who.low_side_overrides), _count(who.high_side_overrides),
            _rate(who.override_rate),
        )  # fmt: skip

    def name_of(analyst_id: str) -> str:
        name = names.get(analyst_id, analyst_id)
        return f"{name} (you)" if analyst_id == me else name

    performance = report.performance
    rows = tuple(row(name_of(str(who.analyst_id)), who) for who in performance.analysts)
    return rows, row("All analysts", performance.all_analysts)


def model_row(day: ModelDay) -> tuple[Cell, ...]:
    average = NOTHING if day.average_score is None else f"{day.average_score:.1f}"
    return (
        Cell(day.day.isoformat(), day.day.isoformat(), numeric=False),
        Cell(day.model_version, day.model_version, numeric=False),
        _count(day.scores), _number(day.average_score, average),
        _count(day.auto_approve), _count(day.human_review), _count(day.auto_decline),
    )  # fmt: skip


def model_rows(report: ModelPerformanceReport) -> tuple[tuple[Cell, ...], ...]:
    return tuple(model_row(day) for day in report.days)


@frozen
class DashboardView:
    period: ReportPeriod
    previous_period: ReportPeriod
    cards: tuple[MetricCard, ...]
    charts: tuple[ChartView, ...]
    analysts: tuple[tuple[Cell, ...], ...]
    all_analysts: tuple[Cell, ...]
    models: tuple[tuple[Cell, ...], ...]


def _days(period: ReportPeriod) -> AnalyticsWindow:
    return AnalyticsWindow(period.first_day.isoformat(), period.last_day.isoformat())


def read_dashboard(deps: Deps, principal: Principal, window: AnalyticsWindow) -> DashboardView:
    """Every report of the page, through the API's use cases, for the same window."""
    summary = ShowDashboard(deps.uow(), deps.clock)(principal, window)
    analysts = ShowAnalystPerformance(deps.uow(), deps.clock)
    now, before = analysts(principal, window), analysts(principal, _days(summary.previous_period))
    overrides = compare(
        now.performance.all_analysts.override_rate, before.performance.all_analysts.override_rate
    )
    cards = (
        metric_card("applications", "Applications", summary.total_applications, Kind.COUNT,
                    Better.NEITHER),
        metric_card("auto-decision-rate", "Auto-decision rate", summary.auto_decision_rate,
                    Kind.RATE, Better.NEITHER),
        metric_card("approval-rate", "Approval rate", summary.approval_rate, Kind.RATE,
                    Better.NEITHER),
        metric_card("average-review-time", "Average review time",
                    summary.average_review_seconds, Kind.DURATION, Better.LOWER),
        metric_card("sla-compliance", "SLA compliance", summary.sla_compliance_rate, Kind.RATE,
                    Better.HIGHER),
        metric_card("override-rate", "Override rate", overrides, Kind.RATE, Better.LOWER),
    )  # fmt: skip
    charts = (
        trend_view(ShowTrends(deps.uow(), deps.clock)(principal, window)),
        breakdown_view(ShowDecisionBreakdown(deps.uow(), deps.clock)(principal, window)),
        histogram_view(ShowScoreDistribution(deps.uow(), deps.clock)(principal, window)),
    )
    ids = [str(who.analyst_id) for who in now.performance.analysts]
    names = NameAnalysts(deps.uow())(principal, ids)
    rows, everyone = analyst_rows(now, names, principal.user_id)
    models = ShowModelPerformance(deps.uow(), deps.clock)(principal, window)
    return DashboardView(summary.period, summary.previous_period, cards, charts, rows,
                         everyone, model_rows(models))  # fmt: skip


class DashboardPage(Controller):
    """`/app/dashboard?period=7d|30d|custom&from=&to=&granularity=day|week` (analytics:view)."""

    include_in_schema = False

    @get("/app/dashboard", **page(Permission.ANALYTICS_VIEW))
    def dashboard(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        *,
        period: Query = DEFAULT_PRESET,
        first: Annotated[str, QueryParameter(name="from", required=False)] = "",
        last: Annotated[str, QueryParameter(name="to", required=False)] = "",
        granularity: Query = Granularity.DAY.value,
    ) -> Any:
        choice = RangeChoice(period.strip(), first.strip(), last.strip(), granularity.strip())
        today = deps.clock.now().astimezone(UTC).date()
        try:
            view = read_dashboard(deps, principal, choice.window(today))
        except ValidationFailed as failed:
            context = page_context(deps, principal, "dashboard", choice=choice, view=None,
                                   problems=failed.problems)  # fmt: skip
            return render("dashboard.html", context, status_code=422)
        if choice.period != CUSTOM:  # the date fields start from the period shown
            choice = RangeChoice(choice.period, view.period.first_day.isoformat(),
                                 view.period.last_day.isoformat(), choice.granularity)  # fmt: skip
        context = page_context(deps, principal, "dashboard", choice=choice, view=view,
                               problems=(), analyst_columns=ANALYST_COLUMNS,
                               model_columns=MODEL_COLUMNS)  # fmt: skip
        context.update(llm_usage_values(deps, principal))
        return render("dashboard.html", context)
