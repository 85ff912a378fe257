"""One unit of work's connection, as its repositories use it.

Reads and writes go through the same connection, so a transaction reads its own writes. On
SQLite a transaction begins as a reader (`BEGIN`, a consistent snapshot that blocks nobody) and
becomes a writer at its first write: the read snapshot is closed and `BEGIN IMMEDIATE` takes the
write lock at once, waiting for another writer if need be. Taking the lock up front is what
lets concurrent writers queue instead of failing: a reader that turns writer midway fails with
SQLITE_BUSY when another writer committed in between.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, CursorResult, Executable, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from adapters.sql import bulk
from adapters.sql.engine import begin_writes_immediately
from adapters.sql.errors import translated
from application.ports import AlreadyExists, RecordNotFound


class Transaction:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self._writing = False
        if self.is_sqlite:
            begin_writes_immediately(connection.info, immediate=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def read(self) -> Connection:
        return self.connection

    def write(self) -> Connection:
        """The connection, holding the database's write lock on SQLite."""
        if self.is_sqlite and not self._writing:
            if self.connection.in_transaction():
                self.connection.commit()  # a read-only snapshot: nothing to lose
            begin_writes_immediately(self.connection.info, immediate=True)
            self.connection.begin()
            begin_writes_immediately(self.connection.info, immediate=False)
        self._writing = True
        return self.connection

    def commit(self) -> None:
        self.connection.commit()
        self._writing = False

    def rollback(self) -> None:
        self.connection.rollback()
        self._writing = False

    def execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> CursorResult[Any]:
        """Run `statement`; `parameters` fill its bind parameters (a statement built once)."""
        return self.read().execute(statement, parameters)

    def insert_new(self, table: Table, values: Mapping[str, Any], what: str) -> None:
        """Insert one row; `AlreadyExists` if a unique key of the table is taken.

        `ON CONFLICT DO NOTHING` rather than catching the error: on PostgreSQL a failed
        statement would abort the whole transaction, and the caller may well go on. A missing
        parent row (tenant, application) is `RecordNotFound`, and does end the transaction
        on PostgreSQL: that is a caller's bug, not a race to recover from.
        """
        statement = _insert_new_statement(table, self.is_postgresql)
        if self._run(statement, what, values).first() is None:
            raise AlreadyExists(f"{what} already exists")

    def insert_many_new(
        self,
        table: Table,
        rows: Sequence[Mapping[str, Any]],
        what: Callable[[Mapping[str, Any]], str],
        *,
        key: tuple[str, ...] = (),
    ) -> None:
        """Insert every row or none, in one statement: `bulk.insert_new`."""
        bulk.insert_new(self, table, rows, what, key=key)

    def insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]], what: str) -> None:
        """Insert rows that have no unique key of their own, all or none: `bulk.insert_all`."""
        bulk.insert_all(self, table, rows, what)

    def update_many_existing(
        self, table: Table, rows: Sequence[Mapping[str, Any]], key: tuple[str, ...], what: str
    ) -> None:
        """Update the stored row of each of `rows` by its `key`, all or none:
        `bulk.update_existing`."""
        bulk.update_existing(self, table, rows, key, what)

    def upsert(self, table: Table, values: Mapping[str, Any], key: tuple[str, ...]) -> None:
        """Insert the row, or update the one with the same `key` columns to these values."""
        changes = tuple(name for name in values if name not in key)
        statement = _upsert_statement(table, self.is_postgresql, key, changes)
        self._run(statement, table.name, values)

    def insert(self, table: Table, values: Mapping[str, Any], what: str) -> Any:
        """Insert one row that has no unique key of its own; its generated primary key."""
        inserted = self._run(_insert_statement(table), what, values).inserted_primary_key
        if inserted is None:
            raise RuntimeError(f"the database gave no key for {what}")
        return inserted[0]

    def update_existing(self, statement: Executable, what: str) -> None:
        """Run an UPDATE of one row; `RecordNotFound` if it matched none, `AlreadyExists` if
        the new values take a unique key another row holds.

        On PostgreSQL the UPDATE runs in a savepoint, so a refused one leaves the transaction
        usable (the caller may catch the conflict and go on).
        """
        if self._run(statement, what, savepoint=self.is_postgresql).rowcount == 0:
            raise RecordNotFound(f"{what} does not exist")

    def _run(
        self,
        statement: Executable,
        what: str,
        values: Mapping[str, Any] | None = None,
        *,
        savepoint: bool = False,
    ) -> CursorResult[Any]:
        connection = self.write()
        try:
            if savepoint:
                with connection.begin_nested():
                    return connection.execute(statement, values)
            return connection.execute(statement, values)
        except IntegrityError as error:
            raise translated(error, what) from error


# The single-row writes' statements, built once per table and run with each row as parameters:
# building a statement anew for every row (and its cache key with it) cost more than the
# insert itself, and a statement run with parameters finds its compiled form in the engine's
# cache.


@functools.cache
def _insert_new_statement(table: Table, on_postgresql: bool) -> Executable:
    dialect_insert = postgresql.insert if on_postgresql else sqlite.insert
    return dialect_insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)


@functools.cache
def _insert_statement(table: Table) -> Executable:
    return insert(table)


@functools.cache
def _upsert_statement(
    table: Table, on_postgresql: bool, key: tuple[str, ...], changes: tuple[str, ...]
) -> Executable:
    dialect_insert = postgresql.insert if on_postgresql else sqlite.insert
    statement = dialect_insert(table)
    return statement.on_conflict_do_update(
        index_elements=key, set_={name: statement.excluded[name] for name in changes}
    )
