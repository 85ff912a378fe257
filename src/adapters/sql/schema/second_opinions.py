"""The second opinions asked about applications: the record whole, and the columns to find it by."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, PrimaryKeyConstraint, String, Table

from adapters.sql.schema.base import metadata, of_application, one_of
from adapters.sql.types import Document, Id, Key, UtcDateTime
from domain.credit.second_opinion_record import OpinionOutcome, OpinionTrigger

second_opinions = Table(
    "second_opinions",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("fallback_cause", String(32), nullable=False),
    Column("model", Key, nullable=False),
    Column("routing_changed", Boolean, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    of_application(),
    one_of("trigger", OpinionTrigger),
    one_of("outcome", OpinionOutcome),
    Index("ix_second_opinions_tenant_application", "tenant_id", "application_id", "at", "id"),
)
