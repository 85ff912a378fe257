"""The flag a queue case carries (one at most) and the help requests asked about it."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Id, UtcDateTime
from domain.credit.case_flags import FlagReason


def _of_queue_entry() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", "entry_id"], ["queue_entries.tenant_id", "queue_entries.id"]
    )


case_flags = Table(
    "case_flags",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("entry_id", Id, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("flagged_by", Id, nullable=False),
    Column("flagged_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "entry_id"),
    _of_queue_entry(),
    one_of("reason", FlagReason),
)

case_help_requests = Table(
    "case_help_requests",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("entry_id", Id, nullable=False),
    Column("message", Text, nullable=False),
    Column("requested_by", Id, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    _of_queue_entry(),
    Index("ix_case_help_requests_tenant_entry", "tenant_id", "entry_id", "requested_at", "id"),
)
