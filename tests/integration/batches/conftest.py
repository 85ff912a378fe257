"""Real parts for CSV batches: SQLite or PostgreSQL, the local object store, and for the worker
tests the session's Redis and the small real model (shared with tests/integration/queue)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL

from application.credit.batch_files import BatchFiles
from application.credit.process_batch import ProcessBatch
from application.credit.recording import Topic
from application.credit.upload_batch import UploadBatch
from domain.credit.batches import Batch
from domain.identity import Permission, Principal, Role
from entrypoints.composition import Deps, build
from entrypoints.settings import BatchSettings, Settings
from tests.builders import TENANT, a_tenant
from tests.integration.queue.conftest import redis_server, redis_url, small_model

__all__ = ["redis_server", "redis_url", "small_model"]

#: Small chunks, so that even a small file is read by several jobs.
CHUNK_ROWS = 4
READER = Principal(
    "system:worker", TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_CREATE})
)


def batch_settings(tmp_path: Path, database_url: str, **changes: object) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        batches=BatchSettings(chunk_rows=CHUNK_ROWS),
        **changes,  # type: ignore[arg-type]
    )


def built(settings: Settings) -> Deps:
    deps = build(settings, migrate=settings.uses_sqlite)
    with deps.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        uow.commit()
    return deps


def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'creditdesk.db'}"
    url: URL = request.getfixturevalue("postgres_database")
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def deps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deps]:
    """The adapters over a fresh database of each kind, with the tenant stored."""
    made = built(batch_settings(tmp_path, database_url(request, tmp_path)))
    yield made
    made.close()


def upload(deps: Deps, max_bytes: int | None = None) -> UploadBatch:
    limit = deps.settings.batches.max_bytes if max_bytes is None else max_bytes
    return UploadBatch(deps.uow(), deps.store, deps.clock, deps.ids, limit, CHUNK_ROWS)


def read_everything(deps: Deps, batch_id: str) -> Batch:
    """Run the batch's chunk jobs, as a worker would, until its file is read."""
    process = ProcessBatch(deps.uow(), BatchFiles(deps.store), deps.clock, deps.ids)
    while True:
        with deps.uow() as uow:
            pending = [
                m
                for m in uow.outbox.pending(1_000, topics={Topic.PROCESS_BATCH})
                if m.payload["batch_id"] == batch_id
            ]
            for message in pending:
                uow.outbox.mark_sent(message.id)
            uow.commit()
        if not pending:
            break
        for message in pending:
            process(READER, batch_id, int(message.payload["offset"]))
    with deps.uow() as uow:
        found = uow.batches.get(TENANT, batch_id)
    assert found is not None
    return found
