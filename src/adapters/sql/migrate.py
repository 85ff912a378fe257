"""Alembic, driven from code: bring a database to a revision, back, or say where it is.

The migration scripts ship inside this package, so this works from an installed wheel as well
as from a checkout; the CLI calls these three functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Connection, Engine

from adapters.sql.engine import create_engine_for

MIGRATIONS = Path(str(files("adapters.sql") / "migrations"))

Target = Engine | str | URL | Path


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our scripts, running on `connection` when given."""
    alembic_config = Config()
    alembic_config.set_main_option("script_location", str(MIGRATIONS))
    alembic_config.attributes["connection"] = connection
    return alembic_config


@contextmanager
def _engine(target: Target) -> Iterator[Engine]:
    if isinstance(target, Engine):
        yield target
        return
    engine = create_engine_for(target)
    try:
        yield engine
    finally:
        engine.dispose()


def upgrade(target: Target, revision: str = "head") -> None:
    """Apply every migration up to `revision`, in one transaction."""
    with _engine(target) as engine, engine.begin() as connection:
        command.upgrade(config(connection), revision)


def downgrade(target: Target, revision: str = "base") -> None:
    """Undo migrations down to `revision` ("base" empties the database of our tables)."""
    with _engine(target) as engine, engine.begin() as connection:
        command.downgrade(config(connection), revision)


def current(target: Target) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with _engine(target) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
