"""Refresh tokens, the access-token denylist and API keys, as rows of plain columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update

from adapters.sql.schema import api_keys, refresh_tokens, token_denylist
from adapters.sql.transaction import Transaction
from domain.auth import ApiKey, RefreshToken
from domain.identity import Role

_r = refresh_tokens.c
_d = token_denylist.c
_k = api_keys.c

_TOKEN_FIELDS = (
    "id",
    "family_id",
    "tenant_id",
    "user_id",
    "secret_hash",
    "issued_at",
    "expires_at",
    "used_at",
    "revoked_at",
)
_KEY_FIELDS = (
    "id",
    "tenant_id",
    "name",
    "secret_hash",
    "role",
    "created_by",
    "created_at",
    "last_used_at",
    "revoked_at",
)


def _token(row: Row[Any]) -> RefreshToken:
    return RefreshToken(**{name: getattr(row, name) for name in _TOKEN_FIELDS})


def _key(row: Row[Any]) -> ApiKey:
    values = {name: getattr(row, name) for name in _KEY_FIELDS}
    return ApiKey(**{**values, "role": Role(values["role"])})


class SqlRefreshTokenRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, token: RefreshToken) -> None:
        row = {name: getattr(token, name) for name in _TOKEN_FIELDS}
        self._db.insert_new(refresh_tokens, row, f"refresh token {token.id}")

    def get(self, token_id: str) -> RefreshToken | None:
        row = self._db.execute(select(refresh_tokens).where(_r.id == token_id)).first()
        return None if row is None else _token(row)

    def use(self, token_id: str, at: datetime) -> bool:
        statement = (
            update(refresh_tokens)
            .where(_r.id == token_id, _r.used_at.is_(None), _r.revoked_at.is_(None))
            .values(used_at=at)
        )
        return int(self._db.write().execute(statement).rowcount) == 1

    def revoke_family(self, family_id: str, at: datetime) -> int:
        statement = (
            update(refresh_tokens)
            .where(_r.family_id == family_id, _r.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(self._db.write().execute(statement).rowcount)

    def purge_expired(self, now: datetime, limit: int) -> int:
        """A range of `ix_refresh_tokens_expires_at`, deleted by key."""
        oldest = (
            select(_r.id).where(_r.expires_at < now).order_by(_r.expires_at).limit(max(limit, 0))
        )
        statement = delete(refresh_tokens).where(_r.id.in_(oldest.scalar_subquery()))
        return int(self._db.write().execute(statement).rowcount)


class SqlTokenDenylist:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, token_id: str, expires_at: datetime) -> None:
        row = {"token_id": token_id, "expires_at": expires_at}
        self._db.upsert(token_denylist, row, ("token_id",))

    def is_denied(self, token_id: str) -> bool:
        found = self._db.execute(select(_d.token_id).where(_d.token_id == token_id)).first()
        return found is not None

    def purge_expired(self, now: datetime, limit: int) -> int:
        """A range of `ix_token_denylist_expires_at`, deleted by key."""
        oldest = (
            select(_d.token_id)
            .where(_d.expires_at < now)
            .order_by(_d.expires_at)
            .limit(max(limit, 0))
        )
        statement = delete(token_denylist).where(_d.token_id.in_(oldest.scalar_subquery()))
        return int(self._db.write().execute(statement).rowcount)


class SqlApiKeyRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, key: ApiKey) -> None:
        row = {name: getattr(key, name) for name in _KEY_FIELDS}
        self._db.insert_new(api_keys, {**row, "role": key.role.value}, f"API key {key.id}")

    def get(self, key_id: str) -> ApiKey | None:
        row = self._db.execute(select(api_keys).where(_k.id == key_id)).first()
        return None if row is None else _key(row)

    def list(self, tenant_id: str) -> list[ApiKey]:
        rows = self._db.execute(
            select(api_keys).where(_k.tenant_id == tenant_id).order_by(_k.created_at, _k.id)
        )
        return [_key(row) for row in rows]

    def update(self, key: ApiKey) -> None:
        statement = (
            update(api_keys)
            .where(_k.id == key.id)
            .values(name=key.name, last_used_at=key.last_used_at, revoked_at=key.revoked_at)
        )
        self._db.update_existing(statement, f"API key {key.id}")
