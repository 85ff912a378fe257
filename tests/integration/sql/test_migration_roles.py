"""A database that holds people before the qa_engineer role existed upgrades to a schema that
accepts it, on both engines, without losing a row or a reference to one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import URL, Engine
from sqlalchemy.exc import IntegrityError

from adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from domain.identity import Role
from tests.builders import a_tenant, a_user
from tests.notification_builders import an_inbox_message

BEFORE_TESTGEN = "0014"
QA = Role.QA_ENGINEER


def _add_qa_engineer(engine: Engine, user_id: str) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.users.add(a_user(id=user_id, tenant_id="t1", email=f"{user_id}@example.com", role=QA))
        uow.commit()


def test_people_stored_before_the_qa_role_keep_their_rows_and_a_qa_engineer_fits(
    empty_database: Path | URL,
) -> None:
    upgrade(empty_database, BEFORE_TESTGEN)
    engine = create_engine_for(empty_database)
    try:
        with SqlUnitOfWork(engine) as uow:
            uow.tenants.add(a_tenant(id="t1", slug="t1"))
            uow.users.add(a_user(id="u1", tenant_id="t1", email="ana@example.com"))
            uow.inbox.add(an_inbox_message("m1", tenant_id="t1", user_id="u1"))
            uow.commit()
        with pytest.raises(IntegrityError):
            _add_qa_engineer(engine, "q0")
        engine.dispose()
        upgrade(empty_database)
        _add_qa_engineer(engine, "q1")
        with SqlUnitOfWork(engine) as uow:
            assert uow.users.get("t1", "u1") is not None
            found = uow.users.get("t1", "q1")
            assert found is not None
            assert found.role is QA
            assert uow.inbox.get("t1", "m1") is not None
    finally:
        engine.dispose()
