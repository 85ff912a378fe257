"""Authentication: refresh-token families, the access-token denylist, API keys.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import ID, INSTANT, KEY, col, fk, index, one_of, pk, tenant_fk

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFRESH = "refresh_tokens"
DENYLIST = "token_denylist"
KEYS = "api_keys"
SHA256 = sa.String(64)
ROLES = ("admin", "senior_analyst", "analyst", "readonly", "api_consumer")


def upgrade() -> None:
    op.create_table(
        REFRESH,
        col("id", ID),
        col("family_id", ID),
        col("tenant_id", ID),
        col("user_id", ID),
        col("secret_hash", SHA256),
        col("issued_at", INSTANT),
        col("expires_at", INSTANT),
        col("used_at", INSTANT, null=True),
        col("revoked_at", INSTANT, null=True),
        fk(REFRESH, ["tenant_id", "user_id"], "users", ["tenant_id", "id"]),
        pk(REFRESH, "id"),
    )
    index(REFRESH, "ix_refresh_tokens_family_id", "family_id")
    index(REFRESH, "ix_refresh_tokens_expires_at", "expires_at")
    op.create_table(
        DENYLIST,
        col("token_id", KEY),
        col("expires_at", INSTANT),
        pk(DENYLIST, "token_id"),
    )
    index(DENYLIST, "ix_token_denylist_expires_at", "expires_at")
    op.create_table(
        KEYS,
        col("id", ID),
        col("tenant_id", ID),
        col("name", KEY),
        col("secret_hash", SHA256),
        col("role", sa.String(32)),
        col("created_by", ID),
        col("created_at", INSTANT),
        col("last_used_at", INSTANT, null=True),
        col("revoked_at", INSTANT, null=True),
        one_of(KEYS, "role", *ROLES),
        tenant_fk(KEYS),
        pk(KEYS, "id"),
    )
    index(KEYS, "ix_api_keys_tenant_id_created_at", "tenant_id", "created_at")


def downgrade() -> None:
    for table in (KEYS, DENYLIST, REFRESH):
        op.drop_table(table)  # their indexes go with them
