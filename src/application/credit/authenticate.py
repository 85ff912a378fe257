"""Who is calling: a bearer access token or an API key, turned into a `Principal`.

A token's signature and expiry are checked by the `TokenIssuer`; then the denylist (a token
logged out before it expired) and the user and tenant, which must still be active. The
principal is built from the user as stored now, not from the permissions the token carries,
so a role changed or a permission withdrawn takes effect at the next request, not at the
token's expiry. An API key acts in its tenant with the api_consumer role; its last use is
written at most once a minute, so a busy client costs no write per request.
"""

from __future__ import annotations

from datetime import datetime

from attrs import evolve, frozen

from application.credit.ports import UnitOfWork
from application.errors import Unauthenticated
from application.ports import Clock, InvalidToken, TokenIssuer
from domain.auth import API_KEY_ACTOR, API_KEY_PREFIX, needs_touch, parse_credential
from domain.auth import secret_matches as _matches
from domain.identity import Permission, Principal, Role, effective_permissions
from domain.tenancy import User


@frozen
class Authenticated:
    """A caller identified: the principal, and the access token it came with (None for an API
    key), which is what logging out denies."""

    principal: Principal
    token_id: str | None = None
    expires_at: datetime | None = None


def active_user(uow: UnitOfWork, tenant_id: str, user_id: str) -> User | None:
    """The user, if both it and its tenant are active."""
    tenant = uow.tenants.get(tenant_id)
    user = uow.users.get(tenant_id, user_id)
    if tenant is None or not tenant.active or user is None or not user.active:
        return None
    return user


@frozen
class Authenticate:
    uow: UnitOfWork
    clock: Clock
    tokens: TokenIssuer

    def __call__(self, credential: str) -> Authenticated:
        """The caller presenting `credential` (the bearer token or API key, without a scheme);
        `Unauthenticated` for anything not good right now."""
        now = self.clock.now()
        if credential.startswith(f"{API_KEY_PREFIX}_"):
            return self._api_key(credential, now)
        try:
            claims = self.tokens.verify(credential, now)
        except InvalidToken:
            raise Unauthenticated() from None
        with self.uow:
            if self.uow.denylist.is_denied(claims.token_id):
                raise Unauthenticated()
            user = active_user(self.uow, claims.tenant_id, claims.subject)
        if user is None:
            raise Unauthenticated()
        return Authenticated(user.principal(), claims.token_id, claims.expires_at)

    def _api_key(self, credential: str, now: datetime) -> Authenticated:
        parsed = parse_credential(API_KEY_PREFIX, credential)
        if parsed is None:
            raise Unauthenticated()
        key_id, secret = parsed
        with self.uow:
            key = self.uow.api_keys.get(key_id)
            if key is None or key.revoked or not _matches(secret, key.secret_hash):
                raise Unauthenticated()
            tenant = self.uow.tenants.get(key.tenant_id)
            if tenant is None or not tenant.active:
                raise Unauthenticated()
            if needs_touch(key, now):
                self.uow.api_keys.update(evolve(key, last_used_at=now))
                self.uow.commit()
        return Authenticated(key.principal())


@frozen
class Profile:
    """What `GET /auth/me` shows: who the caller is and what they may do. An API key has no
    email; its display name is the key's name."""

    user_id: str
    tenant_id: str
    email: str | None
    display_name: str
    role: Role
    permissions: tuple[Permission, ...]


@frozen
class Me:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> Profile:
        permissions = tuple(sorted(effective_permissions(principal)))
        with self.uow:
            if principal.user_id.startswith(API_KEY_ACTOR):
                key = self.uow.api_keys.get(principal.user_id.removeprefix(API_KEY_ACTOR))
                if key is None or key.tenant_id != principal.tenant_id:
                    raise Unauthenticated()
                return Profile(
                    principal.user_id, key.tenant_id, None, key.name, key.role, permissions
                )
            user = self.uow.users.get(principal.tenant_id, principal.user_id)
        if user is None:
            raise Unauthenticated()
        return Profile(
            user.id, user.tenant_id, user.email, user.display_name, user.role, permissions
        )
