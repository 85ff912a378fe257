"""`creditdesk tenants|users|audit` as an operator runs them, on a fresh SQLite database in
tmp_path: passwords go in through stdin or a hidden prompt and never come out, and `audit
verify` fails, naming the place, once an event is edited behind the application's back."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.e2e.console import creditdesk
from tests.e2e.tenancy_support import PASSWORD, create_acme, creditdesk_with_input

_run = creditdesk_with_input


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    return done.stdout


def _password_matches(data_dir: Path, slug: str, email: str, password: str) -> bool:
    deps = build(
        Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'creditdesk.db'}")
    )
    try:
        with deps.uow() as uow:
            tenant = uow.tenants.get_by_slug(slug)
            assert tenant is not None
            user = uow.users.get_by_email(tenant.id, email)
        assert user is not None
        assert password not in user.password_hash
        return deps.hasher.verify(user.password_hash, password)
    finally:
        deps.close()


def test_a_tenant_and_its_people_are_created_listed_and_deactivated(tmp_path: Path) -> None:
    create_acme(tmp_path)
    assert _password_matches(tmp_path, "acme", "boss@acme.example", PASSWORD)
    assert "acme" in _ok(creditdesk(tmp_path, "tenants", "list"))
    taken = _run(tmp_path, "tenants", "create", "acme", "--name", "Again",
                 "--admin-email", "x@acme.example", "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert (taken.returncode, "Conflict" in taken.stdout) == (1, True)

    created = _ok(_run(tmp_path, "users", "create", "ana@acme.example", "--name", "Ana",
                       "--role", "senior_analyst", "--tenant", "acme", "--password-stdin",
                       stdin=PASSWORD + "\n"))  # fmt: skip
    assert "created as senior_analyst" in created
    assert _password_matches(tmp_path, "acme", "ana@acme.example", PASSWORD)
    listed = _ok(creditdesk(tmp_path, "users", "list", "--tenant", "acme"))
    assert "ana@acme.example" in listed
    assert "boss@acme.example" in listed

    gone = _ok(creditdesk(tmp_path, "users", "deactivate", "ANA@acme.example", "--tenant", "acme"))
    assert "is deactivated" in gone
    ana = next(line for line in _ok(creditdesk(tmp_path, "users", "list", "--tenant", "acme"))
               .splitlines() if "ana@acme.example" in line)  # fmt: skip
    assert ana.replace("│", " ").split()[-2:] == ["senior_analyst", "no"]


def test_a_prompted_password_is_asked_twice_and_never_echoed(tmp_path: Path) -> None:
    create_acme(tmp_path)
    done = _run(tmp_path, "users", "create", "bo@acme.example", "--name", "Bo",
                "--tenant", "acme", stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    _ok(done)
    assert "Password" in done.stdout + done.stderr
    assert _password_matches(tmp_path, "acme", "bo@acme.example", PASSWORD)


def test_mistakes_are_refused_without_creating_anything(tmp_path: Path) -> None:
    unknown = _run(tmp_path, "users", "create", "a@b.example", "--name", "A",
                   "--tenant", "nope", "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert (unknown.returncode, "Not found" in unknown.stdout) == (1, True)
    admin = ("--admin-email", "boss@acme.example", "--password-stdin")
    short = _run(tmp_path, "tenants", "create", "acme", "--name", "Acme", *admin, stdin="short")
    assert short.returncode == 1
    assert "admin.password" in short.stdout
    assert "No tenants." in _ok(creditdesk(tmp_path, "tenants", "list"))


def _forge(data_dir: Path, sequence: int) -> None:
    """Edit an audit event with SQL, dropping the trigger that keeps the table append-only."""
    connection = sqlite3.connect(data_dir / "creditdesk.db")
    try:
        with connection:
            connection.execute("DROP TRIGGER audit_events_no_update")
            connection.execute(
                "UPDATE audit_events SET record = json_set(record, '$.actor', 'forger')"
                " WHERE sequence = ?",
                (sequence,),
            )
    finally:
        connection.close()


def test_audit_verify_passes_an_intact_chain_and_names_where_one_breaks(tmp_path: Path) -> None:
    create_acme(tmp_path)
    _ok(_run(tmp_path, "users", "create", "ana@acme.example", "--name", "Ana",
             "--tenant", "acme", "--password-stdin", stdin=PASSWORD))  # fmt: skip
    assert "acme: intact, 3 events checked." in _ok(creditdesk(tmp_path, "audit", "verify"))

    _forge(tmp_path, 2)
    broken = creditdesk(tmp_path, "audit", "verify", "--tenant", "acme")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "acme: broken at event 2: event 2 was altered" in broken.stdout
    assert creditdesk(tmp_path, "audit", "verify").returncode == 1
    missing = creditdesk(tmp_path, "audit", "verify", "--tenant", "nope")
    assert (missing.returncode, "Not found" in missing.stdout) == (1, True)
