"""Schedules cut time into slots every scheduler agrees on; a missed slot is not replayed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.schedules import Period, Schedule, due_slot, next_slot, slot_of

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)
NIGHTLY = Schedule.daily("model_check", at=time(2, 0))


def test_a_daily_slot_starts_at_its_time_of_day() -> None:
    assert slot_of(NIGHTLY, NOW) == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    early = datetime(2026, 11, 22, 1, 59, 59, tzinfo=UTC)
    assert slot_of(NIGHTLY, early) == datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    assert next_slot(NIGHTLY, early) == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_minute_and_hourly_slots() -> None:
    assert slot_of(Schedule.every_minute("sla"), NOW) == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    quarter = Schedule.hourly("h", minute=45)
    assert slot_of(quarter, NOW) == datetime(2026, 11, 22, 8, 45, tzinfo=UTC)


def test_times_in_another_zone_fall_in_the_same_utc_slot() -> None:
    belgrade = NOW.astimezone(timezone(timedelta(hours=1)))
    assert slot_of(NIGHTLY, belgrade) == slot_of(NIGHTLY, NOW)


def test_a_slot_is_due_once_and_missed_slots_are_not_replayed() -> None:
    minute = Schedule.every_minute("sla")
    first = due_slot(minute, None, NOW)
    assert first == slot_of(minute, NOW)
    assert due_slot(minute, first, NOW + timedelta(seconds=30)) is None
    an_hour_later = NOW + timedelta(hours=1)
    assert due_slot(minute, first, an_hour_later) == slot_of(minute, an_hour_later)


def test_a_start_outside_the_period_and_naive_time_are_refused() -> None:
    with pytest.raises(ValueError, match="within the hour"):
        Schedule("h", Period.HOUR, timedelta(hours=1))
    with pytest.raises(ValueError, match="timezone-aware"):
        slot_of(NIGHTLY, datetime(2026, 11, 22, 9, 30))  # noqa: DTZ001 - the point of the test


schedules = st.one_of(
    st.builds(Schedule.every_minute, st.just("m")),
    st.builds(lambda m: Schedule.hourly("h", minute=m), st.integers(0, 59)),
    st.builds(
        lambda h, m: Schedule.daily("d", at=time(h, m)), st.integers(0, 23), st.integers(0, 59)
    ),
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(schedules, moments)
def test_now_falls_in_its_slot_which_starts_at_the_schedules_offset(
    schedule: Schedule, now: datetime
) -> None:
    slot = slot_of(schedule, now)
    assert slot <= now < slot + schedule.length
    assert next_slot(schedule, now) == slot + schedule.length
    assert slot_of(schedule, slot) == slot
    period_start = slot - schedule.offset
    assert period_start.second == period_start.microsecond == 0
    if schedule.period is not Period.MINUTE:
        assert period_start.minute == 0
    if schedule.period is Period.DAY:
        assert period_start.hour == 0


@given(schedules, moments, st.lists(st.integers(0, 4000), max_size=20))
def test_a_scheduler_that_looks_at_any_times_takes_each_slot_at_most_once_in_order(
    schedule: Schedule, start: datetime, gaps: list[int]
) -> None:
    now, last = start, None
    taken: list[datetime] = []
    for gap in gaps:
        now += timedelta(seconds=gap)
        slot = due_slot(schedule, last, now)
        if slot is not None:
            taken.append(slot)
            last = slot
    assert taken == sorted(set(taken))
