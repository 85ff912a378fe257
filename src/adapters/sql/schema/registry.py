"""The model registry: one row per trained model version of a tenant.

The version's record is kept whole in `record`; `stage` and `created_at` are projections for
the database to filter and sort on. A partial unique index allows each tenant one champion at
most, so two approvals racing to crown different models cannot both succeed.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, PrimaryKeyConstraint, String, Table

from adapters.sql.schema.base import metadata, one_of, partial
from adapters.sql.types import Document, Id, UtcDateTime
from domain.credit.model_registry import ModelStage

model_versions = Table(
    "model_versions",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("version", Id, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "version"),
    one_of("stage", ModelStage),
    Index(
        "ux_model_versions_one_champion",
        "tenant_id",
        unique=True,
        **partial(f"stage = '{ModelStage.CHAMPION}'"),
    ),
    Index("ix_model_versions_tenant_created", "tenant_id", "created_at", "version"),
)
