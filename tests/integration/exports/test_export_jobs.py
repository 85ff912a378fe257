"""An export past 10,000 rows end to end: asked for over HTTP (202), written by the real worker
through the outbox (on SQLite with the in-process broker, and on PostgreSQL with Redis),
polled until done, and downloaded; the file opens with openpyxl (or the csv module) and holds
every application once, with its score and decision."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from attrs import evolve
from litestar.testing import TestClient

from adapters.queue.broker import RetryPolicy
from domain.credit.application import Application
from domain.credit.exports import SYNC_ROW_LIMIT
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from entrypoints import worker
from entrypoints.composition import Deps, build
from entrypoints.settings import Settings
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_decision,
    a_scoring_result,
    a_tenant,
    an_application_form,
)
from tests.integration.http.support import app_for, auth, sqlite_deps
from tests.integration.queue.conftest import redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

pytestmark = pytest.mark.integration

ROWS = SYNC_ROW_LIMIT + 1
EXPORTS = "/api/v1/exports"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FAST = RetryPolicy(max_retries=1, min_backoff_ms=10, max_backoff_ms=50)


def _deps(request: pytest.FixtureRequest, tmp_path: Path) -> Deps:
    """SQLite with the in-process broker, or PostgreSQL with Redis; both test tenants stored."""
    if request.param == "sqlite+in-process":
        return sqlite_deps(request.getfixturevalue("sqlite_database"))
    url = request.getfixturevalue("postgres_database").render_as_string(hide_password=False)
    settings = Settings(
        data_dir=tmp_path, database_url=url, broker_url=request.getfixturevalue("redis_url")
    )
    made = build(settings, migrate=False)
    with made.uow() as uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            uow.tenants.add(a_tenant(id=tenant_id, slug=tenant_id))
        uow.commit()
    return made


@pytest.fixture(params=["sqlite+in-process", "postgresql+redis"])
def deps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deps]:
    made = _deps(request, tmp_path)
    form = an_application_form()
    applications = [
        Application(
            id=f"a-{number:05d}", tenant_id=TENANT,
            form=evolve(form, external_id=f"LND-{number:05d}"),
            status=ApplicationStatus.APPROVED if number == 7 else ApplicationStatus.REVIEW,
            submitted_at=NOW + timedelta(seconds=number),
        )
        for number in range(ROWS)
    ]  # fmt: skip
    with made.uow() as uow:
        uow.applications.add_many(applications)
        uow.scoring_results.add(a_scoring_result(application_id="a-00007"))
        uow.decisions.add(a_decision(application_id="a-00007"))
        uow.commit()
    try:
        yield made
    finally:
        made.close()


def _rows(export_format: str, data: bytes) -> list[tuple[Any, ...]]:
    if export_format == "csv":
        return [tuple(line) for line in csv.reader(io.StringIO(data.decode("utf-8")))]
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    lines = [tuple(line) for line in sheet.iter_rows(values_only=True)]
    width = len(lines[0])  # a read-only sheet leaves out a row's trailing empty cells
    return [line + (None,) * (width - len(line)) for line in lines]


def _until_done(client: TestClient[Any], location: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(location, headers=auth(Role.ANALYST)).json()
        if body["status"] in {"done", "failed"}:
            return body
        assert time.monotonic() < deadline, f"the export stayed {body['status']}"
        time.sleep(0.1)


def test_a_large_export_runs_as_a_job_and_its_file_holds_every_row(deps: Deps) -> None:
    # Each format once, each backend once: an XLSX file is the slower to write and to read.
    export_format = "xlsx" if deps.settings.uses_sqlite else "csv"
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run,
        args=(deps, stop),
        kwargs={"threads": 1, "relay_every": 0.05, "policy": FAST},
    )
    with TestClient(app_for(deps)) as client:
        asked = client.post(EXPORTS, json={"format": export_format}, headers=auth(Role.ANALYST))
        assert asked.status_code == 202, asked.text
        assert (asked.json()["status"], asked.json()["row_count"]) == ("pending", ROWS)
        assert "download" not in asked.json()["links"]
        thread.start()
        try:
            done = _until_done(client, asked.headers["Location"], timeout=120)
        finally:
            stop.set()
            thread.join(timeout=60)
        assert (done["status"], done["row_count"]) == ("done", ROWS), done
        file = client.get(done["links"]["download"], headers=auth(Role.ANALYST))
    assert file.status_code == 200
    assert file.headers["content-type"] == MEDIA_TYPES[export_format]
    assert file.headers["content-disposition"] == (
        f'attachment; filename="applications-{done["id"]}.{export_format}"'
    )
    header, *rows = _rows(export_format, file.content)
    assert [row[0] for row in rows] == [f"a-{number:05d}" for number in range(ROWS)]
    cells = dict(zip(header, rows[7], strict=True))
    assert (cells["status"], cells["routing_outcome"], cells["decision_type"]) == (
        "approved", "human_review", "analyst_approve",
    )  # fmt: skip
    assert cells["last_name"] == "Ma*****ć"
    assert rows[8][header.index("score")] in (None, "")
