"""Exports of applications: the export kept whole in `record`, beside the columns it is found
by. The file itself is in the object store; the row names its key inside the record."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, PrimaryKeyConstraint, String, Table

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Document, Id, UtcDateTime
from domain.credit.exports import ExportStatus

exports = Table(
    "exports",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("status", ExportStatus),
    Index("ix_exports_tenant_created", "tenant_id", "created_at", "id"),
)
