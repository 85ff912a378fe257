"""A batch end to end through the real worker: upload, chunks read, rows scored a chunk at a time
by the small real model, until every accepted row is scored and routed; on SQLite with the
in-process broker, and on PostgreSQL with Redis. Then the replays: the same chunk job and the
same upload again change nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.ml.model import TrainedModel
from adapters.queue.broker import RetryPolicy
from adapters.sql.schema import applications, batch_rows, scoring_results
from application.credit.batch_files import BatchFiles
from application.credit.batch_queries import BatchErrorReport, GetBatch
from application.credit.dead_jobs import ListDeadJobs
from application.credit.process_batch import ProcessBatch
from application.credit.recording import Topic
from domain.credit.batches import Batch, BatchStatus
from domain.credit.model_registry import ModelStage
from entrypoints import worker
from entrypoints.composition import Deps
from tests.batch_builders import a_row, csv_file, in_pieces, rows_for
from tests.builders import TENANT, a_model_version
from tests.integration.batches.conftest import READER, batch_settings, built, upload
from tests.unit.application.helpers import LENDER

pytestmark = pytest.mark.integration

FAST = RetryPolicy(max_retries=2, min_backoff_ms=10, max_backoff_ms=50)
ROWS = 300
BAD_ROWS = {17: {"email": "nobody"}, 150: {"loan_amount": "0"}, 299: {"term_months": ""}}


@pytest.fixture(params=["sqlite+in-process", "postgresql+redis"])
def deps(
    request: pytest.FixtureRequest, tmp_path: Path, small_model: TrainedModel
) -> Iterator[Deps]:
    if request.param == "sqlite+in-process":
        url, broker = f"sqlite:///{tmp_path / 'creditdesk.db'}", None
    else:
        postgres = request.getfixturevalue("postgres_database")
        url = postgres.render_as_string(hide_password=False)
        broker = request.getfixturevalue("redis_url")
    made = built(batch_settings(tmp_path, url, broker_url=broker))
    version = a_model_version(small_model.version, stage=ModelStage.CHAMPION)
    made.store.put(version.artifact_key, small_model.to_bytes(), "application/zip")
    with made.uow() as uow:
        uow.models.add(version)
        uow.commit()
    yield made
    made.close()


def _file() -> bytes:
    rows = rows_for(ROWS, "W")
    for row_number, cells in BAD_ROWS.items():
        rows[row_number - 1] = {**rows[row_number - 1], **cells}
    rows[41] = a_row(rows[41]["external_id"], street="Bulevar 73,\r\nstan 4")
    return csv_file(rows, bom=True)


def _working(deps: Deps) -> Callable[[], None]:
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run,
        args=(deps, stop),
        kwargs={"threads": 2, "relay_every": 0.05, "policy": FAST},
    )
    thread.start()

    def stopped() -> None:
        stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive()

    return stopped


def _until(deps: Deps, batch_id: str, done: Callable[[Batch], bool], timeout: float) -> Batch:
    deadline = time.monotonic() + timeout
    while True:
        batch = GetBatch(deps.uow())(LENDER, batch_id)
        if done(batch):
            return batch
        assert time.monotonic() < deadline, f"the batch stopped at {batch.counts()}"
        assert not ListDeadJobs(deps.uow())(), ListDeadJobs(deps.uow())()[0].error
        time.sleep(0.1)


def test_every_accepted_row_is_scored_once_and_routed(deps: Deps) -> None:
    uploaded = upload(deps)(LENDER, in_pieces(_file()), idempotency_key="w-1")
    stop = _working(deps)
    try:
        done = _until(deps, uploaded.batch.id, lambda b: b.status.is_final, timeout=180)
    finally:
        stop()
    assert done.status is BatchStatus.COMPLETED
    assert (done.rows_read, done.accepted, done.rejected, done.scored) == (ROWS, 297, 3, 297)
    with deps.engine.connect() as connection:
        per_application = connection.execute(
            select(func.count()).select_from(scoring_results).group_by(scoring_results.c.application_id)
        ).scalars().all()  # fmt: skip
        statuses = connection.execute(
            select(applications.c.status, func.count())
            .join(batch_rows, batch_rows.c.application_id == applications.c.id)
            .group_by(applications.c.status)
        ).all()
    assert sorted(per_application) == [1] * 297
    assert {status for status, _count in statuses} <= {"approved", "declined", "review"}
    report = BatchErrorReport(deps.uow())(LENDER, done.id).splitlines()
    assert [line.split(",")[:2] for line in report[1:]] == [
        ["17", "email"],
        ["150", "loan_amount"],
        ["299", "term_months"],
    ]
    with deps.uow() as uow:
        assert uow.outbox.pending(10, topics={Topic.SCORE_APPLICATION}) == []
        assert [m.payload for m in uow.outbox.pending(10, topics={Topic.BATCH_COMPLETED})] == [
            {"batch_id": done.id}
        ]


def test_a_replayed_chunk_job_and_a_repeated_upload_change_nothing(deps: Deps) -> None:
    data = csv_file(rows_for(10, "R"))
    first = upload(deps)(LENDER, [data], idempotency_key="r-1")
    with deps.uow() as uow:
        messages = uow.outbox.pending(10, topics={Topic.PROCESS_BATCH})
    assert len(messages) == 3  # rows 1-4, 5-8 and 9-10
    offset = int(messages[0].payload["offset"])
    process = ProcessBatch(deps.uow(), BatchFiles(deps.store), deps.clock, deps.ids)
    once = process(READER, first.batch.id, offset)
    twice = process(READER, first.batch.id, offset)
    assert once == twice
    assert (once.rows_read, once.accepted) == (4, 4)
    again = upload(deps)(LENDER, in_pieces(data, 3), idempotency_key="r-1")
    assert (again.created, again.batch.id) == (False, first.batch.id)
    assert deps.store.keys(f"{TENANT}/batches/") == [first.batch.object_key]
    with deps.engine.connect() as connection:
        stored_rows = connection.execute(select(func.count()).select_from(batch_rows)).scalar_one()
        stored_applications = connection.execute(
            select(func.count()).select_from(applications)
        ).scalar_one()
    assert (stored_rows, stored_applications) == (4, 4)
