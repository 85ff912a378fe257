"""The known outcomes of granted loans (repaid or defaulted), which credit models train on.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import DOCUMENT, ID, INSTANT, application_fk, col, index, pk

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "loan_outcomes"


def upgrade() -> None:
    op.create_table(
        TABLE,
        col("tenant_id", ID),
        col("application_id", ID),
        col("defaulted", sa.Boolean()),
        col("observed_at", INSTANT),
        col("source", sa.String(64)),
        col("record", DOCUMENT),
        application_fk(TABLE),
        pk(TABLE, "tenant_id", "application_id"),
    )
    index(TABLE, "ix_loan_outcomes_tenant_source", "tenant_id", "source", "application_id")


def downgrade() -> None:
    op.drop_table(TABLE)  # its index goes with it
