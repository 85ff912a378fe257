"""The worker end to end: outbox relay, Dramatiq actors, retries and dead jobs, on real parts.

SQLite and the local object store hold the data, a small real XGBoost model is the champion,
and the broker is the embedded in-process one, a real Redis server or a real RabbitMQ server.
Every submitted application must end scored exactly once, with the outbox empty; a job that
cannot succeed is retried, recorded as dead, and scored after a person sends it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.ml.model import TrainedModel
from adapters.queue.broker import RetryPolicy
from adapters.sql.schema import scoring_results
from application.credit.dead_jobs import ListDeadJobs, RetryDeadJob
from application.credit.ports import OutboxMessage
from application.credit.submit_application import SubmitApplication
from domain.credit.model_registry import ModelStage
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from entrypoints import worker
from entrypoints.composition import Deps, build
from entrypoints.settings import Settings
from tests.builders import TENANT, a_model_version, a_principal, a_tenant, an_application_form

pytestmark = pytest.mark.integration

LENDER = a_principal(Role.API_CONSUMER, user_id="svc-lender")
FAST = RetryPolicy(max_retries=2, min_backoff_ms=10, max_backoff_ms=50)


@pytest.fixture(params=["in-process", "redis", "rabbitmq"])
def deps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deps]:
    broker_url = None
    if request.param != "in-process":
        broker_url = request.getfixturevalue(f"{request.param}_url")
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'creditdesk.db'}",
        broker_url=broker_url,
    )
    built = build(settings)
    with built.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.commit()
    yield built
    built.close()


def _champion(deps: Deps, model: TrainedModel) -> None:
    version = a_model_version(model.version, stage=ModelStage.CHAMPION)
    deps.store.put(version.artifact_key, model.to_bytes(), "application/zip")
    with deps.uow() as uow:
        uow.models.add(version)
        uow.commit()


def _submit(deps: Deps, n: int, prefix: str = "live") -> list[str]:
    submit = SubmitApplication(deps.uow(), deps.clock, deps.ids)
    return [
        submit(LENDER, an_application_form(external_id=f"{prefix}-{i}")).application.id
        for i in range(n)
    ]


def _working(deps: Deps) -> Callable[[], None]:
    """Start a worker in a thread; the returned function stops it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run,
        args=(deps, stop),
        kwargs={"threads": 2, "relay_every": 0.05, "policy": FAST},
    )
    thread.start()

    def stopped() -> None:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()

    return stopped


def _wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.05)


def _statuses(deps: Deps, ids: list[str]) -> list[ApplicationStatus]:
    with deps.uow() as uow:
        found = [uow.applications.get(TENANT, i) for i in ids]
    return [a.status for a in found if a is not None]


def _results_per_application(deps: Deps) -> dict[str, int]:
    with deps.engine.connect() as connection:
        rows = connection.execute(
            select(scoring_results.c.application_id, func.count()).group_by(
                scoring_results.c.application_id
            )
        )
        return {str(application_id): int(count) for application_id, count in rows}


def test_every_submitted_application_is_scored_exactly_once(
    deps: Deps, small_model: TrainedModel
) -> None:
    _champion(deps, small_model)
    ids = _submit(deps, 40)
    stop = _working(deps)
    try:
        _wait(lambda: ApplicationStatus.PENDING not in _statuses(deps, ids))
    finally:
        stop()

    assert _results_per_application(deps) == dict.fromkeys(ids, 1)
    with deps.uow() as uow:
        assert uow.outbox.pending(100, topics={"application.score"}) == []
    assert ListDeadJobs(deps.uow())() == []


def test_a_job_that_keeps_failing_is_dead_until_a_person_sends_it_again(
    deps: Deps, small_model: TrainedModel
) -> None:
    (application_id,) = _submit(deps, 1)  # no champion yet: scoring cannot succeed
    stop = _working(deps)
    try:
        _wait(lambda: bool(ListDeadJobs(deps.uow())()))
        (dead,) = ListDeadJobs(deps.uow())()
        assert dead.payload == {"application_id": application_id}
        assert dead.error.startswith("NoChampion: no champion model")
        assert dead.attempts == 1 + FAST.max_retries  # the first try and every retry
        assert _statuses(deps, [application_id]) == [ApplicationStatus.PENDING]

        _champion(deps, small_model)
        RetryDeadJob(deps.uow(), deps.clock, deps.ids)(dead.id, actor="ops-ana")
        _wait(lambda: _statuses(deps, [application_id]) != [ApplicationStatus.PENDING])
    finally:
        stop()
    assert _results_per_application(deps) == {application_id: 1}
    assert ListDeadJobs(deps.uow())() == []


def test_a_job_for_an_application_that_does_not_exist_dies_without_retrying(
    deps: Deps, small_model: TrainedModel
) -> None:
    _champion(deps, small_model)
    with deps.uow() as uow:
        uow.outbox.add(
            OutboxMessage(
                "m-ghost",
                TENANT,
                "application.score",
                {"application_id": "ghost"},
                deps.clock.now(),
            )
        )
        uow.commit()
    stop = _working(deps)
    try:
        _wait(lambda: bool(ListDeadJobs(deps.uow())()))
    finally:
        stop()
    (dead,) = ListDeadJobs(deps.uow())()
    assert dead.id == "m-ghost"
    assert dead.attempts == 1  # never retried: the application will not appear by waiting
    assert "not found" in dead.error
