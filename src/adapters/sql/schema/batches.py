"""CSV batches: the batch, the chunks it is read in, the application each accepted row became,
and the problems of each rejected row.

A batch keeps its value whole in `record`, beside the columns it is found and listed by. The
per-row tables are plain columns, written a chunk at a time: they grow with every row of every
file, so they hold what is needed and nothing more. `batch_rows` has one row per (batch, row),
which is what makes creating a row's application happen once however often its job runs.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Document, Id, Key, UtcDateTime
from domain.credit.batches import BatchStatus


def _of_batch() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", "batch_id"], ["batches.tenant_id", "batches.id"])


batches = Table(
    "batches",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("idempotency_key", Key, nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("status", BatchStatus),
    Index("ux_batches_tenant_idempotency_key", "tenant_id", "idempotency_key", unique=True),
    Index("ix_batches_tenant_created", "tenant_id", "created_at", "id"),
)

batch_chunks = Table(
    "batch_chunks",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("batch_id", Id, nullable=False),
    Column("first_row", Integer, nullable=False),
    Column("last_row", Integer, nullable=False),
    # Where the chunk starts in the file, in bytes: how its job (which names it) finds it.
    Column("byte_offset", BigInteger, nullable=False),
    Column("done", Boolean, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("scored", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "batch_id", "first_row"),
    _of_batch(),
    CheckConstraint("first_row >= 1 AND last_row >= first_row", name="rows_in_order"),
    CheckConstraint(
        "accepted >= 0 AND accepted <= last_row - first_row + 1", name="accepted_within_rows"
    ),
    CheckConstraint("scored >= 0 AND scored <= accepted", name="scored_within_accepted"),
)

batch_rows = Table(
    "batch_rows",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("batch_id", Id, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("application_id", Id, nullable=False),
    PrimaryKeyConstraint("tenant_id", "batch_id", "row_number"),
    _of_batch(),
    ForeignKeyConstraint(
        ["tenant_id", "application_id"], ["applications.tenant_id", "applications.id"]
    ),
)

batch_errors = Table(
    "batch_errors",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("batch_id", Id, nullable=False),
    Column("row_number", Integer, nullable=False),
    # The problem's place among its row's problems: the order they are reported in.
    Column("position", Integer, nullable=False),
    Column("column_name", Key, nullable=False),
    Column("message", String(1000), nullable=False),
    PrimaryKeyConstraint("tenant_id", "batch_id", "row_number", "position"),
    _of_batch(),
)
