"""Dead jobs: background jobs that failed on every attempt, kept for a retry by hand.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import DOCUMENT, ID, INSTANT, KEY, col, index, pk, tenant_fk

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "dead_jobs"


def upgrade() -> None:
    op.create_table(
        TABLE,
        col("id", ID),
        col("tenant_id", ID),
        col("job_name", KEY),
        col("attempts", sa.Integer()),
        col("failed_at", INSTANT),
        col("retried_at", INSTANT, null=True),
        col("record", DOCUMENT),
        tenant_fk(TABLE),
        pk(TABLE, "id"),
    )
    index(TABLE, "ix_dead_jobs_failed", "failed_at", "id")
    index(TABLE, "ix_dead_jobs_not_retried_failed", "failed_at", "id", where="retried_at IS NULL")


def downgrade() -> None:
    op.drop_table(TABLE)  # its indexes go with it
