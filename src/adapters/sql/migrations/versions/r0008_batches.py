"""CSV batches: uploads, their progress and their row-level errors.

Revision ID: 0008
Revises: 0007
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
    KEY,
    check,
    col,
    fk,
    index,
    one_of,
    pk,
    tenant_fk,
)

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCHES = "batches"
CHUNKS = "batch_chunks"
ROWS = "batch_rows"
ERRORS = "batch_errors"


def _batch_fk(table: str) -> sa.ForeignKeyConstraint:
    constraint: sa.ForeignKeyConstraint = fk(
        table, ["tenant_id", "batch_id"], BATCHES, ["tenant_id", "id"]
    )
    return constraint


def upgrade() -> None:
    op.create_table(
        BATCHES,
        col("tenant_id", ID),
        col("id", ID),
        col("idempotency_key", KEY, null=True),
        col("status", sa.String(16)),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        one_of(BATCHES, "status", "pending", "processing", "completed", "failed"),
        tenant_fk(BATCHES),
        pk(BATCHES, "tenant_id", "id"),
    )
    index(
        BATCHES,
        "ux_batches_tenant_idempotency_key",
        "tenant_id",
        "idempotency_key",
        unique=True,
    )
    index(BATCHES, "ix_batches_tenant_created", "tenant_id", "created_at", "id")
    op.create_table(
        CHUNKS,
        col("tenant_id", ID),
        col("batch_id", ID),
        col("first_row", sa.Integer()),
        col("last_row", sa.Integer()),
        col("byte_offset", sa.BigInteger()),
        col("done", sa.Boolean()),
        col("accepted", sa.Integer()),
        col("scored", sa.Integer()),
        check(CHUNKS, "rows_in_order", "first_row >= 1 AND last_row >= first_row"),
        check(
            CHUNKS,
            "accepted_within_rows",
            "accepted >= 0 AND accepted <= last_row - first_row + 1",
        ),
        check(CHUNKS, "scored_within_accepted", "scored >= 0 AND scored <= accepted"),
        _batch_fk(CHUNKS),
        pk(CHUNKS, "tenant_id", "batch_id", "first_row"),
    )
    op.create_table(
        ROWS,
        col("tenant_id", ID),
        col("batch_id", ID),
        col("row_number", sa.Integer()),
        col("application_id", ID),
        _batch_fk(ROWS),
        fk(ROWS, ["tenant_id", "application_id"], "applications", ["tenant_id", "id"]),
        pk(ROWS, "tenant_id", "batch_id", "row_number"),
    )
    op.create_table(
        ERRORS,
        col("tenant_id", ID),
        col("batch_id", ID),
        col("row_number", sa.Integer()),
        col("position", sa.Integer()),
        col("column_name", KEY),
        col("message", sa.String(1000)),
        _batch_fk(ERRORS),
        pk(ERRORS, "tenant_id", "batch_id", "row_number", "position"),
    )


def downgrade() -> None:
    for table in (ERRORS, ROWS, CHUNKS, BATCHES):
        op.drop_table(table)  # their indexes go with them
