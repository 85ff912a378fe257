"""Many rows in one call: the bulk writes of the repositories (`add_many`, `update_many`).

Each is one statement run for every row (executemany): psycopg sends the rows in pipeline mode,
one short statement it parses once and the rows' values one after another without waiting for
each answer; SQLite runs its prepared statement per row in process. (Not a multi-row `VALUES`
list: psycopg splits such a statement of tens of thousands of placeholders anew each time, at
a cost beyond the insert's. Nor arrays of the columns through `unnest`: psycopg escapes every
JSON text of a text-format array in Python, slower still.) So they carry no `RETURNING`, and
what the database refused is told by how many rows it wrote.

Each write is all or none, in a savepoint, so a refused batch leaves nothing behind and the
transaction usable, as after a refused single-row write (see `Transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, and_, bindparam, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from adapters.sql.errors import translated
from application.ports import AlreadyExists, RecordNotFound

if TYPE_CHECKING:  # the transaction offers these writes as its own methods
    from adapters.sql.transaction import Transaction

Row = Mapping[str, Any]


class _Refused(Exception):
    """Some rows were not written: the savepoint is rolled back, then the caller says which."""


def insert_new(
    db: Transaction,
    table: Table,
    rows: Sequence[Row],
    what: Callable[[Row], str],
    *,
    key: tuple[str, ...] = (),
) -> None:
    """Insert every row or none: `AlreadyExists` naming the first row refused because its
    `key` (the primary key by default) is taken, by a stored row or an earlier one of `rows`,
    or else the first row, when another unique key was taken; a missing parent row is
    `RecordNotFound`. `ON CONFLICT DO NOTHING` keeps the transaction usable on PostgreSQL."""
    if not rows:
        return
    dialect_insert = postgresql.insert if db.is_postgresql else sqlite.insert
    statement = (
        dialect_insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    )
    connection = db.write()
    try:
        with connection.begin_nested():
            if connection.execute(statement, list(rows)).rowcount != len(rows):
                raise _Refused()
    except _Refused:
        names = key or tuple(column.name for column in table.primary_key.columns)
        refused = _first_taken(db, table, rows, names)
        named = what(refused) if refused is not None else f"{what(rows[0])} (or another)"
        raise AlreadyExists(f"{named} already exists") from None
    except IntegrityError as error:
        raise translated(error, f"{what(rows[0])} (or another of {len(rows)})") from error


def insert_all(db: Transaction, table: Table, rows: Sequence[Row], what: str) -> None:
    """Insert rows that have no unique key of their own (their key is generated, in the order
    of `rows`), all or none; a missing parent row is `RecordNotFound`."""
    if not rows:
        return
    connection = db.write()
    try:
        with connection.begin_nested():
            connection.execute(insert(table), list(rows))
    except IntegrityError as error:
        raise translated(error, what) from error


def update_existing(
    db: Transaction, table: Table, rows: Sequence[Row], key: tuple[str, ...], what: str
) -> None:
    """Update, for each row in order, the stored row whose `key` columns hold its values,
    setting its other columns (of two rows with one key, the later wins).

    All or none: `RecordNotFound` unless every row found its stored row, `AlreadyExists` if
    new values take a unique key another row holds. `what` names the rows in the plural
    ("applications").
    """
    if not rows:
        return
    statement = (
        update(table)
        .where(and_(*(table.c[name] == bindparam(f"{name}_") for name in key)))
        .values({name: bindparam(f"{name}_") for name in rows[0] if name not in key})
    )
    parameters = [{f"{name}_": value for name, value in row.items()} for row in rows]
    connection = db.write()
    try:
        with connection.begin_nested():
            found = connection.execute(statement, parameters).rowcount
            if found != len(rows):
                missing = len(rows) - found
                raise RecordNotFound(f"{missing} of the {len(rows)} {what} do not exist")
    except IntegrityError as error:
        raise translated(error, f"one of the {len(rows)} {what}") from error


def _first_taken(
    db: Transaction, table: Table, rows: Sequence[Row], key: tuple[str, ...]
) -> Row | None:
    """The first of `rows` whose key an earlier row or a stored row holds, or None."""
    keys = [tuple(row[name] for name in key) for row in rows]
    columns = [table.c[name] for name in key]
    stored = {
        tuple(found) for found in db.execute(select(*columns).where(tuple_(*columns).in_(keys)))
    }
    seen: set[tuple[Any, ...]] = set()
    for row, values in zip(rows, keys, strict=True):
        if values in stored or values in seen:
            return row
        seen.add(values)
    return None
