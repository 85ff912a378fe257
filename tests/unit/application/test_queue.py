from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.queries import QueueQuery, QueueSort
from application.credit.queue_views import band_bounds
from application.credit.queue_work import AssignCase
from application.errors import NotFound
from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.queue import (
    CaseNotAvailable,
    PriorityBand,
    QueuePolicy,
    QueueStatus,
    WorkloadCapReached,
    priority_band,
    release,
)
from domain.errors import PermissionDenied, ValidationFailed
from tests.builders import NOW, TENANT, a_policy_version, a_routing_policy, a_user
from tests.unit.application.helpers import (
    ANALYST,
    COLLEAGUE,
    LENDER,
    OUTSIDER,
    READONLY,
    SENIOR,
    Desk,
)


def test_the_band_bounds_are_the_domains_bands() -> None:
    bounds = band_bounds()

    for value in range(1, 101):
        expected = (
            PriorityBand.HIGH
            if value <= bounds.high_max
            else PriorityBand.MEDIUM
            if value <= bounds.medium_max
            else PriorityBand.LOW
        )
        assert priority_band(value) is expected


def test_the_queue_lists_open_cases_filtered_and_sorted(desk: Desk) -> None:
    _first, held = desk.held("LND-1")
    _second, waiting = desk.in_review("LND-2")

    everything = desk.list_queue(READONLY, QueueQuery(sort=QueueSort.PRIORITY))
    pending = desk.list_queue(READONLY, QueueQuery(statuses=frozenset({QueueStatus.PENDING})))
    mine = desk.list_queue(ANALYST, QueueQuery(analyst_id=ANALYST.user_id))

    assert everything.total == 2
    assert [e.id for e in pending.items] == [waiting.id]
    assert [e.id for e in mine.items] == [held.id]
    assert desk.list_queue(OUTSIDER, QueueQuery()).total == 0


def test_every_problem_with_a_queue_query_is_reported(desk: Desk) -> None:
    with pytest.raises(ValidationFailed) as raised:
        desk.list_queue(ANALYST, QueueQuery(page=0, page_size=0, max_priority=0))

    assert [p.path for p in raised.value.problems] == ["page", "page_size", "max_priority"]


def test_the_queue_is_not_for_the_lenders_systems(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        desk.list_queue(LENDER, QueueQuery())
    with pytest.raises(PermissionDenied):
        desk.summarize_queue(LENDER)


def test_the_summary_counts_by_status_sla_and_band(desk: Desk) -> None:
    desk.held("LND-1")
    desk.in_review("LND-2")
    _third, assigned = desk.in_review("LND-3")
    desk.assign(SENIOR, assigned.id)

    now = desk.summarize_queue(READONLY)
    desk.clock.advance(timedelta(hours=7))
    later = desk.summarize_queue(READONLY)
    desk.clock.advance(timedelta(hours=1))
    late = desk.summarize_queue(READONLY)

    assert (now.pending, now.assigned, now.in_progress) == (1, 1, 1)
    assert now.high + now.medium + now.low == 3
    assert (now.approaching_sla, now.breached_sla) == (0, 0)
    assert (later.approaching_sla, later.breached_sla) == (3, 0)
    assert (late.approaching_sla, late.breached_sla) == (0, 3)


def test_an_analyst_takes_a_case(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")

    taken = desk.assign(ANALYST, entry.id)

    assert taken.status is QueueStatus.ASSIGNED
    assert (taken.analyst_id, taken.assigned_at) == (ANALYST.user_id, NOW)
    assert desk.entry_of(entry.application_id) == taken
    assert desk.events()[-1].action == "queue.assigned"


def test_a_senior_gives_a_case_to_a_colleague(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")

    given = desk.assign(SENIOR, entry.id, COLLEAGUE.user_id)

    assert given.analyst_id == COLLEAGUE.user_id
    assert desk.events()[-1].actor == SENIOR.user_id


def test_an_analyst_cannot_give_cases_to_others(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")
    before = desk.stored()

    with pytest.raises(PermissionDenied, match="queue:assign"):
        desk.assign(ANALYST, entry.id, COLLEAGUE.user_id)

    assert desk.stored() == before


def test_a_case_goes_only_to_an_active_person_of_the_tenant_who_can_decide(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")
    with desk.uow:
        desk.uow.users.add(a_user(id="user-gone", email="gone@example.com", active=False))
        desk.uow.commit()

    with pytest.raises(NotFound):
        desk.assign(SENIOR, entry.id, "user-nobody")
    with pytest.raises(NotFound):
        desk.assign(SENIOR, entry.id, "user-gone")
    with pytest.raises(PermissionDenied, match="decision:create"):
        desk.assign(SENIOR, entry.id, READONLY.user_id)


def test_a_taken_case_cannot_be_taken_again(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")
    desk.assign(ANALYST, entry.id)

    with pytest.raises(CaseNotAvailable):
        desk.assign(COLLEAGUE, entry.id)


def test_the_workload_cap_counts_the_assignees_active_cases(desk: Desk) -> None:
    assign = AssignCase(desk.uow, desk.clock, desk.ids, QueuePolicy(max_active_cases=1))
    _first, first = desk.in_review("LND-1")
    _second, second = desk.in_review("LND-2")
    assign(ANALYST, first.id)
    before = desk.stored()

    with pytest.raises(WorkloadCapReached):
        assign(ANALYST, second.id)

    assert desk.stored() == before
    assert assign(COLLEAGUE, second.id).analyst_id == COLLEAGUE.user_id


def test_another_tenants_case_is_not_found(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")

    for step in (desk.assign, desk.start, desk.release):
        with pytest.raises(NotFound):
            step(OUTSIDER, entry.id)


def test_the_assignee_starts_the_case(desk: Desk) -> None:
    _application, entry = desk.in_review("LND-1")
    desk.assign(ANALYST, entry.id)
    desk.clock.advance(timedelta(minutes=2))

    with pytest.raises(CaseNotAvailable):
        desk.start(COLLEAGUE, entry.id)
    started = desk.start(ANALYST, entry.id)

    assert started.status is QueueStatus.IN_PROGRESS
    assert started.started_at == NOW + timedelta(minutes=2)
    assert desk.events()[-1].action == "queue.started"


def test_a_released_case_returns_to_the_queue_more_urgent(desk: Desk) -> None:
    _application, entry = desk.held("LND-1")

    released = desk.release(ANALYST, entry.id)

    assert released.status is QueueStatus.PENDING
    assert (released.analyst_id, released.release_count) == (None, 1)
    assert released.priority <= entry.priority
    assert desk.events()[-1].action == "queue.released"


def test_only_the_holder_or_someone_who_assigns_releases_a_case(desk: Desk) -> None:
    _application, entry = desk.held("LND-1")

    with pytest.raises(PermissionDenied):
        desk.release(COLLEAGUE, entry.id)
    assert desk.release(SENIOR, entry.id).status is QueueStatus.PENDING
    with pytest.raises(CaseNotAvailable):
        desk.release(SENIOR, entry.id)


def test_the_release_priority_uses_the_policy_in_force(desk: Desk) -> None:
    _application, held = desk.held("LND-1")
    tight = a_routing_policy(version=2, auto_decline_max=600, auto_approve_min=700)
    with desk.uow:
        desk.uow.policies.add(a_policy_version(version=2, policy=tight))
        desk.uow.policies.activate(TENANT, 2)
        desk.uow.commit()
    desk.clock.advance(timedelta(hours=1))
    expected = {
        name: release(
            held, actor=ANALYST, now=desk.clock.now(), routing=routing, policy=QueuePolicy()
        )
        for name, routing in (("tenant", tight), ("default", DEFAULT_ROUTING_POLICY))
    }
    assert expected["tenant"].priority != expected["default"].priority

    released = desk.release(ANALYST, held.id)

    assert released == expected["tenant"]
