"""Notifications: in-app messages, deliveries per channel, webhook endpoints.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import (
    DOCUMENT,
    ID,
    INSTANT,
    check,
    col,
    fk,
    index,
    one_of,
    pk,
    tenant_fk,
)

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INBOX = "inbox_messages"
DELIVERIES = "deliveries"
ENDPOINTS = "webhook_endpoints"


def upgrade() -> None:
    op.create_table(
        INBOX,
        col("tenant_id", ID),
        col("id", ID),
        col("user_id", ID),
        col("source_id", ID),
        col("created_at", INSTANT),
        col("read_at", INSTANT, null=True),
        col("record", DOCUMENT),
        fk(INBOX, ["tenant_id", "user_id"], "users", ["tenant_id", "id"]),
        pk(INBOX, "tenant_id", "id"),
    )
    index(INBOX, "ux_inbox_messages_source_user", "tenant_id", "source_id", "user_id", unique=True)
    index(INBOX, "ix_inbox_messages_user_created", "tenant_id", "user_id", "created_at", "id")
    index(
        INBOX,
        "ix_inbox_messages_unread_created",
        "tenant_id",
        "user_id",
        "created_at",
        "id",
        where="read_at IS NULL",
    )

    op.create_table(
        DELIVERIES,
        col("tenant_id", ID),
        col("id", ID),
        col("source_id", ID),
        col("channel", sa.String(16)),
        col("recipient", ID),
        col("status", sa.String(16)),
        col("attempts", sa.Integer()),
        col("created_at", INSTANT),
        col("next_attempt_at", INSTANT, null=True),
        col("sent_at", INSTANT, null=True),
        col("record", DOCUMENT),
        one_of(DELIVERIES, "channel", "in_app", "email", "webhook"),
        one_of(DELIVERIES, "status", "pending", "sent", "failed"),
        check(DELIVERIES, "attempts_not_negative", "attempts >= 0"),
        tenant_fk(DELIVERIES),
        pk(DELIVERIES, "tenant_id", "id"),
    )
    index(
        DELIVERIES,
        "ux_deliveries_source_channel_recipient",
        "tenant_id",
        "source_id",
        "channel",
        "recipient",
        unique=True,
    )
    index(DELIVERIES, "ix_deliveries_tenant_created", "tenant_id", "created_at", "id")
    index(
        DELIVERIES, "ix_deliveries_tenant_status_created", "tenant_id", "status", "created_at", "id"
    )

    op.create_table(
        ENDPOINTS,
        col("tenant_id", ID),
        col("id", ID),
        col("active", sa.Boolean()),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        tenant_fk(ENDPOINTS),
        pk(ENDPOINTS, "tenant_id", "id"),
    )
    index(ENDPOINTS, "ix_webhook_endpoints_tenant_created", "tenant_id", "created_at", "id")


def downgrade() -> None:
    for table in (ENDPOINTS, DELIVERIES, INBOX):
        op.drop_table(table)  # their indexes go with them
