"""In-memory fakes of the authentication repositories, and predictable secrets.

They keep their rows in the staged tables of `tests.fakes.InMemoryDatabase`, so they commit
and roll back with the rest of a fake unit of work.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import TYPE_CHECKING

from attrs import evolve

from application.ports import RecordNotFound
from domain.auth import ApiKey, RefreshToken

if TYPE_CHECKING:
    from tests.fakes import _Staged


class InMemoryRefreshTokenRepository:
    def __init__(self, rows: _Staged[str, RefreshToken]) -> None:
        self._rows = rows

    def add(self, token: RefreshToken) -> None:
        self._rows.insert(token.id, token, f"refresh token {token.id}")

    def get(self, token_id: str) -> RefreshToken | None:
        return self._rows.get(token_id)

    def use(self, token_id: str, at: datetime) -> bool:
        token = self._rows.get(token_id)
        if token is None or token.used_at is not None or token.revoked_at is not None:
            return False
        self._rows.put(token_id, evolve(token, used_at=at))
        return True

    def revoke_family(self, family_id: str, at: datetime) -> int:
        family = self._rows.where(lambda t: t.family_id == family_id and t.revoked_at is None)
        for token in family:
            self._rows.put(token.id, evolve(token, revoked_at=at))
        return len(family)

    def purge_expired(self, now: datetime, limit: int) -> int:
        expired = sorted(self._rows.where(lambda t: t.expires_at < now), key=lambda t: t.expires_at)
        for token in expired[: max(limit, 0)]:
            self._rows.delete(token.id)
        return min(len(expired), max(limit, 0))


class InMemoryTokenDenylist:
    def __init__(self, rows: _Staged[str, datetime]) -> None:
        self._rows = rows

    def add(self, token_id: str, expires_at: datetime) -> None:
        self._rows.put(token_id, expires_at)

    def is_denied(self, token_id: str) -> bool:
        return self._rows.get(token_id) is not None

    def purge_expired(self, now: datetime, limit: int) -> int:
        expired = sorted((at, key) for key, at in self._rows.items() if at < now)
        for _at, key in expired[: max(limit, 0)]:
            self._rows.delete(key)
        return min(len(expired), max(limit, 0))


class InMemoryApiKeyRepository:
    def __init__(self, rows: _Staged[str, ApiKey]) -> None:
        self._rows = rows

    def add(self, key: ApiKey) -> None:
        self._rows.insert(key.id, key, f"API key {key.id}")

    def get(self, key_id: str) -> ApiKey | None:
        return self._rows.get(key_id)

    def list(self, tenant_id: str) -> list[ApiKey]:
        keys = self._rows.where(lambda k: k.tenant_id == tenant_id)
        return sorted(keys, key=lambda k: (k.created_at, k.id))

    def update(self, key: ApiKey) -> None:
        stored = self._rows.get(key.id)
        if stored is None:
            raise RecordNotFound(f"API key {key.id} does not exist")
        changed = evolve(
            stored, name=key.name, last_used_at=key.last_used_at, revoked_at=key.revoked_at
        )
        self._rows.put(key.id, changed)


class CountingSecrets:
    """Secrets a test can predict: 64 hex digits, counting up from 1."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_secret(self) -> str:
        return f"{next(self._counter):064x}"
