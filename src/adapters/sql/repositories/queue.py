"""The analyst queue: entries, the workload count, the locked read, lists and the summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update

from adapters.sql import paging
from adapters.sql.records import from_record, to_record
from adapters.sql.schema import queue_entries as table
from adapters.sql.transaction import Transaction
from application.credit.queries import (
    Cursor,
    Page,
    PriorityBandBounds,
    QueueCounts,
    QueueQuery,
    QueueSort,
)
from domain.credit.queue import QueueEntry, QueueStatus
from domain.errors import Problem, ValidationFailed

_c = table.c
_COMPLETED = QueueStatus.COMPLETED.value
_ACTIVE = (QueueStatus.ASSIGNED.value, QueueStatus.IN_PROGRESS.value)
_SORT_COLUMNS = {
    QueueSort.PRIORITY: _c.priority,
    QueueSort.CREATED_AT: _c.entered_at,
    QueueSort.SLA_DEADLINE: _c.sla_deadline,
}


def to_row(entry: QueueEntry) -> dict[str, Any]:
    return {
        "tenant_id": entry.tenant_id,
        "id": entry.id,
        "application_id": entry.application_id,
        "status": entry.status.value,
        "priority": entry.priority,
        "analyst_id": entry.analyst_id,
        "amount": entry.amount,
        "entered_at": entry.entered_at,
        "sla_deadline": entry.sla_deadline,
        "sla_warned_at": entry.sla_warned_at,
        "sla_breached_at": entry.sla_breached_at,
        "escalated_to": entry.escalated_to,
        "record": to_record(entry),
    }


def _cursor_of(sort: QueueSort, entry: QueueEntry) -> Cursor:
    if sort is QueueSort.PRIORITY:
        return Cursor(float(entry.priority), entry.id)
    moment = entry.entered_at if sort is QueueSort.CREATED_AT else entry.sla_deadline
    return Cursor(moment.isoformat(), entry.id)


def _cursor_value(sort: QueueSort, value: str | float | None) -> Any:
    if sort is QueueSort.PRIORITY and isinstance(value, int | float):
        return int(value)
    if sort is not QueueSort.PRIORITY and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.utcoffset() is not None:
            return moment
    raise ValidationFailed((Problem("cursor", "does not fit this sort"),))


def _count(condition: ColumnElement[bool]) -> Any:
    """COUNT(*) FILTER (WHERE condition): one pass over the open queue for every figure."""
    return func.count().filter(condition)


class SqlQueueRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, entry: QueueEntry) -> None:
        what = f"queue entry {entry.id} (or an open entry of {entry.application_id})"
        self._db.insert_new(table, to_row(entry), what)

    def add_many(self, entries: Sequence[QueueEntry]) -> None:
        self._db.insert_many_new(
            table,
            [to_row(entry) for entry in entries],
            lambda row: f"queue entry {row['id']} (or an open entry of {row['application_id']})",
        )

    def get(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        return self._one(_c.tenant_id == tenant_id, _c.id == entry_id)

    def update(self, entry: QueueEntry) -> None:
        values = to_row(entry)
        del values["tenant_id"], values["id"]
        statement = (
            update(table).where(_c.tenant_id == entry.tenant_id, _c.id == entry.id).values(**values)
        )
        self._db.update_existing(statement, f"queue entry {entry.id}")

    def open_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        return self._one(
            _c.tenant_id == tenant_id, _c.application_id == application_id, _c.status != _COMPLETED
        )

    def latest_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        record = self._db.execute(
            select(_c.record)
            .where(_c.tenant_id == tenant_id, _c.application_id == application_id)
            .order_by(_c.entered_at.desc(), _c.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, QueueEntry)

    def active_count(self, tenant_id: str, analyst_id: str) -> int:
        count: int = self._db.execute(
            select(func.count()).where(
                _c.tenant_id == tenant_id, _c.analyst_id == analyst_id, _c.status.in_(_ACTIVE)
            )
        ).scalar_one()
        return count

    def lock(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        """`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the write lock of the whole database,
        which the unit of work takes before reading (see `Transaction.write`)."""
        statement = select(_c.record).where(_c.tenant_id == tenant_id, _c.id == entry_id)
        if self._db.is_postgresql:
            statement = statement.with_for_update()
        record = self._db.write().execute(statement).scalar_one_or_none()
        return None if record is None else from_record(record, QueueEntry)

    def search(self, tenant_id: str, query: QueueQuery) -> Page[QueueEntry]:
        conditions = [_c.tenant_id == tenant_id]
        if not query.include_completed:
            conditions.append(_c.status != _COMPLETED)
        if query.statuses:
            conditions.append(_c.status.in_(sorted(s.value for s in query.statuses)))
        if query.analyst_id is not None:
            conditions.append(_c.analyst_id == query.analyst_id)
        if query.max_priority is not None:
            conditions.append(_c.priority <= query.max_priority)
        counted = self._db.execute(
            paging.capped_count(conditions, query.count_limit + 1)
        ).scalar_one()
        total, exact = paging.total_of(int(counted), query.count_limit)
        column = _SORT_COLUMNS[query.sort]
        statement = select(_c.record).where(*conditions)
        if query.cursor is not None:
            value = _cursor_value(query.sort, query.cursor.value)
            statement = statement.where(
                paging.after(query.order, column, _c.id, value, query.cursor.id)
            )
        else:
            statement = statement.offset(paging.offset(query.page, query.page_size))
        statement = statement.order_by(*paging.order_by(query.order, column, _c.id))
        records = self._db.execute(statement.limit(query.page_size + 1)).scalars().all()
        items = tuple(from_record(record, QueueEntry) for record in records[: query.page_size])
        more = len(records) > query.page_size
        next_cursor = _cursor_of(query.sort, items[-1]) if more else None
        return Page(items, total, next_cursor, total_exact=exact)

    def counts(
        self,
        tenant_id: str,
        *,
        now: datetime,
        approaching_before: datetime,
        bands: PriorityBandBounds,
    ) -> QueueCounts:
        row = self._db.execute(
            select(
                _count(_c.status == QueueStatus.PENDING.value).label("pending"),
                _count(_c.status == QueueStatus.ASSIGNED.value).label("assigned"),
                _count(_c.status == QueueStatus.IN_PROGRESS.value).label("in_progress"),
                _count(and_(_c.sla_deadline > now, _c.sla_deadline < approaching_before)).label(
                    "approaching_sla"
                ),
                _count(_c.sla_deadline <= now).label("breached_sla"),
                _count(_c.priority <= bands.high_max).label("high"),
                _count(and_(_c.priority > bands.high_max, _c.priority <= bands.medium_max)).label(
                    "medium"
                ),
                _count(_c.priority > bands.medium_max).label("low"),
            ).where(_c.tenant_id == tenant_id, _c.status != _COMPLETED)
        ).one()
        return QueueCounts(**{name: int(value) for name, value in row._asdict().items()})

    def sla_due(
        self, tenant_id: str, *, now: datetime, warn_before: datetime, limit: int
    ) -> list[QueueEntry]:
        """A range of the partial index `ix_queue_entries_sla_watch`: open, not breached."""
        return self._entries(
            select(_c.record)
            .where(
                _c.tenant_id == tenant_id,
                _c.status != _COMPLETED,
                _c.sla_breached_at.is_(None),
                _c.sla_deadline < warn_before,
                or_(_c.sla_deadline <= now, _c.sla_warned_at.is_(None)),
            )
            .order_by(_c.sla_deadline, _c.id)
            .limit(max(limit, 0))
        )

    def pending_due(self, tenant_id: str, *, before: datetime, limit: int) -> list[QueueEntry]:
        return self._entries(
            select(_c.record)
            .where(
                _c.tenant_id == tenant_id,
                _c.status == QueueStatus.PENDING.value,
                _c.sla_deadline <= before,
            )
            .order_by(_c.sla_deadline, _c.id)
            .limit(max(limit, 0))
        )

    def active_counts(self, tenant_id: str) -> dict[str, int]:
        rows = self._db.execute(
            select(_c.analyst_id, func.count().label("held"))
            .where(_c.tenant_id == tenant_id, _c.status.in_(_ACTIVE), _c.analyst_id.is_not(None))
            .group_by(_c.analyst_id)
        )
        return {str(row.analyst_id): int(row.held) for row in rows}

    def _entries(self, statement: Select[tuple[Any]]) -> list[QueueEntry]:
        return [from_record(r, QueueEntry) for r in self._db.execute(statement).scalars()]

    def _one(self, *conditions: ColumnElement[bool]) -> QueueEntry | None:
        record = self._db.execute(select(_c.record).where(*conditions)).scalar_one_or_none()
        return None if record is None else from_record(record, QueueEntry)
