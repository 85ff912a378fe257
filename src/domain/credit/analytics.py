"""Analytics over a period: the period itself, its predecessor, rates, buckets and tallies.

Every report covers a half-open period `[start, end)` of whole UTC days, and compares it with
the period of the same length that ends where it begins, so "this month against last month" is
never skewed by a shorter or overlapping window. A rate whose denominator is zero is `None`
(nothing to measure), never 0 (which would claim a measured zero) and never an error.

The tallies are what a store counts with GROUP BY, however many rows it holds: a handful of
numbers per day, per decision type or per analyst. Everything computed from them lives here, so
an in-memory store and a SQL database that agree on the tallies agree on every report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from attrs import field, frozen

from domain.credit.decisions import DecisionType
from domain.credit.routing import RoutingOutcome

#: The longest period a report covers: a year, leap day included.
MAX_PERIOD_DAYS = 366
DAY = timedelta(days=1)


class Granularity(StrEnum):
    """How a trend is bucketed: per UTC day, or per ISO week (Monday to Sunday)."""

    DAY = "day"
    WEEK = "week"


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


@frozen
class Period:
    """The instants `start <= t < end`; both ends are UTC midnights in reports."""

    start: datetime
    end: datetime = field()

    @end.validator
    def _after_start(self, _attribute: object, end: datetime) -> None:
        if end <= self.start:
            raise ValueError("a period ends after it starts")

    @classmethod
    def of_days(cls, first: date, last: date) -> Period:
        """Every instant of the UTC days `first` to `last`, both included."""
        return cls(midnight(first), midnight(last) + DAY)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    @property
    def first_day(self) -> date:
        return self.start.astimezone(UTC).date()

    @property
    def last_day(self) -> date:
        """The last UTC day with an instant in the period."""
        return (self.end - timedelta(microseconds=1)).astimezone(UTC).date()

    def previous(self) -> Period:
        """The period of the same length that ends exactly where this one begins."""
        return Period(self.start - self.length, self.start)

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def days(self) -> tuple[date, ...]:
        """Every UTC day the period touches, in order."""
        count = (self.last_day - self.first_day).days + 1
        return tuple(self.first_day + index * DAY for index in range(count))


def bucket_start(day: date, granularity: Granularity) -> date:
    """The first day of the bucket holding `day`: itself, or the Monday of its ISO week."""
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    return day


def bucket_starts(period: Period, granularity: Granularity) -> tuple[date, ...]:
    """Every bucket the period touches, so a quiet day or week shows as zero, not as a gap.
    A week that straddles the period's first day is labelled by its Monday but only counts
    the days inside the period."""
    return tuple(dict.fromkeys(bucket_start(day, granularity) for day in period.days()))


def rate(part: int, whole: int) -> float | None:
    """`part / whole`, or None when there is nothing to measure (`whole` is zero)."""
    return None if whole == 0 else part / whole


def mean(total: float, count: int) -> float | None:
    return None if count == 0 else total / count


@frozen
class Comparison:
    """One figure of the period beside the same figure of the previous period.

    `change` is the difference (`current - previous`: percentage points for a rate);
    `change_ratio` the relative change (`change / previous`). Each is None when a side is None,
    and `change_ratio` also when the previous value was zero (growth from nothing has no ratio).
    """

    current: float | None
    previous: float | None
    change: float | None
    change_ratio: float | None


def compare(current: float | None, previous: float | None) -> Comparison:
    if current is None or previous is None:
        return Comparison(current, previous, None, None)
    change = current - previous
    return Comparison(current, previous, change, None if previous == 0 else change / previous)


def _bins_valid(bins: ScoreBins, _attribute: object, count: int) -> None:
    if count < 1 or bins.width <= 0:
        raise ValueError("a histogram has at least one bin of positive width")


@frozen
class ScoreBins:
    """Equal-width bins over the score scale (300 to 850 by default, as the scorecard draws it).

    A score belongs to the bin whose lower edge is the highest inner edge at or below it; the
    two end bins are open, so a score outside the scale still counts, at the nearest end.
    """

    lower: float = 300.0
    width: float = 50.0
    count: int = field(default=11, validator=_bins_valid)

    def edges(self) -> tuple[float, ...]:
        """`count + 1` edges, from `lower` to the top of the last bin."""
        return tuple(self.lower + index * self.width for index in range(self.count + 1))

    def inner_edges(self) -> tuple[float, ...]:
        """The edges between bins: the only ones that decide where a score falls."""
        return self.edges()[1:-1]

    def index(self, score: float) -> int:
        return sum(1 for edge in self.inner_edges() if score >= edge)


# What the stores count (application.credit.ports.analytics.AnalyticsQueries).


@frozen
class DecisionTally:
    """Decisions that stand (final) of one kind by one person (`system` for automatic ones),
    with what the score alone recommended, and the review time of those that recorded one."""

    decided_by: str
    decision_type: DecisionType
    model_outcome: RoutingOutcome
    decisions: int
    review_seconds_total: int = 0
    reviewed: int = 0


@frozen
class DayCount:
    """How many records of a kind fall on one UTC day (applications submitted, say)."""

    day: date
    count: int


@frozen
class DecisionDayCount:
    day: date
    decision_type: DecisionType
    count: int


@frozen
class ScoringTally:
    """The scores one model version gave on one UTC day that routing sent one way."""

    day: date
    model_version: str
    routing_outcome: RoutingOutcome
    scores: int
    score_total: float


@frozen
class SlaTally:
    """Queue cases of a period: those that entered it, and those whose SLA deadline fell in it.

    Of the cases due, `met` were completed at or before the deadline and `missed` were completed
    after it or are still open past it; the rest are open with the deadline still ahead.
    """

    entered: int
    due: int
    met: int
    missed: int

    @property
    def pending(self) -> int:
        return self.due - self.met - self.missed

    @property
    def compliance_rate(self) -> float | None:
        """Met over settled (met or missed): a case still in time is not yet a verdict."""
        return rate(self.met, self.met + self.missed)
