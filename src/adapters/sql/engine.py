"""Engines: an SQLite file by default, PostgreSQL by DSN.

SQLite is set up for a small server rather than a script: write-ahead logging (readers never
wait for the writer), foreign keys enforced, a busy timeout, and write transactions that begin
with `BEGIN IMMEDIATE`, so two writers queue for the lock instead of one failing halfway
through (see `SqlUnitOfWork`). PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url

DEFAULT_BUSY_TIMEOUT_SECONDS = 10.0
_BEGIN = "creditdesk_sqlite_begin"


def default_database_path(data_home: Path) -> Path:
    """Where the embedded database lives: `<data_home>/creditdesk/creditdesk.db`.

    `data_home` is the user's data directory (XDG_DATA_HOME, else ~/.local/share); the
    settings decide it, adapters read no environment.
    """
    return data_home / "creditdesk" / "creditdesk.db"


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def database_url(target: str | URL | Path) -> URL:
    """A URL for `target`: a path is an SQLite file; `postgresql://` gets the psycopg driver."""
    if isinstance(target, Path):
        return sqlite_url(target)
    url = make_url(target)
    backend = url.get_backend_name()
    if backend == "postgresql" and url.drivername != "postgresql+psycopg":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.drivername != "sqlite+pysqlite":
        return url.set(drivername="sqlite+pysqlite")
    if backend not in ("postgresql", "sqlite"):
        raise ValueError(f"creditdesk stores its data in SQLite or PostgreSQL, not {backend}")
    return url


def create_engine_for(
    target: str | URL | Path,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
    echo: bool = False,
    **options: Any,
) -> Engine:
    """An engine for an SQLite file (a path or `sqlite:///...`) or a PostgreSQL DSN."""
    url = database_url(target)
    if url.get_backend_name() == "postgresql":
        return create_engine(url, echo=echo, pool_pre_ping=True, **options)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout}, **options)
    _configure_sqlite(engine, busy_timeout)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not open transactions on its own: SqlUnitOfWork says how to begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.info.get(_BEGIN, "BEGIN"))


def begin_writes_immediately(connection_info: dict[Any, Any], immediate: bool) -> None:
    """Whether the next transaction an SQLite connection begins takes the write lock at once."""
    connection_info[_BEGIN] = "BEGIN IMMEDIATE" if immediate else "BEGIN"
