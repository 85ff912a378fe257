"""The audit chain, the outbox and the idempotency keys.

The audit table is append-only: triggers (created by migration 0002; metadata does not
describe triggers) refuse every UPDATE and DELETE, and the primary key (tenant_id, sequence)
lets exactly one of two concurrent appends at the same head commit.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, of_application
from adapters.sql.types import Document, Id, Key, RowId, UtcDateTime

audit_events = Table(
    "audit_events",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("actor", Id, nullable=False),
    Column("action", Key, nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "sequence"),
    CheckConstraint("sequence >= 1", name="sequence_positive"),
    Index("ix_audit_events_tenant_entity", "tenant_id", "entity_type", "entity_id"),
    Index("ix_audit_events_tenant_actor", "tenant_id", "actor"),
    Index("ix_audit_events_tenant_occurred_at", "tenant_id", "occurred_at"),
)

outbox_messages = Table(
    "outbox_messages",
    metadata,
    # The order messages were added in, for ties of created_at.
    Column("seq", RowId, primary_key=True, autoincrement=True),
    Column("id", Id, nullable=False, unique=True),
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("topic", Key, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent", Boolean, nullable=False, default=False),
    Column("record", Document, nullable=False),
    Index("ix_outbox_messages_sent_created", "sent", "created_at", "seq"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("key", Key, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("application_id", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "key"),
    of_application(),
    Index("ix_idempotency_keys_tenant_created", "tenant_id", "created_at"),
)
