"""Second opinions on applications: every ask, answered or fallen back.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23
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
    col,
    index,
    one_of,
    pk,
)

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPINIONS = "second_opinions"


def upgrade() -> None:
    op.create_table(
        OPINIONS,
        col("tenant_id", ID),
        col("id", ID),
        col("application_id", ID),
        col("at", INSTANT),
        col("trigger", sa.String(16)),
        col("outcome", sa.String(16)),
        col("fallback_cause", sa.String(32)),
        col("model", KEY),
        col("routing_changed", sa.Boolean()),
        col("record", DOCUMENT),
        one_of(OPINIONS, "trigger", "scoring", "requested"),
        one_of(OPINIONS, "outcome", "answered", "cached", "fallback"),
        application_fk(OPINIONS),
        pk(OPINIONS, "tenant_id", "id"),
    )
    index(
        OPINIONS,
        "ix_second_opinions_tenant_application",
        "tenant_id",
        "application_id",
        "at",
        "id",
    )


def downgrade() -> None:
    op.drop_table(OPINIONS)  # its index goes with it
