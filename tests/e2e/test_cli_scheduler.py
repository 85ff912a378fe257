"""`creditdesk scheduler --once` as an operator runs it: the installed console script on SQLite.

A tenant has a case past its deadline and one near it; one run marks the breach, escalates it to
the senior, warns the other case and hands it to the analyst. A second run acts on nothing again.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from application.credit.recording import Topic
from domain.identity import Role
from entrypoints.composition import build
from entrypoints.settings import Settings
from tests.builders import TENANT, a_queue_entry, a_tenant, a_user, an_application
from tests.e2e.console import creditdesk


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return creditdesk(data_dir, *args, timeout=120)


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'creditdesk.db'}")


def _prepare(data_dir: Path) -> None:
    deps = build(_settings(data_dir))
    now = datetime.now(UTC)
    try:
        with deps.uow() as uow:
            uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
            uow.users.add(a_user(id="user-ana", email="ana@example.com", role=Role.ANALYST))
            uow.users.add(a_user(id="user-sen", email="sen@example.com", role=Role.SENIOR_ANALYST))
            for name, deadline in (
                ("late", now - timedelta(minutes=5)),
                ("near", now + timedelta(hours=1)),
            ):
                uow.applications.add(an_application(id=f"app-{name}"))
                uow.queue.add(
                    a_queue_entry(id=name, application_id=f"app-{name}", deadline=deadline)
                )
            uow.commit()
    finally:
        deps.close()


def _topics(data_dir: Path) -> Counter[str]:
    deps = build(_settings(data_dir))
    try:
        with deps.uow() as uow:
            return Counter(m.topic for m in uow.outbox.pending(100))
    finally:
        deps.close()


def test_one_run_acts_on_every_due_case_and_a_second_acts_on_none(tmp_path: Path) -> None:
    _prepare(tmp_path)

    first = _run(tmp_path, "scheduler", "--once")

    assert first.returncode == 0, first.stderr
    assert "Ran: sla_check, auto_assign, model_check, clean_up." in first.stdout
    expected = Counter(
        {
            Topic.CASE_SLA_BREACHED: 1,
            Topic.CASE_ESCALATED: 1,
            Topic.CASE_SLA_WARNING: 1,
            Topic.CASE_ASSIGNED: 2,  # the late case and the near one both go to the analyst
        }
    )
    assert _topics(tmp_path) == expected
    assert "clean-up removed" in first.stderr
    assert "ana@example.com" not in first.stdout + first.stderr

    second = _run(tmp_path, "scheduler", "--once")

    assert second.returncode == 0, second.stderr
    assert _topics(tmp_path) == expected


def test_a_bad_setting_is_named_and_nothing_runs(tmp_path: Path) -> None:
    result = creditdesk(
        tmp_path, "scheduler", "--once", settings={"CREDITDESK_MODEL_CHECK_AT": "2am"}
    )
    assert result.returncode == 1
    assert "CREDITDESK_MODEL_CHECK_AT" in result.stdout
    assert "Ran:" not in result.stdout
