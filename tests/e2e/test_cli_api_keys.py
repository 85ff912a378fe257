"""`creditdesk api-keys create|list|revoke` as an operator runs them, on a fresh SQLite
database in tmp_path; the key it prints authenticates until it is revoked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from application.credit.authenticate import Authenticate
from application.errors import Unauthenticated
from domain.identity import Role
from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.e2e.console import creditdesk


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = creditdesk(data_dir, "api-keys", *args, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _authenticate(data_dir: Path, key: str) -> Role:
    deps = build(
        Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'creditdesk.db'}")
    )
    try:
        return Authenticate(deps.uow(), deps.clock, deps.tokens)(key).principal.role
    finally:
        deps.close()


def test_a_key_is_created_listed_used_and_revoked(tmp_path: Path) -> None:
    created = _run(tmp_path, "create", "loan-origination")
    key = created.stdout.strip()
    assert key.startswith("cd_")
    assert "shown once" in created.stderr
    key_id = key.removeprefix("cd_").rpartition("_")[0]

    assert _authenticate(tmp_path, key) is Role.API_CONSUMER
    listed = _run(tmp_path, "list")
    assert key_id in listed.stdout
    assert "loan-origination" in listed.stdout
    assert key.rpartition("_")[2] not in listed.stdout

    revoked = _run(tmp_path, "revoke", key_id)
    assert "is revoked" in revoked.stdout
    with pytest.raises(Unauthenticated):
        _authenticate(tmp_path, key)
    missing = creditdesk(tmp_path, "api-keys", "revoke", "no-such-key")
    assert missing.returncode == 1
    assert "Not found" in missing.stdout
