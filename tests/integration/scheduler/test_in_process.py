"""The scheduler of the embedded default: in a thread of the process, over SQLite, stopped cleanly;
and the job list the settings make."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.sql.schema import schedule_claims
from application.credit.recording import Topic
from entrypoints import scheduler, worker
from entrypoints.composition import Deps, build
from entrypoints.periodic_jobs import periodic_jobs
from entrypoints.settings import SchedulerSettings, Settings
from tests.builders import TENANT, a_tenant, an_outbox_message

pytestmark = pytest.mark.integration


def _deps(tmp_path: Path, scheduler_settings: SchedulerSettings) -> Deps:
    return build(
        Settings(
            data_dir=tmp_path,
            database_url=f"sqlite:///{tmp_path / 'creditdesk.db'}",
            scheduler=scheduler_settings,
        )
    )


@pytest.fixture
def deps(tmp_path: Path) -> Iterator[Deps]:
    built = _deps(tmp_path, SchedulerSettings(tick=0.05))
    yield built
    built.close()


def _claimed(deps: Deps) -> set[str]:
    with deps.engine.connect() as connection:
        return set(connection.execute(select(schedule_claims.c.job)).scalars())


def test_the_in_process_scheduler_runs_the_due_jobs_and_stops_when_told(deps: Deps) -> None:
    thread, stop = scheduler.start_in_process(deps)
    deadline = time.monotonic() + 30
    while len(_claimed(deps)) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert thread.daemon  # never keeps the process from exiting
    assert _claimed(deps) == {"sla_check", "auto_assign", "model_check", "clean_up"}


def test_the_settings_choose_the_jobs(tmp_path: Path) -> None:
    deps = _deps(tmp_path, SchedulerSettings(auto_assign_within=timedelta(0)))
    try:
        assert [job.name for job in periodic_jobs(deps)] == ["sla_check", "model_check", "clean_up"]
        with_relay = periodic_jobs(deps, worker.background(deps))
        assert [job.name for job in with_relay] == [
            "sla_check",
            "relay_outbox",
            "model_check",
            "clean_up",
        ]
    finally:
        deps.close()


def test_the_relay_job_moves_the_outbox_to_the_broker(deps: Deps) -> None:
    with deps.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.outbox.add(an_outbox_message(topic=Topic.SCORE_APPLICATION))
        uow.commit()
    jobs = {job.name: job for job in periodic_jobs(deps, worker.background(deps))}
    jobs["relay_outbox"].run(deps.clock.now())
    with deps.uow() as uow:
        assert uow.outbox.pending(10) == []
