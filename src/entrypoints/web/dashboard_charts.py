"""The dashboard's three charts, built from the API's reports: the trend of applications and
decisions, the decisions by type, and the score histogram.

Each chart comes with a title, a one-sentence summary and its data as a table, which the page
gives to screen readers (the SVG is one image to them), so nothing the chart shows is only
visible.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from application.credit.analytics import (
    DecisionBreakdownReport,
    ScoreDistributionReport,
    TrendReport,
)
from domain.credit.analytics import Granularity
from domain.credit.decisions import DecisionType
from entrypoints.web.charts import (
    BarChart,
    Datum,
    Frame,
    LineChart,
    Series,
    column_chart,
    line_chart,
    row_chart,
)
from entrypoints.web.dashboard_cards import count_text, rate_text

DECISION_LABELS = {
    DecisionType.AUTO_APPROVE: "Auto-approved",
    DecisionType.AUTO_DECLINE: "Auto-declined",
    DecisionType.ANALYST_APPROVE: "Approved by analyst",
    DecisionType.ANALYST_APPROVE_WITH_CONDITIONS: "Approved with conditions",
    DecisionType.ANALYST_DECLINE: "Declined by analyst",
}
#: The lines of the trend chart, by the field of `TrendPoint` each draws.
TREND_LINES = (("applications", "Applications"), ("decisions", "Decisions"),
               ("approvals", "Approvals"))  # fmt: skip
#: The trend spans the page; the other two share a row (one above the other on a tablet).
TREND_FRAME = Frame(width=900, height=280)
BREAKDOWN_FRAME = Frame(width=560, height=220, left=150, right=16, top=8, bottom=28)
HISTOGRAM_FRAME = Frame(width=560, height=220, left=44)


@frozen
class ChartView:
    """A chart and what stands in for it without sight: summary and data table."""

    key: str
    title: str
    summary: str
    chart: BarChart | LineChart
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def kind(self) -> str:
        """Which drawing the template uses: `line`, `rows` (horizontal bars) or `columns`."""
        if isinstance(self.chart, LineChart):
            return "line"
        return "rows" if self.chart.horizontal else "columns"


def bucket_label(day: date, granularity: Granularity) -> str:
    short = f"{day:%b} {day.day}"
    return f"w/c {short}" if granularity is Granularity.WEEK else short


def trend_view(report: TrendReport) -> ChartView:
    points, granularity = report.points, report.granularity
    labels = [bucket_label(point.bucket_start, granularity) for point in points]
    series = [
        Series(name, tuple(float(getattr(point, field)) for point in points))
        for field, name in TREND_LINES
    ]
    unit = "week" if granularity is Granularity.WEEK else "day"
    busiest = max(points, key=lambda point: point.applications, default=None)
    peak = (
        f" The busiest {unit} ({bucket_label(busiest.bucket_start, granularity)}) had"
        f" {count_text(busiest.applications)} applications."
        if busiest is not None and busiest.applications
        else ""
    )
    summary = (
        f"Per {unit} from {report.period.first_day} to {report.period.last_day}:"
        f" {count_text(sum(p.applications for p in points))} applications,"
        f" {count_text(sum(p.decisions for p in points))} decisions,"
        f" {count_text(sum(p.approvals for p in points))} approvals." + peak
    )
    rows = tuple(
        (label, count_text(p.applications), count_text(p.decisions),
         count_text(p.automatic_decisions), count_text(p.approvals))
        for label, p in zip(labels, points, strict=True)
    )  # fmt: skip
    return ChartView(
        "trend", f"Applications and decisions per {unit}", summary,
        line_chart(labels, series, TREND_FRAME),
        (unit.capitalize(), "Applications", "Decisions", "Automatic", "Approvals"), rows,
    )  # fmt: skip


def breakdown_view(report: DecisionBreakdownReport) -> ChartView:
    found = report.breakdown.by_type
    data = [Datum(DECISION_LABELS[item.decision_type], float(item.count)) for item in found]
    rows = tuple(
        (DECISION_LABELS[item.decision_type], count_text(item.count),
         "—" if item.share is None else rate_text(item.share))
        for item in found
    )  # fmt: skip
    parts = ", ".join(f"{name} {count}" for name, count, _ in rows)
    summary = f"{count_text(report.breakdown.total)} decisions: {parts}."
    return ChartView(
        "decisions", "Decisions by type", summary, row_chart(data, BREAKDOWN_FRAME),
        ("Decision", "Count", "Share"), rows,
    )  # fmt: skip


def histogram_view(report: ScoreDistributionReport) -> ChartView:
    buckets = report.distribution.buckets
    last = len(buckets) - 1

    def span(index: int, lower: float, upper: float) -> str:
        if index == 0:
            return f"under {upper:.0f}"
        if index == last:
            return f"{lower:.0f} and over"
        return f"{lower:.0f} to under {upper:.0f}"

    data = [Datum(f"{bucket.lower:.0f}", float(bucket.count)) for bucket in buckets]
    rows = tuple(
        (span(i, bucket.lower, bucket.upper), count_text(bucket.count))
        for i, bucket in enumerate(buckets)
    )
    fullest = max(range(len(buckets)), key=lambda i: buckets[i].count, default=None)
    most = (
        f" The most scores fell {span(fullest, buckets[fullest].lower, buckets[fullest].upper)}"
        f" ({count_text(buckets[fullest].count)})."
        if fullest is not None and buckets[fullest].count
        else ""
    )
    summary = f"{count_text(report.distribution.scored)} applications scored." + most
    return ChartView(
        "scores", "Score distribution", summary, column_chart(data, HISTOGRAM_FRAME),
        ("Score", "Applications"), rows,
    )  # fmt: skip
