"""The authentication use cases wired over the fakes, with one tenant and its people stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from attrs import evolve

from application.credit.api_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from application.credit.auth import Login, Logout, Refresh
from application.credit.authenticate import Authenticate, Me
from domain.audit import AuditEvent
from domain.auth import TokenLifetimes
from domain.identity import Role
from domain.tenancy import User
from tests.auth_fakes import CountingSecrets
from tests.builders import NOW, TENANT, a_tenant, a_user
from tests.fakes import (
    FakePasswordHasher,
    FakeTokenIssuer,
    FixedClock,
    InMemoryDatabase,
    InMemoryUnitOfWork,
    SequentialIds,
)

PASSWORD = "correct horse battery staple"
SLUG = "acme-credit"
ANA = "ana@example.com"
LIFETIMES = TokenLifetimes(access=timedelta(minutes=15), refresh=timedelta(days=7))


class AuthDesk:
    def __init__(self) -> None:
        self.database = InMemoryDatabase()
        self.clock = FixedClock(NOW)
        self.ids = SequentialIds("auth-")
        self.hasher = FakePasswordHasher()
        self.tokens = FakeTokenIssuer()
        self.secrets = CountingSecrets()
        with self.uow() as uow:
            uow.tenants.add(a_tenant(id=TENANT, slug=SLUG))
            uow.users.add(self.user())
            uow.users.add(self.user(id="user-adm", email="boss@example.com", role=Role.ADMIN))
            uow.commit()

    def user(self, **changes: Any) -> User:
        user = evolve(a_user(id="user-ana", email=ANA), **changes)
        return evolve(user, password_hash=self.hasher.hash(PASSWORD))

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.database)

    def _sessions(self) -> tuple[InMemoryUnitOfWork, FixedClock, SequentialIds]:
        return self.uow(), self.clock, self.ids

    @property
    def login(self) -> Login:
        return Login(
            *self._sessions(), self.tokens, self.secrets, lifetimes=LIFETIMES, hasher=self.hasher
        )

    @property
    def refresh(self) -> Refresh:
        return Refresh(*self._sessions(), self.tokens, self.secrets, lifetimes=LIFETIMES)

    @property
    def logout(self) -> Logout:
        return Logout(*self._sessions(), self.tokens, self.secrets, lifetimes=LIFETIMES)

    @property
    def authenticate(self) -> Authenticate:
        return Authenticate(self.uow(), self.clock, self.tokens)

    @property
    def me(self) -> Me:
        return Me(self.uow())

    @property
    def create_key(self) -> CreateApiKey:
        return CreateApiKey(self.uow(), self.clock, self.ids, self.secrets)

    @property
    def list_keys(self) -> ListApiKeys:
        return ListApiKeys(self.uow())

    @property
    def revoke_key(self) -> RevokeApiKey:
        return RevokeApiKey(self.uow(), self.clock)

    def change(self, user_id: str, **changes: Any) -> None:
        with self.uow() as uow:
            user = uow.users.get(TENANT, user_id)
            assert user is not None
            uow.users.update(evolve(user, **changes))
            uow.commit()

    def events(self) -> list[AuditEvent]:
        with self.uow() as uow:
            return uow.audit.events(TENANT)

    def actions(self) -> list[str]:
        return [event.action for event in self.events()]
