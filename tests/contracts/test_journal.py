"""Contract of what creditdesk writes about its own work: the audit chain and its query, the
outbox, and idempotency keys."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.ports import UnitOfWork
from application.credit.queries import AuditQuery, Page
from application.ports import AlreadyExists, RecordNotFound
from domain.audit import AuditEvent, ChainMismatch
from domain.audit_verification import verify_chain
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    an_application_form,
    an_audit_event,
    an_idempotency_record,
    an_outbox_message,
    eur,
)
from tests.contracts.parents import with_parents, with_tenants

HOUR = timedelta(hours=1)


def test_the_audit_log_keeps_each_tenants_chain_in_order(uow: UnitOfWork) -> None:
    first = an_audit_event()
    second = an_audit_event(first, action="application.scoring")
    third = an_audit_event(second, action="application.review")
    elsewhere = an_audit_event(tenant_id=OTHER_TENANT)
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        assert uow.audit.head(TENANT) is None
        assert uow.audit.events(TENANT) == []
        uow.audit.append(first)
        uow.audit.append(elsewhere)
        uow.audit.append(second)
        uow.commit()
    with uow:
        uow.audit.append(third)
        uow.commit()

    with uow:
        assert uow.audit.head(TENANT) == third
        assert uow.audit.events(TENANT) == [first, second, third]
        assert uow.audit.events(OTHER_TENANT) == [elsewhere]
        assert verify_chain(uow.audit.events(TENANT)).ok


def test_the_audit_log_refuses_gaps_and_forks(uow: UnitOfWork) -> None:
    first = an_audit_event()
    second = an_audit_event(first)
    with uow:
        with_parents(uow)
        with pytest.raises(ChainMismatch):
            uow.audit.append(second)
        uow.audit.append(first)
        with pytest.raises(ChainMismatch):
            uow.audit.append(an_audit_event(action="a second first event"))
        with pytest.raises(ChainMismatch):
            uow.audit.append(an_audit_event(an_audit_event(action="forked")))
        uow.audit.append(second)
        uow.commit()

    with uow:
        assert uow.audit.events(TENANT) == [first, second]


def test_outbox_pending_is_oldest_first_and_limited(uow: UnitOfWork) -> None:
    times = {"m-late": 30, "m-early": 0, "m-mid": 10, "m-other-tenant": 20}
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for name, minutes in times.items():
            tenant = OTHER_TENANT if "other" in name else TENANT
            created = NOW + timedelta(minutes=minutes)
            uow.outbox.add(an_outbox_message(id=name, tenant_id=tenant, created_at=created))
        with pytest.raises(AlreadyExists):
            uow.outbox.add(an_outbox_message(id="m-mid"))
        uow.commit()

    with uow:
        assert [m.id for m in uow.outbox.pending(10)] == [
            "m-early",
            "m-mid",
            "m-other-tenant",
            "m-late",
        ]
        assert [m.id for m in uow.outbox.pending(2)] == ["m-early", "m-mid"]


def test_outbox_pending_of_some_topics_skips_the_others_in_order(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        for minute, (name, topic) in enumerate(
            [("m-1", "mail"), ("m-2", "job"), ("m-3", "mail"), ("m-4", "other"), ("m-5", "job")]
        ):
            created = NOW + timedelta(minutes=minute)
            uow.outbox.add(an_outbox_message(id=name, topic=topic, created_at=created))
        uow.commit()

    with uow:
        assert [m.id for m in uow.outbox.pending(10, topics={"job"})] == ["m-2", "m-5"]
        assert [m.id for m in uow.outbox.pending(2, topics=["job", "other"])] == ["m-2", "m-4"]
        assert uow.outbox.pending(10, topics=()) == []
        assert [m.id for m in uow.outbox.pending(10, topics=None)] == [
            f"m-{i}" for i in range(1, 6)
        ]


def test_a_sent_message_is_no_longer_pending(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        uow.outbox.add(an_outbox_message(id="m-1", created_at=NOW))
        uow.outbox.add(an_outbox_message(id="m-2", created_at=NOW + timedelta(seconds=1)))
        uow.commit()
    with uow:
        uow.outbox.mark_sent("m-1")
        uow.outbox.mark_sent("m-1")
        with pytest.raises(RecordNotFound):
            uow.outbox.mark_sent("m-404")
        uow.commit()

    with uow:
        assert [m.id for m in uow.outbox.pending(10)] == ["m-2"]


def _chain() -> list[AuditEvent]:
    """Five events of the tenant, an hour apart: sequence n happened at NOW + (n - 1) hours."""
    events: list[AuditEvent] = []
    for actor, entity_type, entity_id in [
        ("user-1", "application", "app-1"),
        ("user-2", "application", "app-2"),
        ("user-1", "decision", "d-1"),
        ("user-1", "application", "app-1"),
        ("user-3", "routing_policy", "1"),
    ]:
        events.append(
            an_audit_event(
                events[-1] if events else None,
                occurred_at=NOW + len(events) * HOUR,
                actor=actor,
                entity_type=entity_type,
                entity_id=entity_id,
            )
        )
    return events


CHAIN = _chain()
ELSEWHERE = an_audit_event(tenant_id=OTHER_TENANT, occurred_at=NOW + 2 * HOUR, actor="user-1")


@pytest.fixture
def audited(uow: UnitOfWork) -> UnitOfWork:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for event in [*CHAIN[:2], ELSEWHERE, *CHAIN[2:]]:
            uow.audit.append(event)
        uow.commit()
    return uow


def _query(uow: UnitOfWork, query: AuditQuery, tenant_id: str = TENANT) -> Page[AuditEvent]:
    with uow:
        return uow.audit.query(tenant_id, query)


def test_the_audit_query_lists_every_event_newest_first(audited: UnitOfWork) -> None:
    assert _query(audited, AuditQuery()) == Page(tuple(reversed(CHAIN)), total=5)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (AuditQuery(entity_type="application"), [4, 2, 1]),
        (AuditQuery(entity_id="app-1"), [4, 1]),
        (AuditQuery(actor="user-1"), [4, 3, 1]),
        (AuditQuery(actor="user-9"), []),
        (AuditQuery(occurred_from=NOW + HOUR), [5, 4, 3, 2]),
        (AuditQuery(occurred_to=NOW + 3 * HOUR), [3, 2, 1]),
        (AuditQuery(occurred_from=NOW + HOUR, occurred_to=NOW + 3 * HOUR), [3, 2]),
        (AuditQuery(entity_type="decision", entity_id="app-1"), []),
        (AuditQuery(entity_type="application", actor="user-1", occurred_from=NOW + HOUR), [4]),
    ],
)
def test_the_audit_query_matches_every_given_filter(
    audited: UnitOfWork, query: AuditQuery, expected: list[int]
) -> None:
    page = _query(audited, query)

    assert [event.sequence for event in page.items] == expected
    assert page.total == len(expected)


def test_the_audit_query_pages_by_number(audited: UnitOfWork) -> None:
    pages = [_query(audited, AuditQuery(page=n, page_size=2)) for n in (1, 2, 3, 4)]
    filtered = _query(audited, AuditQuery(actor="user-1", page=2, page_size=2))

    assert [[e.sequence for e in page.items] for page in pages] == [[5, 4], [3, 2], [1], []]
    assert {page.total for page in pages} == {5}
    assert ([e.sequence for e in filtered.items], filtered.total) == ([1], 3)


def test_the_audit_query_stays_in_the_tenant(audited: UnitOfWork) -> None:
    assert _query(audited, AuditQuery(), OTHER_TENANT) == Page((ELSEWHERE,), total=1)
    assert _query(audited, AuditQuery(actor="user-1"), "tenant-nobody") == Page((), total=0)


def test_an_idempotency_key_is_kept_once_per_tenant(uow: UnitOfWork) -> None:
    first = an_idempotency_record(key="idem-1", application_id="app-1")
    elsewhere = an_idempotency_record(tenant_id=OTHER_TENANT, key="idem-1", application_id="app-9")
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        with_parents(uow, tenant_id=OTHER_TENANT, application_ids=["app-9"])
        assert uow.idempotency.get(TENANT, "idem-1") is None
        uow.idempotency.add(first)
        uow.commit()
    with uow:
        with pytest.raises(AlreadyExists):
            uow.idempotency.add(
                an_idempotency_record(
                    key="idem-1",
                    form=an_application_form(amount=eur(9_000)),
                    application_id="app-2",
                )
            )
        uow.idempotency.add(elsewhere)
        uow.commit()

    with uow:
        assert uow.idempotency.get(TENANT, "idem-1") == first
        assert uow.idempotency.get(OTHER_TENANT, "idem-1") == elsewhere
        assert uow.idempotency.get(TENANT, "idem-2") is None
