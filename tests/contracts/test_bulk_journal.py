"""The contract of `AuditLog.append_many` and `Outbox.add_many`: what `append` and `add` store,
one by one, in one write, all or none; the chain is checked for every event in order."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists
from domain.audit import AuditEvent, ChainMismatch
from domain.audit_verification import verify_chain
from tests.builders import NOW, OTHER_TENANT, TENANT, an_audit_event, an_outbox_message
from tests.contracts.parents import with_tenants

_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20)


def _chain(tenant_id: str, length: int, previous: AuditEvent | None = None) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for n in range(length):
        previous = an_audit_event(
            previous,
            tenant_id=tenant_id,
            occurred_at=NOW + timedelta(minutes=n),
            entity_id=f"app-{n}",
            new={"step": n, "email": f"person{n}@example.com"},
        )
        events.append(previous)
    return events


@pytest.fixture
def tenants(uow: UnitOfWork) -> UnitOfWork:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.commit()
    return uow


@_settings
@given(cuts=st.lists(st.integers(min_value=0, max_value=7), max_size=4))
def test_append_many_in_any_slices_stores_what_append_stores(
    tenants: UnitOfWork, cuts: list[int]
) -> None:
    uow = tenants
    with uow:
        start = uow.audit.head(TENANT)
        chain = _chain(TENANT, 7, start)
        bounds = [0, *sorted(cuts), len(chain)]
        for first, last in itertools.pairwise(bounds):
            uow.audit.append_many(chain[first:last])
        uow.commit()

    with uow:
        events = uow.audit.events(TENANT)
    assert events[len(events) - len(chain) :] == chain
    assert verify_chain(events).ok


def test_append_many_takes_the_events_of_several_tenants_in_order(tenants: UnitOfWork) -> None:
    uow = tenants
    mine, theirs = _chain(TENANT, 3), _chain(OTHER_TENANT, 2)
    with uow:
        uow.audit.append_many([mine[0], theirs[0], mine[1], mine[2], theirs[1]])
        uow.commit()

    with uow:
        assert uow.audit.events(TENANT) == mine
        assert uow.audit.events(OTHER_TENANT) == theirs


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda c: [c[1], c[2]], id="not from the head"),
        pytest.param(lambda c: [c[0], c[2]], id="a gap"),
        pytest.param(lambda c: [c[0], c[1], c[1]], id="twice"),
        pytest.param(lambda c: [c[0], _chain(OTHER_TENANT, 1)[0], c[0]], id="a repeat later"),
    ],
)
def test_append_many_refuses_a_broken_chain_and_appends_none(
    tenants: UnitOfWork, broken: Callable[[list[AuditEvent]], list[AuditEvent]]
) -> None:
    uow = tenants
    chain = _chain(TENANT, 3)
    with uow:
        with pytest.raises(ChainMismatch):
            uow.audit.append_many(broken(chain))
        assert uow.audit.events(TENANT) == []
        assert uow.audit.events(OTHER_TENANT) == []
        uow.audit.append_many(chain)  # the unit of work goes on
        uow.commit()

    with uow:
        assert uow.audit.events(TENANT) == chain


def test_append_many_after_append_continues_the_chain(tenants: UnitOfWork) -> None:
    uow = tenants
    chain = _chain(TENANT, 4)
    with uow:
        uow.audit.append(chain[0])
        uow.audit.append_many(chain[1:3])
        uow.audit.append(chain[3])
        uow.audit.append_many([])
        uow.commit()

    with uow:
        assert uow.audit.events(TENANT) == chain


def test_add_many_messages_stores_what_add_stores(tenants: UnitOfWork) -> None:
    uow = tenants
    times = [NOW, NOW + timedelta(seconds=2), NOW, NOW + timedelta(seconds=1)]
    alone = [an_outbox_message(id=f"a-{n}", created_at=t) for n, t in enumerate(times)]
    together = [an_outbox_message(id=f"b-{n}", created_at=t) for n, t in enumerate(times)]
    with uow:
        for message in alone:
            uow.outbox.add(message)
        uow.outbox.add_many(together)
        uow.outbox.add_many([])
        uow.commit()

    with uow:
        pending = uow.outbox.pending(100)
    ids = [m.id for m in pending]
    # Ties of created_at go in the order added, in both forms alike.
    assert ids == ["a-0", "a-2", "b-0", "b-2", "a-3", "b-3", "a-1", "b-1"]
    assert [m for m in pending if m.id.startswith("b")] == sorted(
        together, key=lambda m: m.created_at
    )


def test_add_many_messages_with_a_taken_id_stores_none(tenants: UnitOfWork) -> None:
    uow = tenants
    with uow:
        uow.outbox.add(an_outbox_message(id="m-1"))
        uow.commit()
    with uow:
        with pytest.raises(AlreadyExists, match="m-1"):
            uow.outbox.add_many([an_outbox_message(id="m-2"), an_outbox_message(id="m-1")])
        with pytest.raises(AlreadyExists, match="m-3"):
            uow.outbox.add_many([an_outbox_message(id="m-3"), an_outbox_message(id="m-3")])
        assert [m.id for m in uow.outbox.pending(10)] == ["m-1"]
        uow.outbox.add_many([an_outbox_message(id="m-2")])
        uow.commit()

    with uow:
        assert [m.id for m in uow.outbox.pending(10)] == ["m-1", "m-2"]
