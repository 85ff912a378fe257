"""The backup adapter's own rules: how pg_dump and pg_restore are found and reach a database
without showing its password, and an SQLite backup taken while a writer is busy."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import make_url

from adapters.sql.backup import BackupFailed, backup, backup_kind, holds_data, restore
from adapters.sql.pg_tools import conninfo, find_tool, tool_environment

TOOL = "creditdesk-test-tool"


def test_the_connection_string_has_everything_but_the_password() -> None:
    url = make_url("postgresql+psycopg://ana:s3cr%27et@db.example:6543/credit?sslmode=require")

    info = conninfo(url)

    assert info == ("host='db.example' port='6543' user='ana' dbname='credit' sslmode='require'")
    assert "s3cr" not in info
    assert conninfo(make_url("postgresql://o'brien@h/d")) == r"host='h' user='o\'brien' dbname='d'"


def test_the_password_goes_in_the_environment_and_an_inherited_one_goes() -> None:
    with_password = tool_environment(make_url("postgresql://ana:secret@h/d"), {"A": "1"})
    assert with_password == {"A": "1", "PGPASSWORD": "secret"}
    assert tool_environment(make_url("postgresql://ana@h/d"), {"PGPASSWORD": "old"}) == {}


def test_the_newest_installed_tool_is_found_or_the_error_says_what_to_install(
    tmp_path: Path,
) -> None:
    for version in ("9.6", "15", "13"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        (folder / TOOL).write_text("")
    (tmp_path / "16" / "bin").mkdir(parents=True)  # a newer server without this tool

    assert find_tool(TOOL, tmp_path) == tmp_path / "15" / "bin" / TOOL
    with pytest.raises(BackupFailed, match="install the PostgreSQL client programs"):
        find_tool("creditdesk-no-such-tool", tmp_path)


def test_a_failed_backup_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(BackupFailed, match="no database"):
        backup(tmp_path / "missing.db", tmp_path / "out" / "backup.db")
    assert list((tmp_path / "out").iterdir()) == []


def test_an_sqlite_backup_taken_during_writes_is_consistent(tmp_path: Path) -> None:
    """Rows go in pairs, one transaction per pair: a consistent copy holds an even number."""
    live = tmp_path / "live.db"
    with closing(sqlite3.connect(live)) as connection, connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("CREATE TABLE pairs (n INTEGER, padding TEXT)")
        # About 6 MB before the writer starts, so that a copy takes a while.
        rows = [(n, "x" * 2000) for n in range(3000)]
        connection.executemany("INSERT INTO pairs VALUES (?, ?)", rows)
    stop = threading.Event()

    def write() -> None:
        with closing(sqlite3.connect(live, timeout=30)) as writer:
            n = 3000
            while not stop.is_set():
                with writer:
                    for _ in range(2):
                        writer.execute("INSERT INTO pairs VALUES (?, ?)", (n, "x" * 2000))
                        n += 1

    writing = threading.Thread(target=write)
    writing.start()
    pages: list[tuple[int, int]] = []
    try:
        for number in range(5):
            backup(
                live,
                tmp_path / f"copy-{number}.db",
                lambda done, total: pages.append((done, total)),
            )
    finally:
        stop.set()
        writing.join()

    assert pages
    assert pages[-1][0] == pages[-1][1]
    for number in range(5):
        copy = tmp_path / f"copy-{number}.db"
        assert backup_kind(copy) == "sqlite"
        assert not Path(f"{copy}-wal").exists()
        with closing(sqlite3.connect(copy)) as reading:
            (count,) = reading.execute("SELECT count(*) FROM pairs").fetchone()
        assert count >= 3000
        assert count % 2 == 0
    backup(live, tmp_path / "final.db")
    with (
        closing(sqlite3.connect(live)) as source,
        closing(sqlite3.connect(tmp_path / "final.db")) as final,
    ):
        written = source.execute("SELECT count(*), max(n) FROM pairs").fetchone()
        assert final.execute("SELECT count(*), max(n) FROM pairs").fetchone() == written
    assert written[0] > 3000
    restored = tmp_path / "restored.db"
    assert not holds_data(restored)
    restore(tmp_path / "copy-4.db", restored)
    assert holds_data(restored)
