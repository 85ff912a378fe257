"""Challengers' shadow scores (one per application and version) and stored monitoring reports.

Revision ID: 0006
Revises: 0005
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
    application_fk,
    check,
    col,
    index,
    one_of,
    pk,
    tenant_fk,
)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHADOW = "shadow_scores"
REPORTS = "monitoring_reports"


def upgrade() -> None:
    op.create_table(
        SHADOW,
        col("tenant_id", ID),
        col("application_id", ID),
        col("model_version", KEY),
        col("champion_version", KEY),
        col("scored_at", INSTANT),
        col("probability_of_default", sa.Float()),
        col("score", sa.Float()),
        col("record", DOCUMENT),
        check(
            SHADOW,
            "pd_is_probability",
            "probability_of_default >= 0 AND probability_of_default <= 1",
        ),
        application_fk(SHADOW),
        pk(SHADOW, "tenant_id", "application_id", "model_version"),
    )
    index(
        SHADOW,
        "ix_shadow_scores_tenant_model_scored",
        "tenant_id",
        "model_version",
        "scored_at",
        "application_id",
    )
    op.create_table(
        REPORTS,
        col("tenant_id", ID),
        col("id", ID),
        col("created_at", INSTANT),
        col("model_version", KEY),
        col("level", sa.String(16)),
        col("record", DOCUMENT),
        one_of(REPORTS, "level", "stable", "watch", "act"),
        tenant_fk(REPORTS),
        pk(REPORTS, "tenant_id", "id"),
    )
    index(REPORTS, "ix_monitoring_reports_tenant_created", "tenant_id", "created_at", "id")


def downgrade() -> None:
    op.drop_table(REPORTS)  # their indexes go with them
    op.drop_table(SHADOW)
