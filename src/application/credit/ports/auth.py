"""Where authentication keeps its state: refresh tokens, the access-token denylist, API keys.

Unlike the other repositories, refresh tokens and API keys are found by id alone: the id comes
from the credential a client presents, before anyone knows its tenant. That is safe because a
lookup by id proves nothing by itself; the secret's hash must match too (`domain.auth`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.auth import ApiKey, RefreshToken


class RefreshTokenRepository(Protocol):
    def add(self, token: RefreshToken) -> None:
        """`AlreadyExists` if the id is taken."""
        ...

    def get(self, token_id: str) -> RefreshToken | None: ...

    def use(self, token_id: str, at: datetime) -> bool:
        """Mark the token used at `at`, if it is neither used nor revoked yet; whether it was.

        Conditional, so of two requests racing with one token exactly one rotates it.
        """
        ...

    def revoke_family(self, family_id: str, at: datetime) -> int:
        """Revoke every token of the family not revoked yet; how many were."""
        ...

    def purge_expired(self, now: datetime, limit: int) -> int:
        """Delete up to `limit` tokens that expired before `now`; how many went."""
        ...


class TokenDenylist(Protocol):
    """Access tokens withdrawn before their expiry (logged out), by token id.

    Stored, not held in memory, so a logout holds across restarts and every replica.
    """

    def add(self, token_id: str, expires_at: datetime) -> None:
        """Deny the token until `expires_at`; denying it again changes nothing."""
        ...

    def is_denied(self, token_id: str) -> bool: ...

    def purge_expired(self, now: datetime, limit: int) -> int:
        """Forget up to `limit` entries whose token expired before `now` (it is refused
        anyway); how many went."""
        ...


class ApiKeyRepository(Protocol):
    def add(self, key: ApiKey) -> None:
        """`AlreadyExists` if the id is taken."""
        ...

    def get(self, key_id: str) -> ApiKey | None: ...

    def list(self, tenant_id: str) -> list[ApiKey]:
        """The tenant's keys, revoked ones included, oldest first."""
        ...

    def update(self, key: ApiKey) -> None:
        """Store the key's new last use or revocation; `RecordNotFound` if it is not stored."""
        ...


class SecretSource(Protocol):
    """Unguessable secrets for credentials (`secrets.token_hex` in production)."""

    def new_secret(self) -> str:
        """32 random bytes as 64 lowercase hex digits."""
        ...
