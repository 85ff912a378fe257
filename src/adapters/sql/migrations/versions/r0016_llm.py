"""LLM calls: the answer cache by input hash and the ledger of every call.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import ID, INSTANT, KEY, ROW_ID, col, index, one_of, pk

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CACHE = "llm_cache"
CALLS = "llm_calls"
OUTCOMES = ("answered", "cached", "fallback")
CAUSES = (
    "not_configured",
    "budget_exhausted",
    "timeout",
    "rate_limited",
    "server_error",
    "connection",
    "rejected",
    "refusal",
    "truncated",
    "malformed_json",
    "schema_mismatch",
)


def upgrade() -> None:
    op.create_table(
        CACHE,
        col("key", sa.String(64)),
        col("content", sa.Text()),
        col("model", KEY),
        col("stored_at", INSTANT),
        pk(CACHE, "key"),
    )
    op.create_table(
        CALLS,
        col("id", ROW_ID, autoincrement=True),
        col("tenant_id", ID),
        col("purpose", sa.String(64)),
        col("at", INSTANT),
        col("input_hash", sa.String(64)),
        col("outcome", sa.String(16)),
        col("cause", sa.String(32), null=True),
        col("model", KEY),
        col("prompt_version", sa.String(64)),
        col("input_tokens", sa.Integer()),
        col("output_tokens", sa.Integer()),
        col("cost", sa.Numeric(18, 10)),
        col("latency_ms", sa.Float()),
        one_of(CALLS, "outcome", *OUTCOMES),
        one_of(CALLS, "cause", *CAUSES),
        pk(CALLS, "id"),
    )
    index(CALLS, "ix_llm_calls_tenant_id_at", "tenant_id", "at")


def downgrade() -> None:
    op.drop_table(CALLS)  # its index goes with it
    op.drop_table(CACHE)
