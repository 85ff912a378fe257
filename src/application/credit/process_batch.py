"""Read one chunk of a CSV batch: its valid rows become applications, the others are reported.

The upload planned the batch's chunks and queued a `batch.process` job for each, naming the
byte offset where its rows start, so the chunks are read by as many workers as there are, in
any order. A job reads its chunk's rows, judges them by the domain's rules
(`domain.credit.batch_rows`) and, in one transaction, stores the chunk's applications (one
bulk write), which application each accepted row became, every problem of each rejected row,
the batch's new counts, one audit event for the chunk, and `batch.score` for the chunk's
accepted rows: they are scored together, never with one `application.score` job per row.
Parsing and validating happen before that transaction opens, so it is held only for the
writes; it takes the batch's lock first, so the chunks of one batch write their counts in turn.

Delivery is at least once, so the job is idempotent: a chunk already read is not read again,
and two deliveries at once take turns on the batch's lock, the second finding the chunk read.
A batch whose file is gone from the store, or corrupted there, fails, with the reason; a store
that does not answer is an error the job is retried for.
"""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from application.credit.batch_files import BatchFiles
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.errors import NotFound
from application.ports import Clock, IdGenerator, ObjectCorrupted, ObjectNotFound
from domain.credit.application import Application
from domain.credit.batch_rows import ReadRows, read_rows
from domain.credit.batches import Batch, BatchChunk, BatchStatus, chunk_read, failed
from domain.credit.csv_layout import HeaderMismatch
from domain.credit.status import ApplicationStatus
from domain.credit.validation import FormLimits
from domain.identity import Permission, Principal, authorize


class ChunkMismatch(Exception):
    """The stored file no longer splits into the rows its chunk was planned with."""


@frozen
class ProcessBatch:
    uow: UnitOfWork
    files: BatchFiles
    clock: Clock
    ids: IdGenerator
    limits: FormLimits = field(factory=FormLimits)

    def __call__(self, principal: Principal, batch_id: str, offset: int) -> Batch:
        authorize(principal, Permission.APPLICATION_CREATE)
        with self.uow:
            batch, chunk = self._find(principal.tenant_id, batch_id, offset, lock=False)
        if batch.status.is_final or chunk.read:
            return batch
        now = self.clock.now()
        try:
            read = self._read(batch, chunk, now)
        except (ObjectNotFound, ObjectCorrupted, HeaderMismatch, ChunkMismatch) as error:
            return self._fail(principal, batch_id, str(error), now)
        with self.uow:
            batch, chunk = self._find(principal.tenant_id, batch_id, offset, lock=True)
            if batch.status.is_final or chunk.read:
                return batch
            external_ids = [form.external_id for _row, form in read.forms]
            taken = self.uow.applications.ids_by_external_id(batch.tenant_id, external_ids)
            batch = self._store(principal, batch, chunk, read.with_taken(taken), now)
            self.uow.commit()
        return batch

    def _find(
        self, tenant_id: str, batch_id: str, offset: int, *, lock: bool
    ) -> tuple[Batch, BatchChunk]:
        """The batch (locked if asked) and its chunk at `offset`, in the open unit of work."""
        batches = self.uow.batches
        batch = batches.lock(tenant_id, batch_id) if lock else batches.get(tenant_id, batch_id)
        if batch is None:
            raise NotFound("batch", batch_id)
        chunk = batches.chunk_at(tenant_id, batch_id, offset)
        if chunk is None:
            raise NotFound("chunk of batch", f"{batch_id} at byte {offset}")
        return batch, chunk

    def _read(self, batch: Batch, chunk: BatchChunk, now: datetime) -> ReadRows:
        read = read_rows(
            self.files.read(batch.object_key),
            chunk.offset,
            first_row=chunk.first_row,
            limit=chunk.rows,
            today=now.date(),
            limits=self.limits,
        )
        if read.rows != chunk.rows:
            raise ChunkMismatch(
                f"rows {chunk.first_row}-{chunk.last_row} were planned at byte {chunk.offset}, "
                f"but {read.rows} rows are there"
            )
        return read

    def _store(
        self, principal: Principal, batch: Batch, chunk: BatchChunk, read: ReadRows, now: datetime
    ) -> Batch:
        tenant_id = batch.tenant_id
        created = [
            (row, Application(self.ids.new_id(), tenant_id, form, ApplicationStatus.PENDING, now))
            for row, form in read.forms
        ]
        self.uow.applications.add_many([application for _row, application in created])
        self.uow.batches.add_rows(
            tenant_id, batch.id, [(row, application.id) for row, application in created]
        )
        self.uow.batches.add_errors(tenant_id, batch.id, read.errors)
        moved, chunk = chunk_read(batch, chunk, accepted=read.accepted, now=now)
        self.uow.batches.update_chunk(chunk)
        self.uow.batches.update(moved)
        journal = Journal.of(self.uow, principal, now)
        journal.audit(
            "batch.rows_read",
            "batch",
            batch.id,
            new={
                "first_row": chunk.first_row,
                "last_row": chunk.last_row,
                "accepted": read.accepted,
                "rejected": read.rejected,
            },
        )
        if read.accepted:
            payload: dict[str, str | int] = {
                "batch_id": batch.id,
                "first_row": chunk.first_row,
                "last_row": chunk.last_row,
            }
            journal.emit(self.ids, Topic.SCORE_BATCH, payload)
        if moved.status is BatchStatus.COMPLETED:
            journal.audit("batch.completed", "batch", batch.id, new=moved.counts())
            journal.emit(self.ids, Topic.BATCH_COMPLETED, {"batch_id": batch.id})
        return moved

    def _fail(self, principal: Principal, batch_id: str, reason: str, now: datetime) -> Batch:
        with self.uow:
            batch = self.uow.batches.lock(principal.tenant_id, batch_id)
            if batch is None:
                raise NotFound("batch", batch_id)
            if batch.status.is_final:
                return batch
            given_up = failed(batch, reason, now)
            self.uow.batches.update(given_up)
            Journal.of(self.uow, principal, now).audit(
                "batch.failed", "batch", batch_id, new={"reason": reason, **given_up.counts()}
            )
            self.uow.commit()
        return given_up
