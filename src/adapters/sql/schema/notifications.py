"""In-app messages, deliveries by email and webhook, and the webhook endpoints tenants register.

Like every table, each keeps its domain value whole in `record` and, beside it, the columns the
database filters, sorts and constrains on. A unique index per source and recipient is what makes
fanning a notification out idempotent even when two workers race on the same outbox message:
only one of them can write a person's message, or a channel's delivery, for that source.

An inbox is read one person at a time, unread first, newest first: one index serves the whole
inbox and a partial one the unread messages, which is what a badge counts and stays small while
the read history grows. An endpoint's record holds its signing secret, which signing needs.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, one_of, partial
from adapters.sql.types import Document, Id, UtcDateTime
from domain.notifications import Channel, DeliveryStatus

inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("user_id", Id, nullable=False),
    Column("source_id", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime, nullable=True),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
    Index("ux_inbox_messages_source_user", "tenant_id", "source_id", "user_id", unique=True),
    Index("ix_inbox_messages_user_created", "tenant_id", "user_id", "created_at", "id"),
    Index(
        "ix_inbox_messages_unread_created",
        "tenant_id",
        "user_id",
        "created_at",
        "id",
        **partial("read_at IS NULL"),
    ),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("source_id", Id, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("recipient", Id, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("channel", Channel),
    one_of("status", DeliveryStatus),
    CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    Index(
        "ux_deliveries_source_channel_recipient",
        "tenant_id",
        "source_id",
        "channel",
        "recipient",
        unique=True,
    ),
    Index("ix_deliveries_tenant_created", "tenant_id", "created_at", "id"),
    Index("ix_deliveries_tenant_status_created", "tenant_id", "status", "created_at", "id"),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index("ix_webhook_endpoints_tenant_created", "tenant_id", "created_at", "id"),
)
