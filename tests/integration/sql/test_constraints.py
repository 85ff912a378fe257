"""The database itself refuses what must never be stored, whoever writes to it.

Rows are written here with plain SQL, past the repositories, so each test shows a constraint
of the schema at work rather than a check in Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve
from sqlalchemy import Engine, Table, delete, insert, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.sql import SqlUnitOfWork
from adapters.sql.records import to_record
from adapters.sql.repositories.applications import to_row as application_row
from adapters.sql.repositories.decisions import to_row as decision_row
from adapters.sql.repositories.queue import to_row as queue_row
from adapters.sql.schema import applications, audit_events, decisions, queue_entries
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.decisions import DecisionStatus
from domain.credit.queue import QueueStatus
from tests.builders import TENANT, a_decision, a_queue_entry, an_application, an_audit_event
from tests.integration.sql.conftest import add_tenant_and_application


def _insert(engine: Engine, table: Table, row: dict[str, Any]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(table).values(**row))


def test_a_second_final_decision_on_an_application_is_refused(engine: Engine) -> None:
    add_tenant_and_application(engine)
    _insert(engine, decisions, decision_row(a_decision(id="d-1")))
    reverted = a_decision(id="d-2", status=DecisionStatus.REVERTED)
    _insert(engine, decisions, decision_row(reverted))  # any number of others is fine

    with pytest.raises(IntegrityError):
        _insert(engine, decisions, decision_row(a_decision(id="d-3")))
    with SqlUnitOfWork(engine) as uow, pytest.raises(AlreadyExists):
        uow.decisions.add(a_decision(id="d-4"))
    with SqlUnitOfWork(engine) as uow, pytest.raises(AlreadyExists):
        uow.decisions.update(evolve(reverted, status=DecisionStatus.FINAL))


def test_a_second_open_queue_entry_of_an_application_is_refused(engine: Engine) -> None:
    add_tenant_and_application(engine)
    done = a_queue_entry(id="e-1", status=QueueStatus.COMPLETED)
    _insert(engine, queue_entries, queue_row(done))
    _insert(engine, queue_entries, queue_row(a_queue_entry(id="e-2")))

    with pytest.raises(IntegrityError):
        _insert(engine, queue_entries, queue_row(a_queue_entry(id="e-3")))
    with SqlUnitOfWork(engine) as uow, pytest.raises(AlreadyExists):
        uow.queue.add(a_queue_entry(id="e-4", status=QueueStatus.ASSIGNED))
    with SqlUnitOfWork(engine) as uow, pytest.raises(AlreadyExists):
        uow.queue.update(evolve(done, status=QueueStatus.PENDING, completed_at=None))


@pytest.mark.parametrize(
    "change",
    [
        {"amount": Decimal("-1")},
        {"amount": Decimal(0)},
        {"status": "approvedish"},
    ],
    ids=["negative-amount", "zero-amount", "unknown-status"],
)
def test_an_application_with_an_impossible_value_is_refused(
    engine: Engine, change: dict[str, Any]
) -> None:
    add_tenant_and_application(engine)
    row = application_row(an_application(id="app-2")) | change
    with pytest.raises(IntegrityError):
        _insert(engine, applications, row)


@pytest.mark.parametrize(
    "change",
    [{"priority": 0}, {"priority": 101}, {"status": "lost"}, {"amount": Decimal("-0.01")}],
    ids=["priority-0", "priority-101", "unknown-status", "negative-amount"],
)
def test_a_queue_entry_with_an_impossible_value_is_refused(
    engine: Engine, change: dict[str, Any]
) -> None:
    add_tenant_and_application(engine)
    with pytest.raises(IntegrityError):
        _insert(engine, queue_entries, queue_row(a_queue_entry()) | change)


def test_a_decision_of_an_unknown_type_or_status_is_refused(engine: Engine) -> None:
    add_tenant_and_application(engine)
    for change in ({"decision_type": "coin_flip"}, {"status": "maybe"}):
        with pytest.raises(IntegrityError):
            _insert(engine, decisions, decision_row(a_decision()) | change)


def test_records_must_belong_to_a_stored_tenant_and_application(engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert(engine, applications, application_row(an_application(tenant_id="nobody")))
    add_tenant_and_application(engine)
    with pytest.raises(IntegrityError):
        _insert(engine, decisions, decision_row(a_decision(application_id="app-404")))
    with SqlUnitOfWork(engine) as uow, pytest.raises(RecordNotFound):
        uow.queue.add(a_queue_entry(application_id="app-404"))


def test_the_audit_table_refuses_update_and_delete(engine: Engine) -> None:
    add_tenant_and_application(engine)
    event = an_audit_event()
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(event)
        uow.commit()

    for statement in (
        update(audit_events).values(actor="someone-else"),
        update(audit_events).values(record=to_record(evolve(event, actor="x"))),
        delete(audit_events),
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(statement)
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.events(TENANT) == [event]


@pytest.mark.parametrize(
    "statement",
    ["TRUNCATE audit_events", "UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"],
)
def test_on_postgresql_neither_truncate_nor_replica_mode_gets_past_the_audit_triggers(
    postgres_engine: Engine, statement: str
) -> None:
    add_tenant_and_application(postgres_engine)
    with SqlUnitOfWork(postgres_engine) as uow:
        uow.audit.append(an_audit_event())
        uow.commit()
    with postgres_engine.connect() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text(statement))
        connection.rollback()
