"""The model registry: every trained model version of a tenant, at most one champion each.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import DOCUMENT, ID, INSTANT, col, index, one_of, pk, tenant_fk

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "model_versions"


def upgrade() -> None:
    op.create_table(
        TABLE,
        col("tenant_id", ID),
        col("version", ID),
        col("stage", sa.String(16)),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        one_of(TABLE, "stage", "candidate", "challenger", "champion", "retired"),
        tenant_fk(TABLE),
        pk(TABLE, "tenant_id", "version"),
    )
    index(
        TABLE,
        "ux_model_versions_one_champion",
        "tenant_id",
        unique=True,
        where="stage = 'champion'",
    )
    index(TABLE, "ix_model_versions_tenant_created", "tenant_id", "created_at", "version")


def downgrade() -> None:
    op.drop_table(TABLE)  # its indexes go with it
