"""Contract of what the periodic jobs read and remove: the queue's SLA and auto-assignment reads,
analysts' loads, users by role, and the purges of sent outbox messages and old idempotency keys."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import evolve

from application.credit.ports import UnitOfWork
from domain.credit.queue import QueueEntry, QueueStatus
from domain.identity import Role
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_queue_entry,
    a_user,
    an_idempotency_record,
    an_outbox_message,
)
from tests.contracts.parents import with_parents, with_parents_of, with_tenants

Q = QueueStatus
HOUR = timedelta(hours=1)
WARN_BEFORE = NOW + 2 * HOUR


def _entry(
    id: str,
    status: QueueStatus,
    deadline_hours: float,
    *,
    sla_warned_at: datetime | None = None,
    sla_breached_at: datetime | None = None,
) -> QueueEntry:
    entry = a_queue_entry(
        id=id,
        application_id=f"app-{id}",
        status=status,
        deadline=NOW + deadline_hours * HOUR,
        analyst_id="user-7" if status in (Q.ASSIGNED, Q.IN_PROGRESS) else None,
    )
    return evolve(entry, sla_warned_at=sla_warned_at, sla_breached_at=sla_breached_at)


ENTRIES = [
    _entry("late", Q.PENDING, -3),  # past its deadline, never warned: breach it
    _entry("late-warned", Q.ASSIGNED, -1, sla_warned_at=NOW - 2 * HOUR),  # breach it
    _entry("breached", Q.IN_PROGRESS, -5, sla_breached_at=NOW - 4 * HOUR),  # done with
    _entry("near", Q.PENDING, 1),  # warn it
    _entry("near-warned", Q.ASSIGNED, 1.5, sla_warned_at=NOW - HOUR),  # nothing yet
    _entry("at-edge", Q.PENDING, 2),  # not approaching until after 2 h
    _entry("far", Q.PENDING, 6),
    _entry("done", Q.COMPLETED, -2),
    _entry("near-2", Q.IN_PROGRESS, 1),  # ties "near" on deadline: by id
]
ELSEWHERE = evolve(_entry("late", Q.PENDING, -3), tenant_id=OTHER_TENANT)


def _queued(uow: UnitOfWork) -> UnitOfWork:
    with uow:
        with_parents_of(uow, [*ENTRIES, ELSEWHERE])
        for entry in [*ENTRIES, ELSEWHERE]:
            uow.queue.add(entry)
        uow.commit()
    return uow


def test_sla_due_lists_only_entries_with_a_step_to_take_by_deadline(uow: UnitOfWork) -> None:
    _queued(uow)
    with uow:
        due = uow.queue.sla_due(TENANT, now=NOW, warn_before=WARN_BEFORE, limit=50)
        first_two = uow.queue.sla_due(TENANT, now=NOW, warn_before=WARN_BEFORE, limit=2)
    assert [e.id for e in due] == ["late", "late-warned", "near", "near-2"]
    assert [e.id for e in first_two] == ["late", "late-warned"]
    assert due[1] == ENTRIES[1]  # the marks survive the round trip


def test_sla_due_forgets_an_entry_once_its_breach_is_marked(uow: UnitOfWork) -> None:
    _queued(uow)
    with uow:
        uow.queue.update(evolve(ENTRIES[0], sla_breached_at=NOW))
        uow.queue.update(evolve(ENTRIES[3], sla_warned_at=NOW))
        uow.commit()
    with uow:
        due = uow.queue.sla_due(TENANT, now=NOW, warn_before=WARN_BEFORE, limit=50)
        stored = uow.queue.get(TENANT, "late")
    assert [e.id for e in due] == ["late-warned", "near-2"]
    assert stored is not None
    assert stored.sla_breached_at == NOW


def test_pending_due_lists_pending_entries_by_deadline(uow: UnitOfWork) -> None:
    _queued(uow)
    with uow:
        due = uow.queue.pending_due(TENANT, before=NOW + 2 * HOUR, limit=50)
        one = uow.queue.pending_due(TENANT, before=NOW + 2 * HOUR, limit=1)
        none = uow.queue.pending_due(OTHER_TENANT, before=NOW - 4 * HOUR, limit=50)
    assert [e.id for e in due] == ["late", "near", "at-edge"]
    assert [e.id for e in one] == ["late"]
    assert none == []


def test_active_counts_count_held_cases_per_analyst(uow: UnitOfWork) -> None:
    _queued(uow)
    with uow:
        uow.queue.update(evolve(ENTRIES[6], status=Q.ASSIGNED, analyst_id="user-8"))
        uow.commit()
    with uow:
        assert uow.queue.active_counts(TENANT) == {"user-7": 4, "user-8": 1}
        assert uow.queue.active_counts(OTHER_TENANT) == {}


def test_active_users_by_role(uow: UnitOfWork) -> None:
    users = [
        a_user(id="u-3", email="c@example.com", role=Role.SENIOR_ANALYST),
        a_user(id="u-1", email="a@example.com", role=Role.ANALYST),
        a_user(id="u-2", email="b@example.com", role=Role.ANALYST, active=False),
        a_user(id="u-4", email="d@example.com", role=Role.ADMIN),
        a_user(id="u-5", email="e@example.com", role=Role.ANALYST, tenant_id=OTHER_TENANT),
    ]
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for user in users:
            uow.users.add(user)
        uow.commit()
    with uow:
        found = uow.users.active_with_roles(TENANT, (Role.ANALYST, Role.SENIOR_ANALYST))
        assert [u.id for u in found] == ["u-1", "u-3"]
        assert [u.id for u in uow.users.active_with_roles(TENANT, {Role.ADMIN})] == ["u-4"]
        assert uow.users.active_with_roles(TENANT, ()) == []


def test_purging_the_outbox_removes_only_old_sent_messages_oldest_first(uow: UnitOfWork) -> None:
    messages = [an_outbox_message(id=f"m-{i}", created_at=NOW + i * HOUR) for i in range(5)]
    with uow:
        with_parents(uow)
        for message in messages:
            uow.outbox.add(message)
        for message in messages[:3]:
            uow.outbox.mark_sent(message.id)
        uow.outbox.mark_sent("m-4")
        uow.commit()
    with uow:
        assert uow.outbox.purge_sent(NOW + 4 * HOUR, limit=2) == 2  # m-0, m-1
        uow.commit()
    with uow:
        assert uow.outbox.purge_sent(NOW + 4 * HOUR, limit=10) == 1  # m-2; m-3 unsent
        uow.commit()
    with uow:
        assert uow.outbox.purge_sent(NOW + 4 * HOUR, limit=10) == 0
        assert [m.id for m in uow.outbox.pending(10)] == ["m-3"]
        uow.outbox.mark_sent("m-4")  # still there, not yet expired


def test_a_purge_not_committed_removes_nothing(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        uow.outbox.add(an_outbox_message(id="m-1"))
        uow.outbox.mark_sent("m-1")
        uow.commit()
    with uow:
        assert uow.outbox.purge_sent(NOW + HOUR, limit=10) == 1
    with uow:
        uow.outbox.mark_sent("m-1")  # still stored
        assert uow.outbox.purge_sent(NOW + HOUR, limit=10) == 1
        uow.commit()


def test_purging_idempotency_keys_keeps_other_tenants_and_recent_keys(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        with_parents(uow, tenant_id=OTHER_TENANT, application_ids=["app-1"])
        for i in range(4):
            uow.idempotency.add(an_idempotency_record(key=f"k-{i}", created_at=NOW + i * HOUR))
        uow.idempotency.add(an_idempotency_record(tenant_id=OTHER_TENANT, key="k-0"))
        uow.commit()
    with uow:
        assert uow.idempotency.purge(TENANT, NOW + 3 * HOUR, limit=2) == 2
        assert uow.idempotency.purge(TENANT, NOW + 3 * HOUR, limit=2) == 1
        uow.commit()
    with uow:
        assert uow.idempotency.get(TENANT, "k-2") is None
        assert uow.idempotency.get(TENANT, "k-3") is not None
        assert uow.idempotency.get(OTHER_TENANT, "k-0") is not None
