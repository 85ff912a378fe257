"""Schedules: which periodic job ran for which time slot, so two schedulers never act twice.

Also what the SLA check remembers on each queue entry (warned, breached, escalated to whom),
with the partial index of its every-minute read (open entries not yet breached, by deadline),
and an index that lets the clean-up remove old idempotency keys a tenant at a time.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import ID, INSTANT, KEY, col, index, pk

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMS = "schedule_claims"
QUEUE = "queue_entries"
SLA_WATCH = "ix_queue_entries_sla_watch"
KEYS_BY_AGE = "ix_idempotency_keys_tenant_created"
QUEUE_COLUMNS = (("sla_warned_at", INSTANT), ("sla_breached_at", INSTANT), ("escalated_to", ID))


def upgrade() -> None:
    op.create_table(
        CLAIMS,
        col("job", sa.String(64)),
        col("slot", INSTANT),
        col("holder", KEY),
        col("claimed_at", INSTANT),
        pk(CLAIMS, "job", "slot"),
    )
    index(CLAIMS, "ix_schedule_claims_slot", "slot")
    for name, type_ in QUEUE_COLUMNS:
        op.add_column(QUEUE, col(name, type_, null=True))
    index(
        QUEUE,
        SLA_WATCH,
        "tenant_id",
        "sla_deadline",
        "id",
        where="status <> 'completed' AND sla_breached_at IS NULL",
    )
    index("idempotency_keys", KEYS_BY_AGE, "tenant_id", "created_at")


def downgrade() -> None:
    op.drop_index(KEYS_BY_AGE, table_name="idempotency_keys")
    op.drop_index(SLA_WATCH, table_name=QUEUE)
    with op.batch_alter_table(QUEUE) as batch:
        for name, _type in reversed(QUEUE_COLUMNS):
            batch.drop_column(name)
    op.drop_table(CLAIMS)  # its index goes with it
