"""`creditdesk notifications ...` and `creditdesk webhooks ...` as an operator runs them: the
installed console script, in real processes, on a fresh SQLite database in tmp_path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from application.credit.notify import FanOutNotification
from application.credit.recording import Topic
from domain.identity import Role
from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.builders import a_tenant, a_user
from tests.e2e.console import creditdesk

TENANT_ID = "t-demo"


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return creditdesk(data_dir, *args, timeout=120)


def _seed(data_dir: Path) -> None:
    """The demo tenant, a senior analyst, and two SLA warnings in her inbox."""
    deps = build(
        Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'creditdesk.db'}")
    )
    try:
        with deps.uow() as uow:
            uow.tenants.add(a_tenant(id=TENANT_ID, slug="demo"))
            uow.users.add(
                a_user(
                    id="user-sen",
                    tenant_id=TENANT_ID,
                    email="sen@lender.example",
                    role=Role.SENIOR_ANALYST,
                )
            )
            uow.commit()
        fan_out = FanOutNotification(deps.uow(), deps.clock, deps.ids)
        for n in (1, 2):
            payload = {
                "entry_id": f"entry-{n}",
                "application_id": f"app-{n}",
                "sla_deadline": "2026-11-22T17:30:00+00:00",
            }
            fan_out(TENANT_ID, f"src-{n}", Topic.CASE_SLA_WARNING, payload)
    finally:
        deps.close()


def test_an_inbox_is_listed_and_read(tmp_path: Path) -> None:
    _seed(tmp_path)

    listed = _run(tmp_path, "notifications", "list", "--user", "sen@lender.example")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "Notifications of user-sen: 2 unread" in listed.stdout
    assert "SLA warning: application app-1 is due" in listed.stdout
    first = re.search(r"^[│|]\s*(\S+)\s*[│|].*app-1", listed.stdout, re.MULTILINE)
    assert first, listed.stdout

    read = _run(tmp_path, "notifications", "read", "--user", "user-sen", first.group(1))
    assert read.returncode == 0, read.stdout + read.stderr
    assert "Marked 1 notification read." in read.stdout
    rest = _run(tmp_path, "notifications", "read", "--user", "user-sen", "--all")
    assert "Marked 1 notification read." in rest.stdout  # the other one: the first is read

    stranger = _run(tmp_path, "notifications", "list", "--user", "nobody@lender.example")
    assert stranger.returncode == 1
    assert "Not found" in stranger.stdout


def test_webhooks_are_added_listed_without_their_secret_and_disabled(tmp_path: Path) -> None:
    added = _run(
        tmp_path, "webhooks", "add", "https://lender.example/hooks", "--event", "case.sla_breached"
    )
    assert added.returncode == 0, added.stdout + added.stderr
    found = re.search(r"Registered webhook (\S+) for case.sla_breached\.", added.stdout)
    secret = re.search(r"Signing secret \(shown once.*\): (\S+)", added.stdout)
    assert found, added.stdout
    assert secret, added.stdout
    assert len(secret.group(1)) >= 24

    listing = _run(tmp_path, "webhooks", "list").stdout
    assert found.group(1) in listing
    assert "https://lender.example/hooks" in listing
    assert secret.group(1) not in listing

    disabled = _run(tmp_path, "webhooks", "disable", found.group(1))
    assert disabled.returncode == 0, disabled.stdout + disabled.stderr
    assert f"Webhook {found.group(1)} is disabled." in disabled.stdout

    refused = _run(tmp_path, "webhooks", "add", "ftp://x", "--secret", "short")
    assert refused.returncode == 1
    assert "url: must be an http:// or https:// URL" in refused.stdout
    assert "secret: must be at least 24 characters" in refused.stdout
