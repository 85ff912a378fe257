"""`creditdesk backup` and `creditdesk restore` as an operator runs them, on SQLite and on a
real PostgreSQL: the demo data is backed up, restored into a fresh database where every row of
every table is found again, and the audit trail still verifies. Restoring over a database that
holds data needs --yes, and then brings back exactly what was backed up."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, text

from adapters.sql import create_engine_for
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.e2e.backup_support import assert_same_data, fingerprints
from tests.e2e.console import creditdesk
from tests.services.postgres import PostgresServer

SECRET = "not-to-be-shown-4711"


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def _seeded(data_dir: Path, settings: dict[str, str] | None = None) -> None:
    done = creditdesk(data_dir, "seed-demo", "--applications", "12", settings=settings, timeout=240)
    _ok(done)


def test_an_sqlite_backup_restores_every_row(tmp_path: Path) -> None:
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    _seeded(live)
    original = fingerprints(live / "creditdesk.db")
    file = tmp_path / "backups" / "demo.db"

    assert "Backed up the SQLite database" in _ok(creditdesk(live, "backup", str(file)))
    assert list(file.parent.iterdir()) == [file]

    assert "Restored" in _ok(creditdesk(fresh, "restore", str(file)))
    assert_same_data(fingerprints(fresh / "creditdesk.db"), original)
    assert "demo: intact" in _ok(creditdesk(fresh, "audit", "verify"))

    with closing(sqlite3.connect(live / "creditdesk.db")) as connection, connection:
        connection.execute("UPDATE users SET role = 'readonly' WHERE role = 'analyst'")
    refused = creditdesk(live, "restore", str(file))
    assert (refused.returncode, "holds data" in refused.stdout) == (1, True)
    _ok(creditdesk(live, "restore", str(file), "--yes"))
    assert_same_data(fingerprints(live / "creditdesk.db"), original)


def test_what_is_not_a_backup_is_refused_and_a_failed_backup_leaves_no_file(
    tmp_path: Path,
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    refused = creditdesk(tmp_path, "restore", str(junk), "--yes")
    assert (refused.returncode, "not a creditdesk backup" in refused.stdout) == (1, True)

    taken = creditdesk(tmp_path, "backup", str(junk))
    assert (taken.returncode, "exists; add --yes" in taken.stdout) == (1, True)
    assert junk.read_text() == "not a database"

    unreachable = {
        "CREDITDESK_DATABASE_URL": f"postgresql://u:{SECRET}@127.0.0.1:9/none",
        "CREDITDESK_JWT_SECRET": secrets.token_hex(32),
    }
    out = tmp_path / "out"
    failed = creditdesk(tmp_path, "backup", str(out / "demo.dump"), settings=unreachable)
    assert (failed.returncode, "Backup failed" in failed.stdout) == (1, True), failed.stdout
    assert SECRET not in failed.stdout + failed.stderr
    assert list(out.iterdir()) == []


@pytest.mark.integration
def test_a_postgres_backup_restores_every_row(
    tmp_path: Path, postgres_server: PostgresServer, postgres_admin: Engine, postgres_database: URL
) -> None:
    def settings(url: URL) -> dict[str, str]:
        with_secret = url.set(password=SECRET)  # the test server trusts loopback: unused
        return {
            "CREDITDESK_DATABASE_URL": with_secret.render_as_string(hide_password=False),
            "CREDITDESK_JWT_SECRET": secrets.token_hex(32),
        }

    live = settings(postgres_database)
    _seeded(tmp_path, live)
    original = fingerprints(postgres_database)
    file = tmp_path / "demo.dump"
    backed_up = creditdesk(tmp_path, "backup", str(file), settings=live)
    assert "Backed up the PostgreSQL database" in _ok(backed_up)
    assert SECRET not in backed_up.stdout + backed_up.stderr
    assert file.read_bytes().startswith(b"PGDMP")

    name = create_postgres_database(postgres_admin)  # empty: no schema at all
    try:
        fresh = postgres_server.url(name)
        restored = creditdesk(tmp_path, "restore", str(file), settings=settings(fresh))
        assert SECRET not in _ok(restored) + restored.stderr
        assert_same_data(fingerprints(fresh), original)
        verified = creditdesk(tmp_path, "audit", "verify", settings=settings(fresh))
        assert "demo: intact" in _ok(verified)
    finally:
        drop_postgres_database(postgres_admin, name)

    engine = create_engine_for(postgres_database)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE users SET role = 'readonly' WHERE role = 'analyst'"))
    finally:
        engine.dispose()
    refused = creditdesk(tmp_path, "restore", str(file), settings=live)
    assert (refused.returncode, "holds data" in refused.stdout) == (1, True)
    _ok(creditdesk(tmp_path, "restore", str(file), "--yes", settings=live))
    assert_same_data(fingerprints(postgres_database), original)
