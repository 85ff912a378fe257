"""Contract of the audit chain's head as a writer reads it: the sequence and hash of the newest
event (`AuditLog.anchor`), from which the next event is linked without reading the event."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from application.credit.ports import UnitOfWork
from domain.audit import ChainAnchor, ChainMismatch, unchained_event
from domain.audit_drafts import EventDraft, chain_event, link_event
from domain.audit_verification import verify_chain
from tests.builders import NOW, OTHER_TENANT, TENANT, an_audit_event
from tests.contracts.parents import with_tenants


def _draft(actor: str, tenant_id: str = TENANT) -> EventDraft:
    return EventDraft.of(
        unchained_event(
            tenant_id=tenant_id,
            occurred_at=NOW,
            actor=actor,
            action="application.submitted",
            entity_type="application",
            entity_id="app-1",
            old=None,
            new={"status": "pending", "amount": 1000},
        )
    )


def test_the_anchor_is_the_sequence_and_hash_of_each_tenants_newest_event(
    uow: UnitOfWork,
) -> None:
    first = an_audit_event()
    second = an_audit_event(first, action="application.scoring")
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        assert uow.audit.anchor(TENANT) == ChainAnchor.empty(TENANT)
        uow.audit.append(first)
        uow.audit.append(second)
        uow.commit()

    with uow:
        assert uow.audit.anchor(TENANT) == ChainAnchor(TENANT, 2, second.hash)
        assert uow.audit.anchor(TENANT, for_append=True) == ChainAnchor.at(second)
        assert uow.audit.anchor(OTHER_TENANT) == ChainAnchor.empty(OTHER_TENANT)


def test_events_linked_from_the_anchor_are_those_chained_from_the_head(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        for actor in ("user-ana", "user-bo", "user-cy"):
            draft = _draft(actor)
            expected = chain_event(uow.audit.head(TENANT), draft)
            event = link_event(uow.audit.anchor(TENANT, for_append=True), draft)
            assert event == expected
            uow.audit.append(event)
        uow.commit()

    with uow:
        events = uow.audit.events(TENANT)
    assert [e.actor for e in events] == ["user-ana", "user-bo", "user-cy"]
    assert verify_chain(events).ok


def test_an_anchor_of_another_tenant_links_nothing(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        anchor = uow.audit.anchor(OTHER_TENANT, for_append=True)
        with pytest.raises(ChainMismatch):
            link_event(anchor, _draft("user-ana"))


def test_a_head_read_before_a_commit_does_not_vouch_for_an_append_after_it(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    writer, other = new_uow(), new_uow()
    with writer:
        with_tenants(writer, TENANT)
        writer.commit()
    with writer:
        stale = writer.audit.anchor(TENANT, for_append=True)
        writer.commit()  # the chain is no longer held: another writer may append
        with other:
            other.audit.append(
                link_event(other.audit.anchor(TENANT, for_append=True), _draft("bo"))
            )
            other.commit()
        with pytest.raises(ChainMismatch):
            writer.audit.append(link_event(stale, _draft("ana")))
        writer.rollback()

    with writer:
        assert [e.actor for e in writer.audit.events(TENANT)] == ["bo"]
