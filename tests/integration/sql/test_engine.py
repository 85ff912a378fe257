"""Engines and column types: the SQLite defaults, URLs, and instants that survive storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.exc import StatementError

from adapters.sql import SqlUnitOfWork, create_engine_for, database_url, default_database_path
from adapters.sql.schema import applications
from application.credit.queries import ApplicationQuery, ApplicationSort, SortOrder
from tests.builders import NOW, TENANT, an_application
from tests.integration.sql.conftest import add_tenant_and_application


def test_the_default_database_lives_under_the_data_home_given(tmp_path: Path) -> None:
    path = default_database_path(tmp_path / "share")
    assert path == tmp_path / "share" / "creditdesk" / "creditdesk.db"
    engine = create_engine_for(path)  # creates the directory on the way
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert path.exists()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@db.example/creditdesk", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db.example/creditdesk", "postgresql+psycopg"),
        ("sqlite:////var/lib/creditdesk.db", "sqlite+pysqlite"),
    ],
)
def test_urls_get_the_drivers_creditdesk_ships_with(given: str, driver: str) -> None:
    assert database_url(given).drivername == driver
    assert database_url(given).database == make_url(given).database


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        database_url("mysql://u@db.example/creditdesk")


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(
    sqlite_database: Path,
) -> None:
    engine = create_engine_for(sqlite_database, busy_timeout=2.5)
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 2500}
    finally:
        engine.dispose()


def test_instants_keep_their_moment_whatever_their_offset(engine: Engine) -> None:
    """Stored in UTC: an application submitted at 10:00+02:00 sorts before one at 09:30Z."""
    add_tenant_and_application(engine, "app-utc")  # submitted at NOW, 09:30 UTC
    belgrade = timezone(timedelta(hours=2))
    earlier = an_application(
        id="app-cet", submitted_at=datetime(2026, 11, 22, 10, 0, tzinfo=belgrade)
    )
    with SqlUnitOfWork(engine) as uow:
        uow.applications.add(earlier)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        page = uow.applications.search(
            TENANT, ApplicationQuery(sort=ApplicationSort.CREATED_AT, order=SortOrder.ASC)
        )
        assert [listed.application.id for listed in page.items] == ["app-cet", "app-utc"]
        assert uow.applications.get(TENANT, "app-cet") == earlier
        stored = uow.applications.get(TENANT, "app-cet")
        assert stored is not None
        assert stored.submitted_at.utcoffset() == timedelta(hours=2)  # the record keeps it
    with engine.connect() as connection:
        column = connection.execute(
            select(applications.c.submitted_at).where(applications.c.id == "app-cet")
        ).scalar_one()
    assert column == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert column.tzinfo is not None


def test_a_naive_instant_is_refused(engine: Engine) -> None:
    add_tenant_and_application(engine)
    with engine.connect() as connection, pytest.raises(StatementError, match="timezone-aware"):
        connection.execute(
            select(applications.c.id).where(applications.c.submitted_at < NOW.replace(tzinfo=None))
        )
