"""The audit chain, the outbox and the idempotency keys."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update

from adapters.sql import paging
from adapters.sql.records import from_record, to_record
from adapters.sql.schema import audit_events, idempotency_keys, outbox_messages
from adapters.sql.transaction import Transaction
from application.credit.ports import IdempotencyRecord, OutboxMessage
from application.credit.queries import AuditQuery, Page
from application.ports import AlreadyExists
from domain.audit import AuditEvent, ChainAnchor, ChainMismatch

_e = audit_events.c
_o = outbox_messages.c
_k = idempotency_keys.c

_TENANT = bindparam("tenant_id", type_=_e.tenant_id.type)
#: The newest event of a tenant, and only its sequence and hash (statements built once).
_HEAD_RECORD = (
    select(_e.record).where(_e.tenant_id == _TENANT).order_by(_e.sequence.desc()).limit(1)
)
_HEAD_LINK = (
    select(_e.sequence, _e.hash)
    .where(_e.tenant_id == _TENANT)
    .order_by(_e.sequence.desc())
    .limit(1)
)


class SqlAuditLog:
    """Appends check the head; the primary key (tenant_id, sequence) settles races.

    Every change of a tenant appends to its one chain, so concurrent writers of a tenant (the
    workers scoring its applications, say) would keep losing to each other. Reading the head to
    append (`for_append`) therefore takes the tenant's chain lock for the rest of the
    transaction: on PostgreSQL a
    transaction-level advisory lock keyed by the tenant, on SQLite the database's write lock.
    Writers of one tenant then take turns instead of failing, and writers of different
    tenants do not wait for each other on PostgreSQL. Should two units of work still append at
    the same head, only one row can take the next sequence number and the other gets
    `ChainMismatch`.

    A writer reads the head holding the chain (`anchor` or `head` with `for_append`), builds
    the next event from it and appends it. The append checks the event against that head, kept
    from the read, rather than reading it again: no writer that takes the chain appends while
    it is held, one that does not loses on the primary key as above, and the head is kept for
    the transaction it was read in only (after a commit or rollback the append reads it anew).
    """

    def __init__(self, db: Transaction) -> None:
        self._db = db
        #: Per tenant: the head read holding its chain, and the transaction that holds it.
        self._held: dict[str, tuple[object, ChainAnchor]] = {}

    def _lock_chain(self, tenant_id: str) -> None:
        connection = self._db.write()
        if not self._db.is_sqlite:
            key = int.from_bytes(
                hashlib.sha256(tenant_id.encode()).digest()[:8], "big", signed=True
            )
            connection.execute(select(func.pg_advisory_xact_lock(key)))

    def append(self, event: AuditEvent) -> None:
        self._db.write()
        head = self._head_to_follow(event.tenant_id)
        if (event.sequence, event.previous_hash) != (head.last_sequence + 1, head.last_hash):
            raise ChainMismatch(self._mismatch(event))
        try:
            self._db.insert_new(audit_events, _event_row(event), f"audit event {event.sequence}")
        except AlreadyExists:
            raise ChainMismatch(self._mismatch(event)) from None

    def append_many(self, events: Sequence[AuditEvent]) -> None:
        """Each event checked against the one before it in its tenant's chain (the head, read
        once per tenant), then one INSERT for them all."""
        if not events:
            return
        self._db.write()
        heads: dict[str, tuple[int, str]] = {}
        for event in events:
            if event.tenant_id not in heads:
                head = self._head_to_follow(event.tenant_id)
                heads[event.tenant_id] = (head.last_sequence, head.last_hash)
            sequence, last_hash = heads[event.tenant_id]
            if (event.sequence, event.previous_hash) != (sequence + 1, last_hash):
                raise ChainMismatch(self._mismatch(event))
            heads[event.tenant_id] = (event.sequence, event.hash)
        rows = [_event_row(event) for event in events]
        try:
            self._db.insert_many_new(
                audit_events, rows, lambda row: f"audit event {row['sequence']}"
            )
        except AlreadyExists:
            raise ChainMismatch(self._mismatch(events[0])) from None

    def head(self, tenant_id: str, *, for_append: bool = False) -> AuditEvent | None:
        if for_append:
            self._lock_chain(tenant_id)
        record = self._db.execute(_HEAD_RECORD, {"tenant_id": tenant_id}).scalar_one_or_none()
        event = None if record is None else from_record(record, AuditEvent)
        if for_append:
            anchor = ChainAnchor.empty(tenant_id) if event is None else ChainAnchor.at(event)
            self._hold(anchor)
        return event

    def anchor(self, tenant_id: str, *, for_append: bool = False) -> ChainAnchor:
        if for_append:
            self._lock_chain(tenant_id)
        found = self._db.execute(_HEAD_LINK, {"tenant_id": tenant_id}).first()
        anchor = (
            ChainAnchor.empty(tenant_id)
            if found is None
            else ChainAnchor(tenant_id, int(found.sequence), str(found.hash))
        )
        if for_append:
            self._hold(anchor)
        return anchor

    def _hold(self, anchor: ChainAnchor) -> None:
        self._held[anchor.tenant_id] = (self._db.connection.get_transaction(), anchor)

    def _head_to_follow(self, tenant_id: str) -> ChainAnchor:
        """The head read holding the chain in this transaction (used once), else read now."""
        held = self._held.pop(tenant_id, None)
        if held is not None and held[0] is self._db.connection.get_transaction():
            return held[1]
        return self.anchor(tenant_id)

    def events(self, tenant_id: str) -> list[AuditEvent]:
        records = self._db.execute(
            select(_e.record).where(_e.tenant_id == tenant_id).order_by(_e.sequence)
        ).scalars()
        return [from_record(record, AuditEvent) for record in records]

    def query(self, tenant_id: str, query: AuditQuery) -> Page[AuditEvent]:
        conditions: list[ColumnElement[bool]] = [_e.tenant_id == tenant_id]
        for column, wanted in (
            (_e.entity_type, query.entity_type),
            (_e.entity_id, query.entity_id),
            (_e.actor, query.actor),
        ):
            if wanted is not None:
                conditions.append(column == wanted)
        if query.occurred_from is not None:
            conditions.append(_e.occurred_at >= query.occurred_from)
        if query.occurred_to is not None:
            conditions.append(_e.occurred_at < query.occurred_to)
        counted = self._db.execute(
            paging.capped_count(conditions, query.count_limit + 1)
        ).scalar_one()
        total, exact = paging.total_of(int(counted), query.count_limit)
        records = self._db.execute(
            select(_e.record)
            .where(*conditions)
            .order_by(_e.sequence.desc())
            .offset(paging.offset(query.page, query.page_size))
            .limit(query.page_size)
        ).scalars()
        events = tuple(from_record(record, AuditEvent) for record in records)
        return Page(events, total, total_exact=exact)

    @staticmethod
    def _mismatch(event: AuditEvent) -> str:
        return (
            f"event {event.sequence} does not follow the head of the chain of tenant "
            f"{event.tenant_id}"
        )


def _event_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "tenant_id": event.tenant_id,
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "previous_hash": event.previous_hash,
        "hash": event.hash,
        "record": to_record(event),
    }


def _message_row(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "tenant_id": message.tenant_id,
        "topic": message.topic,
        "created_at": message.created_at,
        "sent": False,
        "record": to_record(message),
    }


def _message_name(row: Mapping[str, Any]) -> str:
    return f"outbox message {row['id']}"


class SqlOutbox:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, message: OutboxMessage) -> None:
        row = _message_row(message)
        self._db.insert_new(outbox_messages, row, _message_name(row))

    def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        rows = [_message_row(message) for message in messages]
        self._db.insert_many_new(outbox_messages, rows, _message_name, key=("id",))

    def pending(self, limit: int, *, topics: Collection[str] | None = None) -> list[OutboxMessage]:
        if limit <= 0 or (topics is not None and not topics):
            return []
        conditions = [_o.sent.is_(False)]
        if topics is not None:
            conditions.append(_o.topic.in_(sorted(topics)))
        records = self._db.execute(
            select(_o.record).where(*conditions).order_by(_o.created_at, _o.seq).limit(limit)
        ).scalars()
        return [from_record(record, OutboxMessage) for record in records]

    def mark_sent(self, message_id: str) -> None:
        statement = update(outbox_messages).where(_o.id == message_id).values(sent=True)
        self._db.update_existing(statement, f"outbox message {message_id}")

    def purge_sent(self, created_before: datetime, limit: int) -> int:
        """A range of `ix_outbox_messages_sent_created`, deleted by key."""
        oldest = (
            select(_o.seq)
            .where(_o.sent.is_(True), _o.created_at < created_before)
            .order_by(_o.created_at, _o.seq)
            .limit(max(limit, 0))
        )
        statement = delete(outbox_messages).where(_o.seq.in_(oldest.scalar_subquery()))
        return int(self._db.write().execute(statement).rowcount)


class SqlIdempotencyRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def get(self, tenant_id: str, key: str) -> IdempotencyRecord | None:
        record = self._db.execute(
            select(_k.record).where(_k.tenant_id == tenant_id, _k.key == key)
        ).scalar_one_or_none()
        return None if record is None else from_record(record, IdempotencyRecord)

    def add(self, record: IdempotencyRecord) -> None:
        row = {
            "tenant_id": record.tenant_id,
            "key": record.key,
            "fingerprint": record.fingerprint,
            "application_id": record.application_id,
            "created_at": record.created_at,
            "record": to_record(record),
        }
        self._db.insert_new(idempotency_keys, row, f"idempotency key {record.key!r}")

    def purge(self, tenant_id: str, created_before: datetime, limit: int) -> int:
        """A range of `ix_idempotency_keys_tenant_created`, deleted by key."""
        oldest = (
            select(_k.key)
            .where(_k.tenant_id == tenant_id, _k.created_at < created_before)
            .order_by(_k.created_at, _k.key)
            .limit(max(limit, 0))
        )
        statement = delete(idempotency_keys).where(
            _k.tenant_id == tenant_id, _k.key.in_(oldest.scalar_subquery())
        )
        return int(self._db.write().execute(statement).rowcount)
