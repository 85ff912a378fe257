"""Real concurrent transactions: two threads, two connections, one row or one chain head.

Each race is staged so that both sides are inside their transactions at once: the first to
get there holds on a moment before committing, while the other is already waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from adapters.sql import SqlUnitOfWork
from domain.audit import AuditEvent, ChainMismatch, record_event
from domain.audit_verification import verify_chain
from domain.credit.queue import CaseNotAvailable, QueueEntry, QueuePolicy, QueueStatus, assign
from domain.identity import Role
from tests.builders import NOW, TENANT, a_principal, a_queue_entry, an_audit_event
from tests.integration.sql.conftest import add_tenant_and_application

HOLD = 0.3  # how long the first transaction keeps its lock before committing


def _race(work: Callable[[str], str]) -> list[str]:
    """Run `work` for two analysts at once; their outcomes, in the analysts' order."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(work, analyst) for analyst in ("user-ana", "user-bo")]
        return [future.result(timeout=60) for future in futures]


def _take_case(engine: Engine, start: threading.Barrier, analyst: str) -> str:
    """What an analyst's "assign to me" does: lock the entry, let the domain decide, commit."""
    me = a_principal(Role.ANALYST, user_id=analyst)
    with SqlUnitOfWork(engine) as uow:
        start.wait(timeout=30)
        entry = uow.queue.lock(TENANT, "entry-1")
        assert entry is not None
        try:
            taken = assign(
                entry,
                assignee=me,
                assignee_active_cases=uow.queue.active_count(TENANT, analyst),
                actor=me,
                now=NOW,
                policy=QueuePolicy(),
            )
        except CaseNotAvailable:
            return f"refused: {entry.status} to {entry.analyst_id}"
        uow.queue.update(taken)
        time.sleep(HOLD)  # the other analyst is waiting on the lock meanwhile
        uow.commit()
        return "assigned"


def test_two_analysts_taking_one_case_exactly_one_gets_it(engine: Engine) -> None:
    add_tenant_and_application(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.queue.add(a_queue_entry(id="entry-1"))
        uow.commit()
    start = threading.Barrier(2)

    outcomes = _race(lambda analyst: _take_case(engine, start, analyst))

    with SqlUnitOfWork(engine) as uow:
        stored = uow.queue.get(TENANT, "entry-1")
    assert isinstance(stored, QueueEntry)
    assert stored.status is QueueStatus.ASSIGNED
    winner = "user-ana" if outcomes[0] == "assigned" else "user-bo"
    assert sorted(outcomes) == ["assigned", f"refused: assigned to {winner}"]
    assert stored.analyst_id == winner


def _next_event(head: AuditEvent | None, actor: str) -> AuditEvent:
    return record_event(
        head,
        tenant_id=TENANT,
        occurred_at=NOW + timedelta(minutes=1),
        actor=actor,
        action="queue.assigned",
        entity_type="queue_entry",
        entity_id="entry-1",
        old=None,
        new={"analyst_id": actor},
    )


def _append_holding(engine: Engine, start: threading.Barrier, actor: str) -> str:
    """Read the head, hold the transaction a while, append: what every use case does."""
    start.wait(timeout=30)
    with SqlUnitOfWork(engine) as uow:
        head = uow.audit.head(TENANT, for_append=True)
        time.sleep(HOLD)
        try:
            uow.audit.append(_next_event(head, actor))
        except ChainMismatch:
            return "refused"
        uow.commit()
        return "appended"


def test_two_writers_of_one_tenant_take_turns_instead_of_failing(engine: Engine) -> None:
    add_tenant_and_application(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(an_audit_event())
        uow.commit()
    start = threading.Barrier(2)

    outcomes = _race(lambda actor: _append_holding(engine, start, actor))

    assert outcomes == ["appended", "appended"]  # the second read the head after the first
    with SqlUnitOfWork(engine) as uow:
        events: list[AuditEvent] = uow.audit.events(TENANT)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert {e.actor for e in events[1:]} == {"user-ana", "user-bo"}
    assert verify_chain(events).ok


def test_an_event_built_on_a_stale_head_is_refused(engine: Engine) -> None:
    add_tenant_and_application(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(an_audit_event())
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        stale = uow.audit.head(TENANT)
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(_next_event(uow.audit.head(TENANT, for_append=True), "user-bo"))
        uow.commit()

    with SqlUnitOfWork(engine) as uow, pytest.raises(ChainMismatch):
        uow.audit.append(_next_event(stale, "user-ana"))

    with SqlUnitOfWork(engine) as uow:
        assert [e.actor for e in uow.audit.events(TENANT)][1:] == ["user-bo"]


@pytest.mark.parametrize("rounds", [5])
def test_concurrent_writers_on_one_chain_never_fork_it(engine: Engine, rounds: int) -> None:
    """Writers that retry on ChainMismatch all get their event in, one after another."""
    add_tenant_and_application(engine)

    def append_with_retries(actor: str) -> str:
        for _round in range(rounds):
            while True:
                with SqlUnitOfWork(engine) as uow:
                    head = uow.audit.head(TENANT)
                    event = an_audit_event(head, actor=actor) if head else an_audit_event()
                    try:
                        uow.audit.append(event)
                    except ChainMismatch:
                        continue
                    uow.commit()
                    break
        return actor

    assert sorted(_race(append_with_retries)) == ["user-ana", "user-bo"]
    with SqlUnitOfWork(engine) as uow:
        events = uow.audit.events(TENANT)
    assert len(events) == 2 * rounds
    assert verify_chain(events).ok
