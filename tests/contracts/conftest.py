"""The implementations every repository contract runs against.

An adapter joins by adding one entry to `DATABASES`: a factory that, given the pytest request,
returns a maker of units of work over one fresh, empty database. The SQL entries use the
session's services from tests/conftest.py: a migrated SQLite file, and a database on the
PostgreSQL server the session started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, event

from adapters.sql import SqlUnitOfWork, create_engine_for
from application.credit.ports import UnitOfWork
from tests.fakes import InMemoryDatabase, InMemoryUnitOfWork

UowMaker = Callable[[], UnitOfWork]


def _memory(_request: pytest.FixtureRequest) -> UowMaker:
    database = InMemoryDatabase()
    return lambda: InMemoryUnitOfWork(database)


def _without_foreign_keys(engine: Engine) -> None:
    """The contracts store records without their parents (a decision on an application that
    was never added): they test each repository alone. Referential integrity is the schema's
    business, tested in tests/integration/sql; here the database does not check it."""

    @event.listens_for(engine, "connect")
    def _off(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA foreign_keys=OFF")
        else:  # skips foreign-key triggers only: the audit triggers fire ALWAYS
            cursor.execute("SET session_replication_role = replica")
            dbapi_connection.commit()
        cursor.close()


def _sql(request: pytest.FixtureRequest, database_fixture: str) -> UowMaker:
    engine = create_engine_for(request.getfixturevalue(database_fixture))
    _without_foreign_keys(engine)
    request.addfinalizer(engine.dispose)
    return lambda: SqlUnitOfWork(engine)


def _sqlite(request: pytest.FixtureRequest) -> UowMaker:
    return _sql(request, "sqlite_database")


def _postgresql(request: pytest.FixtureRequest) -> UowMaker:
    return _sql(request, "postgres_database")


DATABASES: dict[str, Callable[[pytest.FixtureRequest], UowMaker]] = {
    "memory": _memory,
    "sqlite": _sqlite,
    "postgresql": _postgresql,
}


@pytest.fixture(params=sorted(DATABASES))
def new_uow(request: pytest.FixtureRequest) -> UowMaker:
    """Makes units of work over one fresh, empty database."""
    return DATABASES[request.param](request)


@pytest.fixture
def uow(new_uow: Callable[[], UnitOfWork]) -> UnitOfWork:
    return new_uow()
