"""Indexes for the busiest screens at a million applications.

The queue summary counts open entries by status, SLA deadline and priority band. Completed
entries outnumber open ones many times over on a working desk; with every column the count needs
in one partial index, it is an index-only scan of the open entries alone.

A rejected override finds its application's (completed) queue entry by application.

A list filtered by status and sorted by score or amount (the review list, by score) walked the
sort index and skipped every row of another status; an index led by status goes straight there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from adapters.sql.migrations.ddl import index

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_queue_entries_open_summary"
BY_APPLICATION = "ix_queue_entries_tenant_application"
BY_STATUS = {
    "score": "ix_applications_tenant_status_score",
    "amount": "ix_applications_tenant_status_amount",
}


def upgrade() -> None:
    index(
        "queue_entries",
        NAME,
        "tenant_id",
        "status",
        "sla_deadline",
        "priority",
        where="status <> 'completed'",
    )
    for column, name in BY_STATUS.items():
        index("applications", name, "tenant_id", "status", column, "id")
    index("queue_entries", BY_APPLICATION, "tenant_id", "application_id", "entered_at")


def downgrade() -> None:
    op.drop_index(BY_APPLICATION, table_name="queue_entries")
    for name in BY_STATUS.values():
        op.drop_index(name, table_name="applications")
    op.drop_index(NAME, table_name="queue_entries")
