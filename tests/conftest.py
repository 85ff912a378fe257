"""Services the test session starts for itself: a PostgreSQL server, and migrated databases;
an S3 API server (moto's, on loopback: tests/services/s3.py), with a fresh bucket per test.

PostgreSQL comes from the system's binaries (Debian's `postgresql` package, which `make test`
installs when it is missing): a throwaway cluster in a temporary directory, listening on a free
loopback port, with durability switched off because nothing in it has to survive the session.
It starts on first use, so tests that need no database never pay for it, and it is stopped and
deleted when the session ends.

Each test gets a fresh database: the schema is migrated once into a template, and a test's
database is a copy of it (CREATE DATABASE ... TEMPLATE on PostgreSQL, a file copy for SQLite),
which is much faster than migrating again.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import URL, Engine, create_engine, text

from adapters.sql import upgrade
from tests.services.openai_server import OpenAiServer, running_openai_server
from tests.services.postgres import PostgresServer, PostgresUnavailable, running_postgres
from tests.services.s3 import S3Server, S3Unavailable, running_s3

TEMPLATE = "creditdesk_template"

# Hypothesis's per-example deadline is a timing assertion, and these machines are shared: an
# example that touches PostgreSQL can take 300 ms under load without anything being wrong.
# Speed goals live in benchmarks/; here an example may take as long as it takes.
settings.register_profile("creditdesk", deadline=None)
settings.load_profile("creditdesk")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this session only, on a free loopback port."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as unavailable:
        pytest.fail(str(unavailable), pytrace=False)


@pytest.fixture(scope="session")
def postgres_admin(postgres_server: PostgresServer) -> Iterator[Engine]:
    """An autocommit engine on the maintenance database, for CREATE and DROP DATABASE."""
    engine = create_engine(postgres_server.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


_database_numbers = itertools.count(1)


def create_postgres_database(admin: Engine, template: str = "template0") -> str:
    name = f"creditdesk_test_{next(_database_numbers)}"
    with admin.connect() as connection:
        connection.execute(
            text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        )
    return name


def drop_postgres_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer, postgres_admin: Engine) -> str:
    """A database migrated to head, copied by every test that needs one."""
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    upgrade(postgres_server.url(TEMPLATE))
    return TEMPLATE


@pytest.fixture
def postgres_database(
    postgres_server: PostgresServer, postgres_admin: Engine, postgres_template: str
) -> Iterator[URL]:
    """A fresh PostgreSQL database at the newest migration, dropped after the test."""
    name = create_postgres_database(postgres_admin, postgres_template)
    try:
        yield postgres_server.url(name)
    finally:
        drop_postgres_database(postgres_admin, name)


@pytest.fixture
def empty_postgres_database(
    postgres_server: PostgresServer, postgres_admin: Engine
) -> Iterator[URL]:
    """A fresh PostgreSQL database without any table."""
    name = create_postgres_database(postgres_admin)
    try:
        yield postgres_server.url(name)
    finally:
        drop_postgres_database(postgres_admin, name)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """An S3 API server for this session only, on a free loopback port; started on first use."""
    try:
        with running_s3() as server:
            yield server
    except S3Unavailable as unavailable:
        pytest.fail(str(unavailable), pytrace=False)


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A fresh, empty bucket on the session's S3 server."""
    return s3_server.new_bucket()


@pytest.fixture(scope="session")
def openai_server() -> Iterator[OpenAiServer]:
    """A scriptable OpenAI-compatible chat server on loopback (tests/services/openai_server.py),
    started on first use; `_fresh_openai_server` resets it after every test that used it."""
    with running_openai_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_openai_server(request: pytest.FixtureRequest) -> Iterator[None]:
    """No script, record or responder outlives the test that set it."""
    yield
    if "openai_server" in request.fixturenames:
        request.getfixturevalue("openai_server").reset()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "creditdesk.db"
    upgrade(path)
    return path


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Path:
    """A fresh SQLite file at the newest migration."""
    path = tmp_path / "creditdesk.db"
    shutil.copyfile(sqlite_template, path)
    return path
