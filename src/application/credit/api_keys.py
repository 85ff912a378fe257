"""API keys: credentials for other services, which act in one tenant as api_consumer.

Managing them takes the user:manage permission, as managing people does: a key is a member
of the tenant that is a program. The plain key is shown once, when it is created; only a hash
of its secret is stored, so a lost key is revoked and replaced, never recovered.
"""

from __future__ import annotations

from attrs import evolve, frozen

from application.credit.ports import SecretSource, UnitOfWork
from application.credit.recording import Journal
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.auth import API_KEY_PREFIX, ApiKey, api_key_problems, credential, secret_hash
from domain.errors import ValidationFailed
from domain.identity import Permission, Principal, authorize


@frozen
class IssuedApiKey:
    """A new key and its plain text, which is not stored and cannot be shown again."""

    key: ApiKey
    plain: str


@frozen
class CreateApiKey:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    secrets: SecretSource

    def __call__(self, principal: Principal, name: str) -> IssuedApiKey:
        authorize(principal, Permission.USER_MANAGE)
        found = api_key_problems(name)
        if found:
            raise ValidationFailed(found)
        now = self.clock.now()
        secret = self.secrets.new_secret()
        key = ApiKey(
            id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            name=name.strip(),
            secret_hash=secret_hash(secret),
            created_by=principal.user_id,
            created_at=now,
        )
        with self.uow:
            self.uow.api_keys.add(key)
            Journal.of(self.uow, principal, now).audit(
                "api_key.created", "api_key", key.id, new={"name": key.name, "role": key.role}
            )
            self.uow.commit()
        return IssuedApiKey(key, credential(API_KEY_PREFIX, key.id, secret))


@frozen
class ListApiKeys:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[ApiKey]:
        """The tenant's keys, revoked ones included, oldest first."""
        authorize(principal, Permission.USER_MANAGE)
        with self.uow:
            return self.uow.api_keys.list(principal.tenant_id)


@frozen
class RevokeApiKey:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, key_id: str) -> ApiKey:
        """Refuse the key from now on; revoking a revoked key changes nothing."""
        authorize(principal, Permission.USER_MANAGE)
        now = self.clock.now()
        with self.uow:
            key = self.uow.api_keys.get(key_id)
            if key is None or key.tenant_id != principal.tenant_id:
                raise NotFound("API key", key_id)
            if key.revoked:
                return key
            revoked = evolve(key, revoked_at=now)
            self.uow.api_keys.update(revoked)
            Journal.of(self.uow, principal, now).audit(
                "api_key.revoked", "api_key", key.id, new={"name": key.name}
            )
            self.uow.commit()
            return revoked
