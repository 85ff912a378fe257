"""Databases for the SQL adapter's own tests: migrated or empty, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine

from adapters.sql import SqlUnitOfWork, create_engine_for
from tests.builders import TENANT, a_tenant, an_application

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | URL:
    """A database without any table, on each engine."""
    if request.param == "sqlite":
        return tmp_path / "empty.db"
    url: URL = request.getfixturevalue("empty_postgres_database")
    return url


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a fresh database at the newest migration, on each engine."""
    fixture = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    engine = create_engine_for(request.getfixturevalue(fixture))
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def postgres_engine(postgres_database: URL) -> Iterator[Engine]:
    engine = create_engine_for(postgres_database)
    try:
        yield engine
    finally:
        engine.dispose()


def add_tenant_and_application(engine: Engine, application_id: str = "app-1") -> None:
    """The parent rows other records refer to: the tenant, and one application of it."""
    with SqlUnitOfWork(engine) as uow:
        if uow.tenants.get(TENANT) is None:
            uow.tenants.add(a_tenant(id=TENANT, slug="tenant-a"))
        uow.applications.add(an_application(id=application_id))
        uow.commit()
