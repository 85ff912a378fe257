"""The known outcomes of granted loans: what a credit model is trained on.

One row per application (the primary key is the application's), so an outcome can never be
recorded twice; `source` is indexed because a training set is chosen by it.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, of_application
from adapters.sql.types import Document, Id, UtcDateTime

loan_outcomes = Table(
    "loan_outcomes",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("defaulted", Boolean, nullable=False),
    Column("observed_at", UtcDateTime, nullable=False),
    Column("source", String(64), nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "application_id"),
    of_application(),
    Index("ix_loan_outcomes_tenant_source", "tenant_id", "source", "application_id"),
)
