"""Exports of applications as CSV or XLSX files, and their progress.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import DOCUMENT, ID, INSTANT, col, index, one_of, pk, tenant_fk

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPORTS = "exports"


def upgrade() -> None:
    op.create_table(
        EXPORTS,
        col("tenant_id", ID),
        col("id", ID),
        col("status", sa.String(16)),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        one_of(EXPORTS, "status", "pending", "running", "done", "failed"),
        tenant_fk(EXPORTS),
        pk(EXPORTS, "tenant_id", "id"),
    )
    index(EXPORTS, "ix_exports_tenant_created", "tenant_id", "created_at", "id")


def downgrade() -> None:
    op.drop_table(EXPORTS)  # its index goes with it
