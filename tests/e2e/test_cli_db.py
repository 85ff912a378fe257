"""`creditdesk db current|downgrade|upgrade` as an operator runs them, on a fresh SQLite file:
each says where the schema is; a downgrade goes one step back unless told otherwise, and one
that would drop every table needs --yes."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory

from adapters.sql.migrate import config
from tests.e2e.console import creditdesk

HEAD = ScriptDirectory.from_config(config()).get_current_head()


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _tables(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_the_schema_goes_down_one_step_and_to_base_only_when_confirmed(tmp_path: Path) -> None:
    assert f"Database at revision {HEAD}" in _ok(creditdesk(tmp_path, "db", "upgrade"))
    assert f"Database at revision {HEAD} (head)." in _ok(creditdesk(tmp_path, "db", "current"))

    stepped = _ok(creditdesk(tmp_path, "db", "downgrade"))
    assert stepped.startswith(f"Database downgraded from revision {HEAD} to ")
    previous = stepped.split()[-1].rstrip(".")
    assert previous != HEAD
    behind = _ok(creditdesk(tmp_path, "db", "current"))
    assert f"Database at revision {previous}; head is {HEAD}" in behind

    refused = creditdesk(tmp_path, "db", "downgrade", "base")
    assert (refused.returncode, "--yes" in refused.stdout) == (1, True)
    assert "users" in _tables(tmp_path / "creditdesk.db")
    emptied = _ok(creditdesk(tmp_path, "db", "downgrade", "base", "--yes"))
    assert f"from revision {previous} to base (no tables)." in emptied
    assert _tables(tmp_path / "creditdesk.db") <= {"alembic_version"}
    assert "not migrated" in _ok(creditdesk(tmp_path, "db", "current"))
