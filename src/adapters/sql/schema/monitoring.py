"""What watching models in service leaves behind: challengers' shadow scores and monitoring runs.

As elsewhere, a row keeps its domain value whole in `record` (contributions and base value
included, as the one converter wrote them, so every float comes back exactly) and, beside it,
the columns the database filters, sorts and constrains on.

A shadow score is keyed by (tenant, application, model version): a challenger scores an
application once, and a retried job finds its score taken instead of adding a second one. The
version index serves `for_model`, the newest scores of one challenger; the key itself serves
`for_application`.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, of_application, one_of
from adapters.sql.types import Document, Id, Key, UtcDateTime
from domain.credit.monitoring import DriftLevel

shadow_scores = Table(
    "shadow_scores",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("model_version", Key, nullable=False),
    Column("champion_version", Key, nullable=False),
    Column("scored_at", UtcDateTime, nullable=False),
    Column("probability_of_default", Float, nullable=False),
    Column("score", Float, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "application_id", "model_version"),
    of_application(),
    CheckConstraint(
        "probability_of_default >= 0 AND probability_of_default <= 1", name="pd_is_probability"
    ),
    Index(
        "ix_shadow_scores_tenant_model_scored",
        "tenant_id",
        "model_version",
        "scored_at",
        "application_id",
    ),
)

monitoring_reports = Table(
    "monitoring_reports",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("model_version", Key, nullable=False),
    Column("level", String(16), nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("level", DriftLevel),
    Index("ix_monitoring_reports_tenant_created", "tenant_id", "created_at", "id"),
)
