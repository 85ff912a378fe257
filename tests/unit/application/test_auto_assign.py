"""Auto-assignment: pending cases near their SLA go to analysts with room, least loaded first,
never over the cap; each assignment audited and announced (`case.assigned`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.auto_assign import AutoAssign
from application.credit.recording import Topic
from domain.credit.queue import QueuePolicy, QueueStatus
from domain.errors import PermissionDenied
from domain.identity import Role
from tests.builders import NOW, OTHER_TENANT
from tests.unit.application.queue_watch import SYSTEM, QueueWatch

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
CAP = QueuePolicy(max_active_cases=3)


@pytest.fixture
def watch() -> QueueWatch:
    watch = QueueWatch()
    watch.hire("user-ana", Role.ANALYST)
    watch.hire("user-bob", Role.ANALYST)
    return watch


def _assign(watch: QueueWatch, within: timedelta = 2 * HOUR) -> list[tuple[str, str | None]]:
    assigned = AutoAssign(watch.uow, watch.clock, watch.ids, policy=CAP, within=within)(SYSTEM)
    return [(e.id, e.analyst_id) for e in assigned]


def test_only_cases_near_their_deadline_are_handed_out_least_loaded_first(
    watch: QueueWatch,
) -> None:
    watch.holding("user-ana", 1)
    watch.case("soon", NOW + HOUR)
    watch.case("late", NOW - HOUR)
    watch.case("later", NOW + 2 * HOUR + MINUTE)

    assert _assign(watch) == [("late", "user-bob"), ("soon", "user-ana")]
    assert watch.entry("later").status is QueueStatus.PENDING

    (first, second) = watch.messages(Topic.CASE_ASSIGNED)
    assert first.payload == {
        "entry_id": "late",
        "application_id": "app-late",
        "analyst_id": "user-bob",
        "assigned_by": "system:scheduler",
    }
    assert second.payload["entry_id"] == "soon"
    assigned = [e for e in watch.events() if e.action == "queue.assigned"]
    assert [(e.entity_id, e.actor) for e in assigned] == [
        ("late", "system:scheduler"),
        ("soon", "system:scheduler"),
    ]
    assert _assign(watch) == []  # nothing else is due yet
    watch.clock.advance(MINUTE)
    assert _assign(watch) == [("later", "user-bob")]  # now it is


def test_nobody_is_taken_over_the_workload_cap(watch: QueueWatch) -> None:
    watch.holding("user-ana", 3)
    watch.holding("user-bob", 2)
    for i in range(3):
        watch.case(f"e-{i}", NOW + i * MINUTE)
    assert _assign(watch) == [("e-0", "user-bob")]
    assert watch.entry("e-1").status is QueueStatus.PENDING
    assert len(watch.messages(Topic.CASE_ASSIGNED)) == 1


def test_seniors_inactive_analysts_and_other_tenants_analysts_get_nothing() -> None:
    watch = QueueWatch()
    watch.hire("user-sen", Role.SENIOR_ANALYST)
    watch.hire("user-gone", Role.ANALYST, active=False)
    watch.hire("user-eve", Role.ANALYST, tenant_id=OTHER_TENANT)
    watch.case("e-1", NOW)
    assert _assign(watch) == []
    assert watch.messages() == []


def test_the_horizon_is_a_setting(watch: QueueWatch) -> None:
    watch.case("e-1", NOW + 5 * HOUR)
    assert _assign(watch) == []
    assert _assign(watch, within=6 * HOUR) == [("e-1", "user-ana")]


def test_only_someone_who_may_assign_cases_runs_it(watch: QueueWatch) -> None:
    watch.case("e-1", NOW)
    with pytest.raises(PermissionDenied):
        AutoAssign(watch.uow, watch.clock, watch.ids)(evolve(SYSTEM, extra_grants=frozenset()))
    assert watch.entry("e-1").status is QueueStatus.PENDING
