"""Flags for review and help requests on queue cases.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import ID, INSTANT, col, fk, index, one_of, pk

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = "case_flags"
HELP = "case_help_requests"
QUEUE = "queue_entries"


def upgrade() -> None:
    op.create_table(
        FLAGS,
        col("tenant_id", ID),
        col("entry_id", ID),
        col("reason", sa.String(32)),
        col("note", sa.Text()),
        col("flagged_by", ID),
        col("flagged_at", INSTANT),
        one_of(FLAGS, "reason", "suspected_fraud", "document_concern", "policy_exception", "other"),
        fk(FLAGS, ["tenant_id", "entry_id"], QUEUE, ["tenant_id", "id"]),
        pk(FLAGS, "tenant_id", "entry_id"),
    )
    op.create_table(
        HELP,
        col("tenant_id", ID),
        col("id", ID),
        col("entry_id", ID),
        col("message", sa.Text()),
        col("requested_by", ID),
        col("requested_at", INSTANT),
        fk(HELP, ["tenant_id", "entry_id"], QUEUE, ["tenant_id", "id"]),
        pk(HELP, "tenant_id", "id"),
    )
    index(HELP, "ix_case_help_requests_tenant_entry", "tenant_id", "entry_id", "requested_at", "id")


def downgrade() -> None:
    op.drop_table(HELP)  # its index goes with it
    op.drop_table(FLAGS)
