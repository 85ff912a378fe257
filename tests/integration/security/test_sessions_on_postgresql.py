"""A session's whole life on the real adapters (Argon2, JWT, PostgreSQL): a logout holds
after a restart, and a replayed refresh token revokes its family for every replica."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from attrs import evolve
from sqlalchemy import URL

from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.secrets import RandomSecrets
from adapters.security.tokens import JwtTokenIssuer
from adapters.sql import SqlUnitOfWork, create_engine_for
from application.credit.auth import Login, Logout, Refresh
from application.credit.authenticate import Authenticate
from application.errors import Unauthenticated
from tests.builders import TENANT, a_tenant, a_user
from tests.fakes import FixedClock, SequentialIds

SECRET = b"sessions-test-secret-0123456789abcdef"
PASSWORD = "correct horse battery staple"


class _Replica:
    """One process: its own engine and adapters, the database and the secret shared."""

    def __init__(self, url: URL, clock: FixedClock, ids: SequentialIds) -> None:
        self.engine = create_engine_for(url)
        self.clock, self.ids = clock, ids
        self.hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        self.tokens = JwtTokenIssuer(SECRET)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def login(self) -> Login:
        parts = (self.uow(), self.clock, self.ids, self.tokens, RandomSecrets())
        return Login(*parts, hasher=self.hasher)

    def refresh(self) -> Refresh:
        return Refresh(self.uow(), self.clock, self.ids, self.tokens, RandomSecrets())

    def logout(self) -> Logout:
        return Logout(self.uow(), self.clock, self.ids, self.tokens, RandomSecrets())

    def authenticate(self) -> Authenticate:
        return Authenticate(self.uow(), self.clock, self.tokens)


@pytest.fixture
def replicas(postgres_database: URL) -> Iterator[tuple[_Replica, _Replica]]:
    clock, ids = FixedClock(), SequentialIds("s-")
    first, second = _Replica(postgres_database, clock, ids), _Replica(postgres_database, clock, ids)
    user = evolve(
        a_user(id="user-ana", email="ana@example.com"),
        password_hash=first.hasher.hash(PASSWORD),
    )
    with first.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug="acme-credit"))
        uow.users.add(user)
        uow.commit()
    yield first, second
    first.engine.dispose()
    second.engine.dispose()


def test_a_logout_holds_on_another_replica(replicas: tuple[_Replica, _Replica]) -> None:
    first, second = replicas
    pair = first.login()("ana@example.com", PASSWORD, "acme-credit")
    session = second.authenticate()(pair.access_token)

    first.logout()(session, pair.refresh_token)

    with pytest.raises(Unauthenticated):
        second.authenticate()(pair.access_token)
    with pytest.raises(Unauthenticated):
        second.refresh()(pair.refresh_token)


def test_a_replayed_refresh_token_revokes_the_family_everywhere(
    replicas: tuple[_Replica, _Replica],
) -> None:
    first, second = replicas
    pair = first.login()("ana@example.com", PASSWORD, None)
    rotated = first.refresh()(pair.refresh_token)

    with pytest.raises(Unauthenticated):
        second.refresh()(pair.refresh_token)
    with pytest.raises(Unauthenticated):
        first.refresh()(rotated.refresh_token)
