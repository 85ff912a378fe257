"""The implementations every repository contract runs against.

An adapter joins by adding one entry to `DATABASES`: a factory that, given the pytest request,
returns a maker of units of work over one fresh, empty database. The SQL entries use the
session's services from tests/conftest.py: a migrated SQLite file, and a database on the
PostgreSQL server the session started, each with every constraint of the schema on (foreign
keys included), so a contract stores the parents of its records (tests/contracts/parents.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.sql import SqlUnitOfWork, create_engine_for
from application.credit.ports import UnitOfWork
from tests.fakes import InMemoryDatabase, InMemoryUnitOfWork

UowMaker = Callable[[], UnitOfWork]


def _memory(_request: pytest.FixtureRequest) -> UowMaker:
    database = InMemoryDatabase()
    return lambda: InMemoryUnitOfWork(database)


def _sql(request: pytest.FixtureRequest, database_fixture: str) -> UowMaker:
    engine = create_engine_for(request.getfixturevalue(database_fixture))
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
