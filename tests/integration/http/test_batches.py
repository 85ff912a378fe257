"""`/api/v1/batches` over SQLite: upload, replay, progress, the error report, and refusals."""

from __future__ import annotations

from typing import Any

from attrs import evolve
from litestar.testing import TestClient

from application.credit.recording import Topic
from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.settings import BatchSettings
from tests.batch_builders import HEADER, a_row, csv_file, rows_for
from tests.builders import OTHER_TENANT, TENANT
from tests.integration.batches.conftest import read_everything
from tests.integration.http.support import app_for, auth

Client = TestClient[Any]
BATCHES = "/api/v1/batches"
CSV = {"Content-Type": "text/csv"}


def _upload(
    client: Client,
    data: bytes,
    *,
    role: Role = Role.API_CONSUMER,
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(BATCHES, content=data, headers={**auth(role), **CSV, **(headers or {})})


def _keyed(client: Client, data: bytes, key: str) -> Any:
    return _upload(client, data, headers={"Idempotency-Key": key})


def test_an_upload_is_accepted_stored_queued_and_polled(client: Client, deps: Deps) -> None:
    response = _upload(client, csv_file(rows_for(3)))
    assert response.status_code == 202, response.text
    batch = response.json()
    assert response.headers["location"] == f"{BATCHES}/{batch['id']}"
    assert (batch["total_rows"], batch["status"], batch["progress"]["rows_read"]) == (
        3,
        "pending",
        0,
    )
    assert "object_key" not in batch
    with deps.uow() as uow:
        queued = uow.outbox.pending(100, topics={Topic.PROCESS_BATCH})
    assert [m.payload["batch_id"] for m in queued] == [batch["id"]]

    read_everything(deps, batch["id"])
    polled = client.get(f"{BATCHES}/{batch['id']}", headers=auth(Role.READONLY)).json()
    assert polled["progress"] == {
        "total_rows": 3, "rows_read": 3, "accepted": 3, "rejected": 0, "scored": 0,
    }  # fmt: skip
    listed = client.get(BATCHES, headers=auth(Role.READONLY)).json()
    assert [item["id"] for item in listed["items"]] == [batch["id"]]


def test_a_multipart_upload_keeps_the_file_name(client: Client) -> None:
    response = client.post(
        BATCHES,
        files={"file": ("march.csv", csv_file(rows_for(2)), "text/csv")},
        headers=auth(Role.API_CONSUMER),
    )
    assert response.status_code == 202, response.text
    assert (response.json()["file_name"], response.json()["total_rows"]) == ("march.csv", 2)


def test_the_same_key_and_file_answer_the_same_batch(client: Client) -> None:
    data = csv_file(rows_for(2))
    first = _keyed(client, data, "upload-1")
    again = _keyed(client, data, "upload-1")
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    other = _keyed(client, csv_file(rows_for(3)), "upload-1")
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"


def test_the_error_report_downloads_as_csv(client: Client, deps: Deps) -> None:
    rows = rows_for(3)
    rows[1] = a_row("LND-000002", loan_amount="lots")
    batch_id = _upload(client, csv_file(rows)).json()["id"]
    read_everything(deps, batch_id)
    report = client.get(f"{BATCHES}/{batch_id}/errors", headers=auth(Role.READONLY))
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/csv")
    assert "attachment" in report.headers["content-disposition"]
    lines = report.text.splitlines()
    assert lines[0] == "row,column,message"
    assert len(lines) >= 2
    assert all(line.startswith("2,") for line in lines[1:])
    assert "loan_amount" in report.text


def test_a_wrong_header_names_the_missing_and_unknown_columns(client: Client) -> None:
    header = [name for name in HEADER if name != "loan_amount"] + ["shoe_size"]
    response = _upload(client, csv_file(rows_for(1), header))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "loan_amount" in response.text
    assert "shoe_size" in response.text


def test_an_upload_past_the_limit_is_refused_naming_it(deps: Deps) -> None:
    limited = evolve(deps, settings=evolve(deps.settings, batches=BatchSettings(max_bytes=2_000)))
    big = csv_file(rows_for(20))
    with TestClient(app_for(limited)) as client:
        response = _upload(client, big)
        fits = _upload(client, csv_file(rows_for(1)))
        as_form = client.post(
            BATCHES,
            files={"file": ("big.csv", big * 40, "text/csv")},
            headers=auth(Role.API_CONSUMER),
        )
    assert fits.status_code == 202, fits.text
    assert as_form.status_code == 413, as_form.text
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "2,000 bytes" in response.json()["detail"]
    with deps.uow() as uow:
        assert [batch.id for batch in uow.batches.recent(TENANT, limit=10)] == [fits.json()["id"]]


def test_another_tenants_batch_is_not_found(client: Client) -> None:
    theirs = _upload(client, csv_file(rows_for(1)), headers=auth(Role.ADMIN, OTHER_TENANT))
    assert theirs.status_code == 202
    for path in (f"{BATCHES}/{theirs.json()['id']}", f"{BATCHES}/{theirs.json()['id']}/errors"):
        assert client.get(path, headers=auth(Role.ADMIN)).status_code == 404
    assert client.get(BATCHES, headers=auth(Role.ADMIN)).json()["items"] == []


def test_a_reader_may_not_upload(client: Client) -> None:
    assert _upload(client, csv_file(rows_for(1)), role=Role.READONLY).status_code == 403
