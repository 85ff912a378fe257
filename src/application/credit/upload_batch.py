"""Upload a CSV batch of applications: checked, stored, and queued to be read in chunks.

The file arrives as a stream of pieces of bytes and is counted as it comes: past the size limit
the upload stops reading and refuses it, naming the limit, so an oversized file never sits
whole in memory. Before anything is stored the whole file must be UTF-8 (a byte order mark is
allowed) and its header must fit the layout (`domain.credit.csv_layout`): a file that cannot
be read at all is refused at once, with every missing and unknown column named, rather than
turned into a batch whose every row fails. Rows themselves are judged later, by the chunk jobs:
the upload only splits the file into chunks of `chunk_rows` rows (one quick pass of the csv
module), so that every chunk can be read by its own job, several at once.

The file is stored under a key made of its SHA-256, so the same content is stored once per
tenant. Uploads are idempotent per tenant and idempotency key: the same key with the same
content returns the batch the first upload created; with different content it is a conflict
naming the key. The batch, its chunks, its audit event and a `batch.process` job per chunk
(naming the byte offset the chunk starts at) are written in one transaction. A header with no
rows is a completed batch of 0 rows; an empty file is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from attrs import field, frozen, validators

from application.credit.batch_files import batch_object_key
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.submit_application import idempotency_key_problems
from application.errors import IdempotencyKeyReused
from application.ports import AlreadyExists, Clock, IdGenerator, ObjectStore
from domain.credit.batches import Batch, BatchChunk, BatchStatus, new_batch, plan_chunks
from domain.credit.csv_layout import layout_of
from domain.credit.csv_reading import check_encoding, chunk_starts, read_header
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

#: The default limit of an upload's size: 50 MiB.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Rows per chunk (one job each), unless configured otherwise (CREDITDESK_BATCH_CHUNK_ROWS).
DEFAULT_CHUNK_ROWS = 1_000
CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_FILE_NAME = 200


class BatchTooLarge(ValidationFailed):
    """The upload went past the size limit; reading stopped there."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        size = f"{limit:,} bytes"
        if limit >= 1024 * 1024:
            size = f"{limit / 1024 / 1024:.1f} MiB ({size})"
        super().__init__((Problem("file", f"is larger than the limit of {size}"),))


@frozen
class Uploaded:
    """The batch, and whether this upload created it (or found the one its key made)."""

    batch: Batch
    created: bool


def read_limited(pieces: Iterable[bytes], limit: int) -> bytes:
    """The stream's bytes; `BatchTooLarge` as soon as more than `limit` have come."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) > limit:
            raise BatchTooLarge(limit)
    return bytes(buffer)


@frozen
class UploadBatch:
    uow: UnitOfWork
    store: ObjectStore
    clock: Clock
    ids: IdGenerator
    max_bytes: int = field(default=DEFAULT_MAX_BYTES, validator=validators.ge(1))
    chunk_rows: int = field(default=DEFAULT_CHUNK_ROWS, validator=validators.ge(1))

    def __call__(
        self,
        principal: Principal,
        pieces: Iterable[bytes],
        *,
        idempotency_key: str | None = None,
        file_name: str = "batch.csv",
    ) -> Uploaded:
        authorize(principal, Permission.APPLICATION_CREATE)
        found = idempotency_key_problems(idempotency_key)
        if found:
            raise ValidationFailed(found)
        data = read_limited(pieces, self.max_bytes)
        check_encoding(data)
        header, first_row_offset = read_header(data)
        layout_of(header)
        starts = chunk_starts(data, first_row_offset, self.chunk_rows)
        digest = hashlib.sha256(data).hexdigest()
        if idempotency_key is not None:
            earlier = self._replay(principal.tenant_id, idempotency_key, digest)
            if earlier is not None:
                return Uploaded(earlier, created=False)
        stored = self.store.put(batch_object_key(principal.tenant_id, digest), data, CONTENT_TYPE)
        batch = new_batch(
            batch_id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            file_name=file_name.strip()[-MAX_FILE_NAME:] or "batch.csv",
            object_key=stored.key,
            sha256=stored.sha256,
            size=stored.size,
            uploaded_by=principal.user_id,
            total_rows=sum(rows for _offset, rows in starts),
            now=self.clock.now(),
            idempotency_key=idempotency_key,
        )
        try:
            plan = plan_chunks(batch.tenant_id, batch.id, starts)
            return Uploaded(self._create(principal, batch, plan), created=True)
        except AlreadyExists:  # another upload with the same key committed first
            if idempotency_key is None:
                raise
            earlier = self._replay(principal.tenant_id, idempotency_key, digest)
            if earlier is None:
                raise
            return Uploaded(earlier, created=False)

    def _replay(self, tenant_id: str, key: str, digest: str) -> Batch | None:
        with self.uow:
            earlier = self.uow.batches.by_idempotency_key(tenant_id, key)
        if earlier is not None and earlier.sha256 != digest:
            raise IdempotencyKeyReused(key)
        return earlier

    def _create(self, principal: Principal, batch: Batch, chunks: Sequence[BatchChunk]) -> Batch:
        with self.uow:
            self.uow.batches.add(batch)
            self.uow.batches.add_chunks(chunks)
            journal = Journal.of(self.uow, principal, batch.created_at)
            journal.audit(
                "batch.uploaded",
                "batch",
                batch.id,
                new={
                    "file_name": batch.file_name,
                    "size": batch.size,
                    "sha256": batch.sha256,
                    "rows": batch.total_rows,
                },
            )
            if batch.status is BatchStatus.COMPLETED:
                journal.emit(self.ids, Topic.BATCH_COMPLETED, {"batch_id": batch.id})
            self.uow.outbox.add_many(
                [
                    journal.message(
                        self.ids, Topic.PROCESS_BATCH, {"batch_id": batch.id, "offset": c.offset}
                    )
                    for c in chunks
                ]
            )
            self.uow.commit()
        return batch
