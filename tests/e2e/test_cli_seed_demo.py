"""`creditdesk seed-demo` as an operator runs it: the installed console script, in real
processes, on a fresh SQLite database and object store in tmp_path."""

from __future__ import annotations

import re
from pathlib import Path

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.console import creditdesk


def test_seeding_prints_the_demo_logins_and_a_second_run_finds_everything(
    tmp_path: Path,
) -> None:
    first = creditdesk(tmp_path, "seed-demo", "--applications", "12", timeout=180)
    assert first.returncode == 0, first.stdout + first.stderr
    for login in DEMO_LOGINS.logins:
        assert re.search(
            rf"{login.role.value}\s*\S\s*{re.escape(login.email)}\s*\S\s*{login.password}",
            first.stdout,
        ), first.stdout
    assert "Demo only: these passwords are public." in first.stdout

    listing = creditdesk(tmp_path, "model", "list")
    assert re.search(r"xgb-[0-9a-f]{16}\s*\S\s*champion", listing.stdout), listing.stdout

    again = creditdesk(tmp_path, "seed-demo", "--applications", "12", timeout=60)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "applications already there" in again.stdout
    assert DEMO_LOGINS.by_key("admin").email in again.stdout


def test_a_negative_count_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    result = creditdesk(tmp_path, "seed-demo", "--applications", "-1")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "creditdesk.db").exists()
