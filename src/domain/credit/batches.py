"""A CSV batch of applications: its file, its progress, and the rules progress follows.

A batch is read in chunks of rows, planned when it is uploaded (where each chunk starts in the
file, and which rows it holds), so that the chunks can be read by several workers at once and
in any order. The rows a chunk reads are either accepted (an application is created) or
rejected (their problems go into the error report), so `accepted + rejected == rows_read`
holds after every step; a `Batch` that breaks it cannot even be built. Accepted rows are then
scored a chunk at a time. A batch is completed when every row is read and every accepted row
scored; it fails only when its file cannot be read at all any more (gone from the store, or
corrupted there).

Rows are numbered from 1 in the order of the file's records; the header is not a row, and
neither is a blank line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from attrs import evolve, field, frozen

from domain.errors import DomainError, IllegalTransition


class BatchStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        return self in (BatchStatus.COMPLETED, BatchStatus.FAILED)


class BatchProgressError(DomainError):
    """A step that would make a batch's counts or its read position inconsistent."""


@frozen
class RowError:
    """One problem of one rejected row: the report a lender fixes the file from."""

    row: int
    column: str
    message: str


def _consistent(batch: Batch, _attribute: Any, _value: Any) -> None:
    if min(batch.rows_read, batch.accepted, batch.rejected, batch.scored) < 0:
        raise BatchProgressError("a batch's counts cannot be negative")
    if batch.accepted + batch.rejected != batch.rows_read:
        raise BatchProgressError(
            f"accepted ({batch.accepted}) and rejected ({batch.rejected}) rows must add up "
            f"to the rows read ({batch.rows_read})"
        )
    if batch.scored > batch.accepted:
        raise BatchProgressError("a batch cannot have more rows scored than accepted")
    if batch.rows_read > batch.total_rows:
        raise BatchProgressError(f"a batch of {batch.total_rows} rows cannot read more")


@frozen
class Batch:
    """An uploaded file of `total_rows` rows, and how far creditdesk got with it.

    `object_key` names the stored file and `sha256` its content, which with the tenant's
    `idempotency_key` tells a repeated upload from a new one.
    """

    id: str
    tenant_id: str
    file_name: str
    object_key: str
    sha256: str
    size: int
    uploaded_by: str
    created_at: datetime
    total_rows: int
    status: BatchStatus = BatchStatus.PENDING
    rows_read: int = 0
    accepted: int = 0
    rejected: int = 0
    scored: int = field(default=0, validator=_consistent)
    idempotency_key: str | None = None
    completed_at: datetime | None = None
    failure: str | None = None

    @property
    def all_read(self) -> bool:
        return self.rows_read >= self.total_rows

    def counts(self) -> dict[str, int]:
        """The progress a person polls for, by name."""
        return {
            "total_rows": self.total_rows,
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "scored": self.scored,
        }


@frozen
class BatchChunk:
    """Rows `first_row` to `last_row`, starting at byte `offset` of the file: read by one job
    (`read`), of which `accepted` became applications and `scored` of those are scored so far.
    """

    tenant_id: str
    batch_id: str
    first_row: int
    last_row: int
    offset: int
    read: bool = False
    accepted: int = 0
    scored: int = 0

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1


def plan_chunks(
    tenant_id: str, batch_id: str, starts: Sequence[tuple[int, int]]
) -> tuple[BatchChunk, ...]:
    """The chunks of a file whose chunks start at these (byte offset, rows) pairs, in order."""
    chunks: list[BatchChunk] = []
    first = 1
    for offset, rows in starts:
        if rows < 1:
            raise BatchProgressError("a chunk holds at least one row")
        chunks.append(BatchChunk(tenant_id, batch_id, first, first + rows - 1, offset))
        first += rows
    return tuple(chunks)


def _settled(batch: Batch, now: datetime) -> Batch:
    """Completed once every row is read and every accepted row scored; unchanged otherwise."""
    if batch.status.is_final or not batch.all_read or batch.scored != batch.accepted:
        return batch
    return evolve(batch, status=BatchStatus.COMPLETED, completed_at=now)


def new_batch(
    *,
    batch_id: str,
    tenant_id: str,
    file_name: str,
    object_key: str,
    sha256: str,
    size: int,
    uploaded_by: str,
    total_rows: int,
    now: datetime,
    idempotency_key: str | None = None,
) -> Batch:
    """A batch waiting to be read; a file with a header and no rows is complete at once."""
    batch = Batch(
        id=batch_id,
        tenant_id=tenant_id,
        file_name=file_name,
        object_key=object_key,
        sha256=sha256,
        size=size,
        uploaded_by=uploaded_by,
        created_at=now,
        total_rows=total_rows,
        idempotency_key=idempotency_key,
    )
    return _settled(batch, now)


def _of(batch: Batch, chunk: BatchChunk) -> None:
    if chunk.batch_id != batch.id or chunk.tenant_id != batch.tenant_id:
        raise BatchProgressError(f"rows {chunk.first_row}-{chunk.last_row} are not of {batch.id}")


def chunk_read(
    batch: Batch, chunk: BatchChunk, *, accepted: int, now: datetime
) -> tuple[Batch, BatchChunk]:
    """The batch and chunk once the chunk's rows are read: `accepted` of them became
    applications, the others were rejected. A chunk is read once."""
    _of(batch, chunk)
    if batch.status.is_final:
        raise IllegalTransition(f"batch {batch.id} is {batch.status}: nothing more is read")
    if chunk.read:
        raise IllegalTransition(f"rows {chunk.first_row}-{chunk.last_row} are read already")
    if not 0 <= accepted <= chunk.rows:
        raise BatchProgressError(f"{chunk.rows} rows cannot have {accepted} accepted")
    moved = evolve(
        batch,
        status=BatchStatus.PROCESSING,
        rows_read=batch.rows_read + chunk.rows,
        accepted=batch.accepted + accepted,
        rejected=batch.rejected + chunk.rows - accepted,
    )
    return _settled(moved, now), evolve(chunk, read=True, accepted=accepted)


def chunk_scored(
    batch: Batch, chunk: BatchChunk, scored: int, now: datetime
) -> tuple[Batch, BatchChunk]:
    """The batch and chunk once `scored` of the chunk's accepted rows are scored.

    `scored` is a count, not an increment, so reporting the same count twice changes nothing:
    the job that scores a chunk may run more than once. A scored row stays scored, so a count
    never goes back: a lower one (read before a later count was stored) changes nothing either.
    """
    _of(batch, chunk)
    if not chunk.read or not 0 <= scored <= chunk.accepted:
        raise BatchProgressError(
            f"rows {chunk.first_row}-{chunk.last_row} have {chunk.accepted} accepted rows, "
            f"so {scored} cannot be scored"
        )
    if scored <= chunk.scored:
        return batch, chunk
    counted = evolve(batch, scored=batch.scored - chunk.scored + scored)
    return _settled(counted, now), evolve(chunk, scored=scored)


def failed(batch: Batch, reason: str, now: datetime) -> Batch:
    """The batch given up on: its file cannot be read any more."""
    if batch.status is BatchStatus.COMPLETED:
        raise IllegalTransition(f"batch {batch.id} is completed and cannot fail")
    return evolve(batch, status=BatchStatus.FAILED, failure=reason, completed_at=now)
