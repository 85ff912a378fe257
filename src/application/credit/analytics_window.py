"""Which period an analytics request covers: the caller's `from` and `to`, checked together.

Both are ISO dates, both included, in UTC days; either may be left out: `to` defaults to today,
`from` to 29 days before `to` (the last 30 days). Every bad parameter is reported at once,
named as the caller spelled it, so a report screen can mark each wrong field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from attrs import frozen

from domain.credit.analytics import DAY, MAX_PERIOD_DAYS, Granularity, Period
from domain.errors import Problem, ValidationFailed

DEFAULT_DAYS = 30
#: The days a report may name: wide enough for any loan book, narrow enough that a period and
#: its predecessor never leave the calendar.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


@frozen
class AnalyticsWindow:
    """The parameters as given (None: not given)."""

    first: str | None = None
    last: str | None = None
    granularity: str | None = None


@frozen
class ReportPeriod:
    """The UTC days a report covers, both included."""

    first_day: date
    last_day: date

    @classmethod
    def of(cls, period: Period) -> ReportPeriod:
        return cls(period.first_day, period.last_day)


def _date(text: str | None, name: str, found: list[Problem]) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        found.append(Problem(name, "must be a date like 2026-11-01"))
        return None
    if not EARLIEST <= day <= LATEST:
        found.append(Problem(name, f"must be from {EARLIEST} to {LATEST}"))
        return None
    return day


def _granularity(text: str | None, found: list[Problem]) -> Granularity:
    if text is None:
        return Granularity.DAY
    try:
        return Granularity(text.strip().lower())
    except ValueError:
        choices = " or ".join(kind.value for kind in Granularity)
        found.append(Problem("granularity", f"must be {choices}"))
        return Granularity.DAY


def resolve(window: AnalyticsWindow, now: datetime) -> tuple[Period, Granularity]:
    """The period and granularity asked for; `ValidationFailed` naming every bad parameter."""
    found: list[Problem] = []
    first = _date(window.first, "from", found)
    last = _date(window.last, "to", found)
    granularity = _granularity(window.granularity, found)
    if found:
        raise ValidationFailed(tuple(found))
    today = now.astimezone(UTC).date()
    last = last or (today if first is None or first <= today else first)
    first = first or last - (DEFAULT_DAYS - 1) * DAY
    if first > last:
        found.append(Problem("to", "must not be before from"))
    elif (last - first).days + 1 > MAX_PERIOD_DAYS:
        days = (last - first).days + 1
        found.append(
            Problem("from", f"a report covers at most {MAX_PERIOD_DAYS} days; this asks {days}")
        )
    if found:
        raise ValidationFailed(tuple(found))
    return Period.of_days(first, last), granularity
