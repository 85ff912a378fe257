"""When periodic jobs run: every minute, every hour at a minute, or every day at a time (UTC).

Time is cut into slots, one per run: the slot of a daily job at 02:00 is the day from 02:00 to
02:00 the next day, named by its start. A scheduler runs a job once per slot, and several
schedulers agree on who runs it by claiming the slot's start (see
`application.credit.ports.schedules`): slots, unlike "every 60 seconds from whenever I
started", are the same on every machine.

A scheduler that was stopped does not run every slot it missed, only the current one: an SLA
check for each of the sixty minutes of an outage would find the same cases sixty times.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from attrs import field, frozen


class Period(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


LENGTHS = {
    Period.MINUTE: timedelta(minutes=1),
    Period.HOUR: timedelta(hours=1),
    Period.DAY: timedelta(days=1),
}


def _within_period(instance: Schedule, _attribute: object, offset: timedelta) -> None:
    if not timedelta(0) <= offset < LENGTHS[instance.period]:
        raise ValueError(f"a {instance.period} schedule starts within the {instance.period}")


@frozen
class Schedule:
    """A job's period and where in the period its slots start (the minute of the hour, the
    time of day), as an offset from the period's start in UTC."""

    job: str
    period: Period
    offset: timedelta = field(default=timedelta(0), validator=_within_period)

    @classmethod
    def every_minute(cls, job: str) -> Schedule:
        return cls(job, Period.MINUTE)

    @classmethod
    def hourly(cls, job: str, *, minute: int = 0) -> Schedule:
        return cls(job, Period.HOUR, timedelta(minutes=minute))

    @classmethod
    def daily(cls, job: str, *, at: time) -> Schedule:
        """Every day at `at`, a time of day in UTC."""
        return cls(job, Period.DAY, timedelta(hours=at.hour, minutes=at.minute))

    @property
    def length(self) -> timedelta:
        return LENGTHS[self.period]


def _period_start(period: Period, moment: datetime) -> datetime:
    if period is Period.MINUTE:
        return moment.replace(second=0, microsecond=0)
    if period is Period.HOUR:
        return moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def slot_of(schedule: Schedule, now: datetime) -> datetime:
    """The start of the slot `now` falls in: the latest start at or before `now`, in UTC."""
    if now.utcoffset() is None:
        raise ValueError("a schedule reads timezone-aware time")
    utc = now.astimezone(UTC)
    start = _period_start(schedule.period, utc) + schedule.offset
    return start if start <= utc else start - schedule.length


def next_slot(schedule: Schedule, now: datetime) -> datetime:
    """When the next slot after the one `now` falls in starts."""
    return slot_of(schedule, now) + schedule.length


def due_slot(schedule: Schedule, last_slot: datetime | None, now: datetime) -> datetime | None:
    """The slot to run at `now`, given the last slot this scheduler took (or tried to take);
    None while that is still the current one. Missed slots are not run (module docstring)."""
    slot = slot_of(schedule, now)
    return slot if last_slot is None or slot > last_slot else None
