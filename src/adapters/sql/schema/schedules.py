"""Claims of periodic jobs' slots: one row per (job, slot), taken by one scheduler."""

from __future__ import annotations

from sqlalchemy import Column, Index, PrimaryKeyConstraint, String, Table

from adapters.sql.schema.base import metadata
from adapters.sql.types import Key, UtcDateTime

schedule_claims = Table(
    "schedule_claims",
    metadata,
    Column("job", String(64), nullable=False),
    Column("slot", UtcDateTime, nullable=False),
    Column("holder", Key, nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("job", "slot"),
    Index("ix_schedule_claims_slot", "slot"),
)
