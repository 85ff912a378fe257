"""A worker killed in the middle loses nothing and scores nothing twice (PostgreSQL, and Redis
or RabbitMQ).

Two thousand applications are submitted (each with its scoring job in the outbox), a real
`creditdesk worker` process relays and scores them until about a third are done, and is killed
with SIGKILL: no clean-up, jobs in hand, maybe a relay batch half sent. A second worker is then
started. Every application must end scored exactly once, the outbox empty, no job dead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import URL, func, select

from adapters.ml.model import TrainedModel
from adapters.sql.schema import applications, scoring_results
from application.credit.dead_jobs import ListDeadJobs
from application.credit.recording import Topic
from application.credit.submit_application import SubmitApplication
from domain.credit.model_registry import ModelStage
from domain.identity import Role
from entrypoints.composition import Deps, build
from entrypoints.settings import load
from tests.builders import TENANT, a_model_version, a_principal, a_tenant, an_application_form

pytestmark = pytest.mark.integration

APPLICATIONS = 2_000
CREDITDESK = Path(sys.executable).parent / "creditdesk"
ROOT = Path(__file__).resolve().parents[3]
LENDER = a_principal(Role.API_CONSUMER, user_id="svc-lender")


def _environment(tmp_path: Path, database: URL, broker_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "CREDITDESK_DATA_DIR": str(tmp_path),
        "CREDITDESK_DATABASE_URL": database.render_as_string(hide_password=False),
        "CREDITDESK_BROKER_URL": broker_url,
        "CREDITDESK_BROKER_HEARTBEAT_TIMEOUT": "3",
        "CREDITDESK_JWT_SECRET": "worker-crash-test-secret-0123456789abcdef",
    }


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [str(CREDITDESK), "worker", "--threads", "4"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _scored(deps: Deps) -> int:
    with deps.engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(scoring_results)).scalar_one()
        )


def _wait(condition: Callable[[], bool], what: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.2)


def _prepare(deps: Deps, model: TrainedModel) -> None:
    version = a_model_version(model.version, stage=ModelStage.CHAMPION)
    deps.store.put(version.artifact_key, model.to_bytes(), "application/zip")
    with deps.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.models.add(version)
        uow.commit()
    submit = SubmitApplication(deps.uow(), deps.clock, deps.ids)
    for i in range(APPLICATIONS):
        submit(LENDER, an_application_form(external_id=f"crash-{i}"))


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_a_killed_worker_loses_no_job_and_scores_nothing_twice(
    request: pytest.FixtureRequest,
    broker: str,
    tmp_path: Path,
    postgres_database: URL,
    small_model: TrainedModel,
) -> None:
    broker_url = request.getfixturevalue(f"{broker}_url")
    env = _environment(tmp_path, postgres_database, broker_url)
    deps = build(load(env), migrate=False)
    try:
        _prepare(deps, small_model)
        log = tmp_path / "worker.log"

        first = _worker(env, log)
        _wait(lambda: _scored(deps) >= APPLICATIONS // 3, "a third is scored", timeout=180)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        killed_at = _scored(deps)
        assert killed_at < APPLICATIONS, "the worker finished before it could be killed"

        second = _worker(env, log)
        try:
            _wait(lambda: _scored(deps) >= APPLICATIONS, "every application is scored")
            time.sleep(4)  # a redelivered job would land now: let it, to catch a double
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)

        with deps.engine.connect() as connection:
            per_application = (
                connection.execute(
                    select(func.count())
                    .select_from(scoring_results)
                    .group_by(scoring_results.c.application_id)
                )
                .scalars()
                .all()
            )
            pending = connection.execute(
                select(func.count())
                .select_from(applications)
                .where(applications.c.status == "pending")
            ).scalar_one()
        assert len(per_application) == APPLICATIONS, "an application was never scored"
        assert set(per_application) == {1}, "an application was scored twice"
        assert pending == 0
        with deps.uow() as uow:
            assert uow.outbox.pending(10, topics={Topic.SCORE_APPLICATION}) == []
        assert ListDeadJobs(deps.uow())() == [], log.read_text()[-3000:]
        assert second.returncode == 0, log.read_text()[-3000:]
        print(f"killed after {killed_at} of {APPLICATIONS} scored")  # noqa: T201 - for -s runs
    finally:
        deps.close()
