"""The scheduler's loop: each job once per slot across schedulers; a failure stops no other job."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from domain.identity import Permission, can
from domain.schedules import Schedule
from entrypoints.periodic_jobs import PeriodicJob, describe, scheduler_principal
from entrypoints.scheduler import Scheduler
from tests.fakes import FixedClock, InMemoryScheduleClaims

NOW = datetime(2026, 11, 22, 9, 30, 5, tzinfo=UTC)
SECOND = timedelta(seconds=1)


class Recorder:
    """A job body that records the slots it ran for, failing when told to."""

    def __init__(self, fails: bool = False) -> None:
        self.slots: list[datetime] = []
        self.fails = fails

    def __call__(self, slot: datetime) -> None:
        self.slots.append(slot)
        if self.fails:
            raise RuntimeError("model server went away")


class FlakyClaims(InMemoryScheduleClaims):
    def __init__(self) -> None:
        super().__init__()
        self.down = True

    def claim(self, job: str, slot: datetime, *, holder: str, at: datetime) -> bool:
        if self.down:
            raise ConnectionError("database away")
        return super().claim(job, slot, holder=holder, at=at)


def _jobs(minutely: Recorder, nightly: Recorder) -> list[PeriodicJob]:
    return [
        PeriodicJob(Schedule.every_minute("minutely"), minutely),
        PeriodicJob(Schedule.daily("nightly", at=time(2, 0)), nightly),
    ]


def test_each_job_runs_once_per_slot() -> None:
    minutely, nightly, clock = Recorder(), Recorder(), FixedClock(NOW)
    scheduler = Scheduler(_jobs(minutely, nightly), InMemoryScheduleClaims(), clock)
    ran: list[str] = []
    for _ in range(150):  # two and a half minutes, a tick a second
        ran.extend(scheduler.run_due())
        clock.advance(SECOND)
    assert ran == ["minutely", "nightly", "minutely", "minutely"]
    assert minutely.slots == [NOW.replace(second=0) + timedelta(minutes=m) for m in range(3)]
    assert nightly.slots == [datetime(2026, 11, 22, 2, 0, tzinfo=UTC)]


def test_schedulers_sharing_claims_run_each_slot_once_between_them() -> None:
    claims, clock = InMemoryScheduleClaims(), FixedClock(NOW)
    bodies = [(Recorder(), Recorder()) for _ in range(3)]
    schedulers = [
        Scheduler(_jobs(*pair), claims, clock, f"host-{i}") for i, pair in enumerate(bodies)
    ]
    for _ in range(5):
        for scheduler in schedulers:
            scheduler.run_due()
        clock.advance(timedelta(seconds=20))
    minute_slots = sorted(slot for minutely, _ in bodies for slot in minutely.slots)
    assert minute_slots == [NOW.replace(second=0) + timedelta(minutes=m) for m in range(2)]
    assert sum(len(nightly.slots) for _, nightly in bodies) == 1


def test_a_failing_job_is_logged_and_keeps_no_other_from_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing, nightly, clock = Recorder(fails=True), Recorder(), FixedClock(NOW)
    scheduler = Scheduler(_jobs(failing, nightly), InMemoryScheduleClaims(), clock)
    with caplog.at_level(logging.ERROR):
        assert scheduler.run_due() == ["minutely", "nightly"]
    assert len(nightly.slots) == 1
    assert "minutely for 2026-11-22T09:30:00+00:00 failed: RuntimeError" in caplog.text
    clock.advance(SECOND)
    assert scheduler.run_due() == []  # the failed slot is spent; the next minute runs again
    clock.advance(timedelta(minutes=1))
    assert scheduler.run_due() == ["minutely"]


def test_a_claim_that_could_not_be_made_is_tried_again_at_the_next_tick() -> None:
    minutely, nightly, claims = Recorder(), Recorder(), FlakyClaims()
    scheduler = Scheduler(_jobs(minutely, nightly), claims, FixedClock(NOW))
    assert scheduler.run_due() == []
    claims.down = False
    assert scheduler.run_due() == ["minutely", "nightly"]


def test_a_job_acts_as_a_system_user_with_the_one_permission_it_needs() -> None:
    principal = scheduler_principal("tenant-a", Permission.QUEUE_ASSIGN)
    assert (principal.user_id, principal.tenant_id) == ("system:scheduler", "tenant-a")
    assert can(principal, Permission.QUEUE_ASSIGN)
    assert not can(principal, Permission.DECISION_CREATE)
    assert not can(principal, Permission.CONFIG_MANAGE)


def test_a_database_error_is_logged_without_the_statement_or_its_values() -> None:
    error = IntegrityError("INSERT INTO users ...", {"email": "ana@example.com"}, Exception("dup"))
    assert describe(error) == "IntegrityError (Exception)"
    assert describe(ValueError("bad slot")) == "ValueError: bad slot"
