"""Sessions: log in, refresh, log out.

A login returns a short-lived access token (signed; it carries the tenant and the
permissions) and a refresh token (opaque; stored as a hash). Refreshing rotates the refresh
token: the one presented is used up and a new one of the same family comes back; presenting a
used one again revokes the whole family (`domain.auth`). Logging out denies the access token
until it expires, in the database, so the logout holds across restarts and replicas, and
revokes the session's refresh-token family.

Every way a login can fail gives the same `Unauthenticated`, and an unknown email costs a hash
as a wrong password does, so neither the answer nor its timing tells which emails exist.
"""

from __future__ import annotations

from datetime import datetime

from attrs import evolve, field, frozen

from application.credit.authenticate import Authenticated, active_user
from application.credit.ports import SecretSource, UnitOfWork
from application.credit.recording import Journal
from application.errors import Unauthenticated
from application.ports import Clock, IdGenerator, PasswordHasher, TokenClaims, TokenIssuer
from domain.auth import (
    REFRESH_TOKEN_PREFIX,
    RefreshToken,
    RefreshVerdict,
    TokenLifetimes,
    credential,
    new_family,
    parse_credential,
    refresh_verdict,
    rotated,
    secret_matches,
)
from domain.identity import effective_permissions
from domain.tenancy import User


@frozen
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    token_type: str = "Bearer"  # noqa: S105 - the scheme of RFC 6750, not a secret


def _whole_second(moment: datetime) -> datetime:
    """Token times are whole seconds (a JWT's are), so what is stored matches what is signed."""
    return moment.replace(microsecond=0)


@frozen
class _Sessions:
    """What the three use cases share: the ports that issue tokens, and how long they last."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    tokens: TokenIssuer
    secrets: SecretSource
    lifetimes: TokenLifetimes = field(factory=TokenLifetimes, kw_only=True)

    def _pair(self, user: User, refresh: RefreshToken, secret: str) -> TokenPair:
        claims = TokenClaims(
            subject=user.id,
            tenant_id=user.tenant_id,
            permissions=frozenset(p.value for p in effective_permissions(user.principal())),
            issued_at=refresh.issued_at,
            expires_at=refresh.issued_at + self.lifetimes.access,
            token_id=self.ids.new_id(),
        )
        return TokenPair(
            access_token=self.tokens.issue(claims),
            access_expires_at=claims.expires_at,
            refresh_token=credential(REFRESH_TOKEN_PREFIX, refresh.id, secret),
            refresh_expires_at=refresh.expires_at,
        )

    def _presented(self, refresh_token: str) -> tuple[RefreshToken, str] | None:
        """The stored token `refresh_token` names, if its secret matches, and the secret."""
        parsed = parse_credential(REFRESH_TOKEN_PREFIX, refresh_token)
        if parsed is None:
            return None
        token = self.uow.refresh_tokens.get(parsed[0])
        if token is None or not secret_matches(parsed[1], token.secret_hash):
            return None
        return token, parsed[1]

    def _revoke(self, token: RefreshToken, now: datetime, action: str) -> None:
        self.uow.refresh_tokens.revoke_family(token.family_id, now)
        journal = Journal(self.uow, token.tenant_id, token.user_id, now)
        journal.audit(action, "user", token.user_id, new={"session": token.family_id})


@frozen
class Login(_Sessions):
    hasher: PasswordHasher = field(kw_only=True)

    def __call__(self, email: str, password: str, tenant_slug: str | None = None) -> TokenPair:
        """Tokens for the user with this email and password. Without `tenant_slug` the email
        must belong to one tenant only; someone with accounts at two lenders names one."""
        now = _whole_second(self.clock.now())
        with self.uow:
            user = self._find(email, tenant_slug)
            if user is None:
                self.hasher.hash(password)  # as long as a verify: the timing tells nothing
                raise Unauthenticated()
            journal = Journal(self.uow, user.tenant_id, user.id, now)
            if not self.hasher.verify(user.password_hash, password):
                journal.audit("auth.login_failed", "user", user.id)
                self.uow.commit()
                raise Unauthenticated()
            if active_user(self.uow, user.tenant_id, user.id) is None:
                raise Unauthenticated()
            record: dict[str, str | bool] = {}
            if self.hasher.needs_rehash(user.password_hash):
                user = evolve(user, password_hash=self.hasher.hash(password))
                self.uow.users.update(user)
                record["password_rehashed"] = True
            secret = self.secrets.new_secret()
            refresh = new_family(
                self.ids.new_id(),
                tenant_id=user.tenant_id,
                user_id=user.id,
                secret=secret,
                now=now,
                lifetimes=self.lifetimes,
            )
            self.uow.refresh_tokens.add(refresh)
            journal.audit("auth.login", "user", user.id, new={"session": refresh.id, **record})
            pair = self._pair(user, refresh, secret)
            self.uow.commit()
            return pair

    def _find(self, email: str, tenant_slug: str | None) -> User | None:
        if tenant_slug is not None:
            tenant = self.uow.tenants.get_by_slug(tenant_slug)
            return None if tenant is None else self.uow.users.get_by_email(tenant.id, email)
        found = [
            user
            for tenant in self.uow.tenants.list()
            if (user := self.uow.users.get_by_email(tenant.id, email)) is not None
        ]
        return found[0] if len(found) == 1 else None


@frozen
class Refresh(_Sessions):
    def __call__(self, refresh_token: str) -> TokenPair:
        """A new pair for a valid refresh token, which is used up. A token used before revokes
        its whole family; so does losing a race with another request using the same token."""
        now = _whole_second(self.clock.now())
        with self.uow:
            presented = self._presented(refresh_token)
            if presented is None:
                raise Unauthenticated()
            token, _secret = presented
            verdict = refresh_verdict(token, now)
            if verdict is RefreshVerdict.REUSED:
                self._revoke(token, now, "auth.refresh_reused")
                self.uow.commit()
                raise Unauthenticated()
            if verdict is not RefreshVerdict.VALID:
                raise Unauthenticated()
            user = active_user(self.uow, token.tenant_id, token.user_id)
            if user is None or not self.uow.refresh_tokens.use(token.id, now):
                self._revoke(token, now, "auth.session_revoked")
                self.uow.commit()
                raise Unauthenticated()
            secret = self.secrets.new_secret()
            _used, successor = rotated(token, self.ids.new_id(), secret, now, self.lifetimes)
            self.uow.refresh_tokens.add(successor)
            pair = self._pair(user, successor, secret)
            self.uow.commit()
            return pair


@frozen
class Logout(_Sessions):
    def __call__(self, session: Authenticated, refresh_token: str | None = None) -> None:
        """Deny the session's access token until it expires, and revoke the family of
        `refresh_token` if it is the same user's (someone else's is left alone)."""
        now = self.clock.now()
        principal = session.principal
        with self.uow:
            if session.token_id is not None and session.expires_at is not None:
                self.uow.denylist.add(session.token_id, session.expires_at)
            presented = None if refresh_token is None else self._presented(refresh_token)
            if presented is not None:
                token = presented[0]
                if (token.tenant_id, token.user_id) == (principal.tenant_id, principal.user_id):
                    self.uow.refresh_tokens.revoke_family(token.family_id, now)
            Journal.of(self.uow, principal, now).audit("auth.logout", "user", principal.user_id)
            self.uow.commit()
