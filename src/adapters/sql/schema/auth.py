"""Authentication state: refresh tokens, the access-token denylist, API keys.

These rows are flat and change in place (a token is used or revoked, a key is touched), so
every field is a column and there is no `record` document beside them. Only hashes of secrets
are stored. Each table has an index on its expiry or family, for the clean-up and for revoking
a family in one statement.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Id, Key, UtcDateTime
from domain.identity import Role

#: A SHA-256, as 64 lowercase hex digits.
Sha256 = String(64)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("family_id", Id, nullable=False),
    Column("tenant_id", Id, nullable=False),
    Column("user_id", Id, nullable=False),
    Column("secret_hash", Sha256, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
    Index("ix_refresh_tokens_family_id", "family_id"),
    Index("ix_refresh_tokens_expires_at", "expires_at"),
)

token_denylist = Table(
    "token_denylist",
    metadata,
    Column("token_id", Key, primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_token_denylist_expires_at", "expires_at"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("name", Key, nullable=False),
    Column("secret_hash", Sha256, nullable=False),
    Column("role", String(32), nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    one_of("role", Role),
    Index("ix_api_keys_tenant_id_created_at", "tenant_id", "created_at"),
)
