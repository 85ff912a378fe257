"""The SLA check: a warning once, two hours before the deadline; a breach marked once; an
escalation to the least-loaded senior; each with its audit event and outbox message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.check_sla import CheckSla, SlaReport
from application.credit.recording import Topic
from domain.credit.queue import QueueStatus
from domain.errors import PermissionDenied
from domain.identity import Role
from tests.builders import NOW, OTHER_TENANT
from tests.unit.application.queue_watch import SYSTEM, QueueWatch

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def watch() -> QueueWatch:
    return QueueWatch()


def _check(watch: QueueWatch) -> SlaReport:
    return CheckSla(watch.uow, watch.clock, watch.ids)(SYSTEM)


def test_a_case_is_warned_once_when_less_than_two_hours_are_left(watch: QueueWatch) -> None:
    deadline = NOW + 2 * HOUR
    watch.case("e-1", deadline, status=QueueStatus.ASSIGNED, analyst_id="user-ana")

    assert _check(watch) == SlaReport()  # two hours left exactly: not yet
    watch.clock.advance(MINUTE)
    assert _check(watch).warned == ("e-1",)
    for _ in range(3):
        watch.clock.advance(10 * MINUTE)
        assert _check(watch).warned == ()

    (message,) = watch.messages(Topic.CASE_SLA_WARNING)
    assert message.payload == {
        "entry_id": "e-1",
        "application_id": "app-e-1",
        "sla_deadline": deadline.isoformat(),
        "analyst_id": "user-ana",
    }
    assert watch.entry("e-1").sla_warned_at == NOW + MINUTE
    (event,) = [e for e in watch.events() if e.action == "queue.sla_warned"]
    assert (event.actor, event.entity_id) == ("system:scheduler", "e-1")


def test_a_breach_is_marked_once_and_escalated_to_the_least_loaded_senior(
    watch: QueueWatch,
) -> None:
    watch.hire("user-sen", Role.SENIOR_ANALYST)
    watch.hire("user-sen2", Role.SENIOR_ANALYST)
    watch.holding("user-sen", 2)
    watch.holding("user-sen2", 1)
    watch.case("e-1", NOW - MINUTE)  # pending: nobody holds it

    report = _check(watch)
    assert (report.breached, report.escalated, report.unescalated) == (("e-1",), ("e-1",), ())
    watch.clock.advance(HOUR)
    assert _check(watch) == SlaReport()

    entry = watch.entry("e-1")
    assert (entry.sla_breached_at, entry.escalated_to) == (NOW, "user-sen2")
    assert entry.sla_warned_at is None  # a warning after the deadline helps nobody
    assert entry.status is QueueStatus.PENDING  # the senior is told; the case stays put
    (breach,) = watch.messages(Topic.CASE_SLA_BREACHED)
    assert breach.payload == {
        "entry_id": "e-1",
        "application_id": "app-e-1",
        "sla_deadline": (NOW - MINUTE).isoformat(),
    }
    (escalation,) = watch.messages(Topic.CASE_ESCALATED)
    assert escalation.payload == {
        "entry_id": "e-1",
        "application_id": "app-e-1",
        "senior_id": "user-sen2",
    }
    assert watch.messages(Topic.CASE_SLA_WARNING) == []
    actions = [e.action for e in watch.events() if e.entity_id == "e-1"]
    assert actions == ["queue.sla_breached", "queue.escalated"]


def test_breaches_of_one_run_are_spread_over_the_seniors(watch: QueueWatch) -> None:
    watch.hire("user-sen", Role.SENIOR_ANALYST)
    watch.hire("user-sen2", Role.SENIOR_ANALYST)
    for i in range(4):
        watch.case(f"e-{i}", NOW - i * MINUTE)
    _check(watch)
    seniors = [watch.entry(f"e-{i}").escalated_to for i in (3, 2, 1, 0)]  # earliest first
    assert seniors == ["user-sen", "user-sen2", "user-sen", "user-sen2"]


def test_with_no_senior_the_breach_is_still_marked_and_reported(watch: QueueWatch) -> None:
    watch.hire("user-sen", Role.SENIOR_ANALYST, active=False)
    watch.hire("user-other", Role.SENIOR_ANALYST, tenant_id=OTHER_TENANT)
    watch.hire("user-ana", Role.ANALYST)
    watch.case("e-1", NOW, status=QueueStatus.IN_PROGRESS, analyst_id="user-ana")

    report = _check(watch)

    assert (report.breached, report.escalated, report.unescalated) == (("e-1",), (), ("e-1",))
    assert watch.entry("e-1").escalated_to is None
    assert [m.topic for m in watch.messages()] == [Topic.CASE_SLA_BREACHED]
    assert watch.messages()[0].payload["analyst_id"] == "user-ana"


def test_a_senior_holding_the_breached_case_is_not_escalated_to(watch: QueueWatch) -> None:
    watch.hire("user-sen", Role.SENIOR_ANALYST)
    watch.case("e-1", NOW, status=QueueStatus.ASSIGNED, analyst_id="user-sen")
    assert _check(watch).unescalated == ("e-1",)


def test_finished_cases_and_other_tenants_cases_are_left_alone(watch: QueueWatch) -> None:
    watch.case("done", NOW - HOUR, status=QueueStatus.COMPLETED, analyst_id="user-ana")
    watch.case("theirs", NOW - HOUR, tenant_id=OTHER_TENANT)
    assert _check(watch) == SlaReport()
    assert watch.entry("theirs", OTHER_TENANT).sla_breached_at is None
    assert watch.messages() == []


def test_only_someone_who_may_assign_cases_runs_the_check(watch: QueueWatch) -> None:
    watch.case("e-1", NOW)
    with pytest.raises(PermissionDenied):
        CheckSla(watch.uow, watch.clock, watch.ids)(evolve(SYSTEM, extra_grants=frozenset()))
    assert watch.entry("e-1").sla_breached_at is None


def test_a_run_takes_at_most_a_batch_earliest_deadlines_first(watch: QueueWatch) -> None:
    for i in range(5):
        watch.case(f"e-{i}", NOW - i * MINUTE)
    check = CheckSla(watch.uow, watch.clock, watch.ids, batch=2)
    assert check(SYSTEM).breached == ("e-4", "e-3")
    assert check(SYSTEM).breached == ("e-2", "e-1")
    assert check(SYSTEM).breached == ("e-0",)
    assert len(watch.messages(Topic.CASE_SLA_BREACHED)) == 5
