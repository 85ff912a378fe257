"""Indexes for the analytics reports: each reads one tenant's rows within a period of time.

Without them a report over 30 days scans every row the tenant ever had: decisions by when they
were made (final ones only, as the reports count), scoring results and applications by when
they were scored (the score beside it, so the score histogram reads the index alone), and
queue entries by when they entered the queue.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from adapters.sql.migrations.ddl import index

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    (
        "decisions",
        "ix_decisions_tenant_final_decided",
        ("tenant_id", "decided_at"),
        "status = 'final'",
    ),
    ("scoring_results", "ix_scoring_results_tenant_scored", ("tenant_id", "scored_at"), None),
    ("applications", "ix_applications_tenant_scored", ("tenant_id", "scored_at", "score"), None),
    ("queue_entries", "ix_queue_entries_tenant_entered", ("tenant_id", "entered_at"), None),
)


def upgrade() -> None:
    for table, name, columns, where in INDEXES:
        index(table, name, *columns, where=where)


def downgrade() -> None:
    for table, name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
