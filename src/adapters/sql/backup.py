"""A whole-database backup in one file, and the way back from it.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database into a new
file in one step, inside one read transaction: in WAL mode that sees one consistent state while
the server goes on writing, and it never has to start over (a copy made in several steps is
restarted whenever another connection writes, so a busy server could keep it from finishing).
Restoring uses the same API in the other direction, so readers see either the old database or
the restored one.

PostgreSQL: `pg_dump --format=custom` (compressed, and restorable selectively) and
`pg_restore --clean --if-exists --single-transaction` (objects in the dump are dropped and
recreated, and a restore that fails midway changes nothing). See `pg_tools` for how the
programs are found and given the password.

A backup is written to a temporary file beside the destination and renamed into place when it
is complete, so a failed or interrupted backup never leaves a file that looks like a backup.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import URL, inspect, select, table

from adapters.sql.engine import create_engine_for, database_url
from adapters.sql.pg_tools import BackupFailed, conninfo, find_tool, run_tool

__all__ = ["BackupFailed", "backup", "backup_kind", "holds_data", "restore"]

#: Called when pages have been copied (SQLite only): pages copied so far, pages in all.
Progress = Callable[[int, int], None]

_MAGIC = {b"SQLite format 3\x00": "sqlite", b"PGDMP": "postgresql"}
_ALL_PAGES_AT_ONCE = -1
_BUSY_TIMEOUT_SECONDS = 30.0
_MIGRATIONS_TABLE = "alembic_version"


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def backup_kind(path: Path) -> str | None:
    """ "sqlite" or "postgresql" for a file this module wrote, None for anything else."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupFailed(f"cannot read {path}: {error.strerror}") from None
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


@contextmanager
def _written_then_renamed(destination: Path) -> Iterator[Path]:
    """A temporary path beside `destination`, renamed to it only if the block succeeds."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
    )
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _copy_sqlite(
    source: Path, target: Path, progress: Progress | None, *, journal_off: bool
) -> None:
    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with (
            closing(sqlite3.connect(source, timeout=_BUSY_TIMEOUT_SECONDS)) as reading,
            closing(sqlite3.connect(target, timeout=_BUSY_TIMEOUT_SECONDS)) as writing,
        ):
            reading.backup(writing, pages=_ALL_PAGES_AT_ONCE, progress=report)
            if journal_off:  # a backup is one self-contained file: no -wal file beside it
                writing.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite could not copy {source} to {target}: {error}") from None


def backup(database: str | URL | Path, destination: Path, progress: Progress | None = None) -> None:
    """Write a backup of `database` (an SQLite file or a PostgreSQL DSN) to `destination`."""
    url = database_url(database)
    with _written_then_renamed(destination) as partial:
        if _is_sqlite(url):
            source = _sqlite_path(url)
            if not source.is_file():
                raise BackupFailed(f"there is no database at {source}")
            _copy_sqlite(source, partial, progress, journal_off=True)
        else:
            dump = find_tool("pg_dump")
            run_tool(
                [str(dump), "--format=custom", "--no-password", f"--file={partial}",
                 f"--dbname={conninfo(url)}"],
                url,
            )  # fmt: skip


def _check_sqlite_backup(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as reading:
            verdict = reading.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in reading.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise BackupFailed(f"{path} is not a readable SQLite database: {error}") from None
    if verdict != "ok":
        raise BackupFailed(f"{path} is damaged: {verdict}")
    if _MIGRATIONS_TABLE not in tables:
        raise BackupFailed(f"{path} is an SQLite database, but not a creditdesk one")


def restore(source: Path, database: str | URL | Path, progress: Progress | None = None) -> None:
    """Replace the contents of `database` with the backup in `source`."""
    url = database_url(database)
    kind, wanted = backup_kind(source), "sqlite" if _is_sqlite(url) else "postgresql"
    if kind != wanted:
        found = "not a creditdesk backup" if kind is None else f"a {kind} backup"
        raise BackupFailed(f"{source} is {found}; the database is {wanted}")
    if _is_sqlite(url):
        _check_sqlite_backup(source)
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source, target, progress, journal_off=False)
        return
    run_tool(
        [str(find_tool("pg_restore")), "--clean", "--if-exists", "--single-transaction",
         "--no-owner", "--no-password", f"--dbname={conninfo(url)}", str(source)],
        url,
    )  # fmt: skip


def holds_data(database: str | URL | Path) -> bool:
    """Whether any table of `database` has a row (the migrations' own bookkeeping aside)."""
    engine = create_engine_for(database)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return any(
                connection.execute(select(1).select_from(table(name)).limit(1)).first()
                for name in names
                if name != _MIGRATIONS_TABLE
            )
    finally:
        engine.dispose()
