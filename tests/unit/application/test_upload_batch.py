"""Uploading a CSV batch: a file that cannot be read is refused before anything is stored; a
good one is stored by content, recorded with its first job, and idempotent per key."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from application.credit.recording import Topic
from application.credit.upload_batch import BatchTooLarge
from application.errors import IdempotencyKeyReused
from domain.credit.batches import BatchStatus
from domain.credit.csv_layout import HeaderMismatch
from domain.credit.csv_reading import UnreadableFile
from domain.errors import PermissionDenied, ValidationFailed
from tests.batch_builders import HEADER, a_row, csv_file, rows_for
from tests.builders import TENANT
from tests.unit.application.batch_desk import BatchDesk
from tests.unit.application.helpers import ANALYST, LENDER

LATIN_1 = csv_file([a_row(first_name="José", last_name="Mar")]).decode().encode("latin-1")


@pytest.fixture
def desk() -> BatchDesk:
    return BatchDesk(max_bytes=4_000)


def test_an_upload_stores_the_file_by_content_and_queues_its_first_chunk(desk: BatchDesk) -> None:
    data = csv_file(rows_for(2), bom=True)
    uploaded = desk.upload(data)
    batch = uploaded.batch
    digest = hashlib.sha256(data).hexdigest()
    assert uploaded.created
    assert (batch.object_key, batch.sha256, batch.size) == (
        f"{TENANT}/batches/{digest}.csv",
        digest,
        len(data),
    )
    assert desk.store.get(batch.object_key) == data
    assert (batch.status, batch.uploaded_by) == (BatchStatus.PENDING, LENDER.user_id)
    (message,) = desk.pending()
    first_row = data.index(b"\r\n") + 2
    assert (message.topic, message.payload) == (
        Topic.PROCESS_BATCH,
        {"batch_id": batch.id, "offset": first_row},
    )
    assert [event.action for event in desk.events()] == ["batch.uploaded"]


def test_the_same_key_and_content_is_the_same_batch(desk: BatchDesk) -> None:
    data = csv_file(rows_for(2))
    first = desk.upload(data, key="march-1")
    again = desk.upload(data, key="march-1")
    assert not again.created
    assert again.batch == first.batch
    assert len(desk.pending()) == 1
    assert len(desk.list_batches(LENDER)) == 1


def test_the_same_key_with_other_content_is_a_conflict_naming_the_key(desk: BatchDesk) -> None:
    desk.upload(csv_file(rows_for(2)), key="march-1")
    with pytest.raises(IdempotencyKeyReused, match="'march-1'"):
        desk.upload(csv_file(rows_for(3)), key="march-1")


def test_the_same_file_without_a_key_is_a_new_batch_each_time(desk: BatchDesk) -> None:
    data = csv_file(rows_for(1))
    assert desk.upload(data).batch.id != desk.upload(data).batch.id


def test_a_header_without_rows_is_a_completed_batch_with_nothing_to_read(desk: BatchDesk) -> None:
    batch = desk.upload(csv_file([])).batch
    assert (batch.status, batch.rows_read) == (BatchStatus.COMPLETED, 0)
    assert [(m.topic, m.payload) for m in desk.pending({Topic.BATCH_COMPLETED})] == [
        (Topic.BATCH_COMPLETED, {"batch_id": batch.id})
    ]


@pytest.mark.parametrize(
    ("data", "refusal", "message"),
    [
        (b"", UnreadableFile, "is empty"),
        ("external_id,…\n".encode("utf-16"), UnreadableFile, "is UTF-16"),
        (LATIN_1, UnreadableFile, "is not UTF-8: byte 0xe9"),
        (csv_file([a_row()], [*HEADER[1:], "amount"]), HeaderMismatch,
         "missing columns: external_id; header: unknown columns: amount"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_stored(
    desk: BatchDesk, data: bytes, refusal: type[ValidationFailed], message: str
) -> None:
    before = desk.stored()
    with pytest.raises(refusal, match=message):
        desk.upload(data)
    assert desk.stored() == before
    assert desk.store.keys("") == []


def test_an_upload_over_the_limit_stops_reading_just_past_it(desk: BatchDesk) -> None:
    handed_out: list[int] = []

    def endless() -> Iterator[bytes]:
        yield csv_file([])
        while True:
            handed_out.append(1)
            yield csv_file([a_row()]).split(b"\r\n", 1)[1]

    with pytest.raises(BatchTooLarge, match=r"is larger than the limit of 4,000 bytes"):
        desk.upload_batch(LENDER, endless())
    row_size = len(csv_file([a_row()]).split(b"\r\n", 1)[1])
    assert len(handed_out) <= 4_000 // row_size + 1
    assert desk.store.keys("") == []


def test_uploading_needs_the_permission_to_create_applications(desk: BatchDesk) -> None:
    with pytest.raises(PermissionDenied):
        desk.upload_batch(ANALYST, [csv_file(rows_for(1))])


def test_a_blank_idempotency_key_is_refused(desk: BatchDesk) -> None:
    with pytest.raises(ValidationFailed, match="idempotency_key"):
        desk.upload(csv_file(rows_for(1)), key=" ")
