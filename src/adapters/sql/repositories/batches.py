"""CSV batches: the batch record, its chunks, and the per-row tables written in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.sql.errors import translated
from adapters.sql.records import from_record, to_record
from adapters.sql.schema import applications, batch_chunks, batch_errors, batch_rows, batches
from adapters.sql.transaction import Transaction
from domain.credit.batches import Batch, BatchChunk, RowError
from domain.credit.status import ApplicationStatus

_b = batches.c
_k = batch_chunks.c
_r = batch_rows.c
_e = batch_errors.c
_a = applications.c
_UNSETTLED = (ApplicationStatus.PENDING.value, ApplicationStatus.SCORING.value)


def to_row(batch: Batch) -> dict[str, Any]:
    return {
        "tenant_id": batch.tenant_id,
        "id": batch.id,
        "idempotency_key": batch.idempotency_key,
        "status": batch.status.value,
        "created_at": batch.created_at,
        "record": to_record(batch),
    }


def _chunk(row: Any) -> BatchChunk:
    return BatchChunk(
        tenant_id=row.tenant_id,
        batch_id=row.batch_id,
        first_row=row.first_row,
        last_row=row.last_row,
        offset=row.byte_offset,
        read=bool(row.done),
        accepted=row.accepted,
        scored=row.scored,
    )


def _chunk_row(chunk: BatchChunk) -> dict[str, Any]:
    return {
        "tenant_id": chunk.tenant_id,
        "batch_id": chunk.batch_id,
        "first_row": chunk.first_row,
        "last_row": chunk.last_row,
        "byte_offset": chunk.offset,
        "done": chunk.read,
        "accepted": chunk.accepted,
        "scored": chunk.scored,
    }


class SqlBatchRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, batch: Batch) -> None:
        self._db.insert_new(batches, to_row(batch), f"batch {batch.id}")

    def get(self, tenant_id: str, batch_id: str) -> Batch | None:
        statement = select(_b.record).where(_b.tenant_id == tenant_id, _b.id == batch_id)
        record = self._db.execute(statement).scalar_one_or_none()
        return None if record is None else from_record(record, Batch)

    def lock(self, tenant_id: str, batch_id: str) -> Batch | None:
        """`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the write lock of the database."""
        statement = select(_b.record).where(_b.tenant_id == tenant_id, _b.id == batch_id)
        if self._db.is_postgresql:
            statement = statement.with_for_update()
        record = self._db.write().execute(statement).scalar_one_or_none()
        return None if record is None else from_record(record, Batch)

    def by_idempotency_key(self, tenant_id: str, key: str) -> Batch | None:
        statement = select(_b.record).where(_b.tenant_id == tenant_id, _b.idempotency_key == key)
        record = self._db.execute(statement).scalar_one_or_none()
        return None if record is None else from_record(record, Batch)

    def update(self, batch: Batch) -> None:
        values = to_row(batch)
        del values["tenant_id"], values["id"]
        statement = (
            update(batches)
            .where(_b.tenant_id == batch.tenant_id, _b.id == batch.id)
            .values(**values)
        )
        self._db.update_existing(statement, f"batch {batch.id}")

    def recent(self, tenant_id: str, *, limit: int) -> list[Batch]:
        if limit <= 0:
            return []
        statement = (
            select(_b.record)
            .where(_b.tenant_id == tenant_id)
            .order_by(_b.created_at.desc(), _b.id.desc())
            .limit(limit)
        )
        return [from_record(record, Batch) for record in self._db.execute(statement).scalars()]

    def add_chunks(self, chunks: Sequence[BatchChunk]) -> None:
        self._db.insert_many_new(
            batch_chunks,
            [_chunk_row(chunk) for chunk in chunks],
            lambda row: f"rows from {row['first_row']} of batch {row['batch_id']}",
        )

    def chunk(self, tenant_id: str, batch_id: str, first_row: int) -> BatchChunk | None:
        return self._one_chunk(tenant_id, batch_id, _k.first_row == first_row)

    def chunk_at(self, tenant_id: str, batch_id: str, offset: int) -> BatchChunk | None:
        return self._one_chunk(tenant_id, batch_id, _k.byte_offset == offset)

    def _one_chunk(
        self, tenant_id: str, batch_id: str, condition: ColumnElement[bool]
    ) -> BatchChunk | None:
        statement = select(batch_chunks).where(
            _k.tenant_id == tenant_id, _k.batch_id == batch_id, condition
        )
        row = self._db.execute(statement).first()
        return None if row is None else _chunk(row)

    def update_chunk(self, chunk: BatchChunk) -> None:
        values = _chunk_row(chunk)
        for key in ("tenant_id", "batch_id", "first_row"):
            del values[key]
        statement = (
            update(batch_chunks)
            .where(
                _k.tenant_id == chunk.tenant_id,
                _k.batch_id == chunk.batch_id,
                _k.first_row == chunk.first_row,
            )
            .values(**values)
        )
        self._db.update_existing(statement, f"rows from {chunk.first_row} of {chunk.batch_id}")

    def add_rows(self, tenant_id: str, batch_id: str, rows: Sequence[tuple[int, str]]) -> None:
        values = [
            {
                "tenant_id": tenant_id,
                "batch_id": batch_id,
                "row_number": number,
                "application_id": application_id,
            }
            for number, application_id in rows
        ]
        self._db.insert_many_new(
            batch_rows, values, lambda row: f"row {row['row_number']} of batch {batch_id}"
        )

    def applications_in_rows(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[str]:
        statement = (
            select(_r.application_id)
            .where(
                _r.tenant_id == tenant_id,
                _r.batch_id == batch_id,
                _r.row_number.between(first_row, last_row),
            )
            .order_by(_r.row_number)
        )
        return [str(application_id) for application_id in self._db.execute(statement).scalars()]

    def count_settled(self, tenant_id: str, batch_id: str, first_row: int, last_row: int) -> int:
        statement = (
            select(func.count())
            .select_from(
                batch_rows.join(
                    applications, (_a.tenant_id == _r.tenant_id) & (_a.id == _r.application_id)
                )
            )
            .where(
                _r.tenant_id == tenant_id,
                _r.batch_id == batch_id,
                _r.row_number.between(first_row, last_row),
                _a.status.not_in(_UNSETTLED),
            )
        )
        return int(self._db.execute(statement).scalar_one())

    def add_errors(self, tenant_id: str, batch_id: str, errors: Sequence[RowError]) -> None:
        if not errors:
            return
        positions: dict[int, int] = {}
        values = []
        for error in errors:
            positions[error.row] = positions.get(error.row, 0) + 1
            values.append(
                {
                    "tenant_id": tenant_id,
                    "batch_id": batch_id,
                    "row_number": error.row,
                    "position": positions[error.row],
                    "column_name": error.column,
                    "message": error.message,
                }
            )
        try:
            self._db.write().execute(insert(batch_errors), values)
        except IntegrityError as error:
            raise translated(error, f"the problems of batch {batch_id}") from error

    def errors(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[RowError]:
        statement = (
            select(_e.row_number, _e.column_name, _e.message)
            .where(
                _e.tenant_id == tenant_id,
                _e.batch_id == batch_id,
                _e.row_number.between(first_row, last_row),
            )
            .order_by(_e.row_number, _e.position)
        )
        return [
            RowError(int(found.row_number), str(found.column_name), str(found.message))
            for found in self._db.execute(statement)
        ]
