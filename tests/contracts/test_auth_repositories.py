"""The contracts of `RefreshTokenRepository`, `TokenDenylist` and `ApiKeyRepository`: the
fake and the SQL adapter on SQLite and PostgreSQL alike (tests/contracts/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.auth import ApiKey, RefreshToken, TokenLifetimes, new_family, rotated
from domain.identity import Role
from tests.builders import NOW, OTHER_TENANT, TENANT, a_user
from tests.contracts.parents import with_tenants

BELGRADE = timezone(timedelta(hours=1))
LIFETIMES = TokenLifetimes()


def _family(token_id: str, user_id: str = "user-1", now: datetime = NOW) -> RefreshToken:
    return new_family(
        token_id, tenant_id=TENANT, user_id=user_id, secret="a" * 64, now=now, lifetimes=LIFETIMES
    )


def _with_users(uow: UnitOfWork) -> None:
    with_tenants(uow, TENANT, OTHER_TENANT)
    uow.users.add(a_user(id="user-1"))
    uow.users.add(a_user(id="user-2", email="bo@example.com"))


def test_a_refresh_token_comes_back_exactly(uow: UnitOfWork) -> None:
    token = _family("rt-1", now=datetime(2026, 11, 22, 10, 30, tzinfo=BELGRADE))
    with uow:
        _with_users(uow)
        uow.refresh_tokens.add(token)
        uow.commit()

    with uow:
        found = uow.refresh_tokens.get("rt-1")
        assert found == token
        assert found is not None
        assert found.issued_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert uow.refresh_tokens.get("rt-2") is None
        with pytest.raises(AlreadyExists):
            uow.refresh_tokens.add(evolve(token, family_id="other"))


def test_a_token_is_used_once_and_a_family_revoked_together(uow: UnitOfWork) -> None:
    first = _family("rt-1")
    used, second = rotated(first, "rt-2", "b" * 64, NOW, LIFETIMES)
    other = _family("rt-9", user_id="user-2")
    with uow:
        _with_users(uow)
        for token in (first, second, other):
            uow.refresh_tokens.add(token)
        uow.commit()

    later = NOW + timedelta(minutes=5)
    with uow:
        assert uow.refresh_tokens.use("rt-1", NOW)
        assert not uow.refresh_tokens.use("rt-1", later)  # used already
        assert not uow.refresh_tokens.use("rt-404", later)
        uow.commit()
    with uow:
        assert uow.refresh_tokens.get("rt-1") == used
        assert uow.refresh_tokens.revoke_family("rt-1", later) == 2
        assert uow.refresh_tokens.revoke_family("rt-1", later + timedelta(hours=1)) == 0
        assert not uow.refresh_tokens.use("rt-2", later)  # revoked
        uow.commit()
    with uow:
        assert uow.refresh_tokens.get("rt-2") == evolve(second, revoked_at=later)
        assert uow.refresh_tokens.get("rt-9") == other


def test_expired_refresh_tokens_are_purged_a_batch_at_a_time(uow: UnitOfWork) -> None:
    tokens = [_family(f"rt-{n}", now=NOW + timedelta(hours=n)) for n in range(5)]
    with uow:
        _with_users(uow)
        for token in tokens:
            uow.refresh_tokens.add(token)
        uow.commit()

    cutoff = tokens[3].expires_at  # rt-0..rt-2 expired before it; rt-3 expires at it
    with uow:
        assert uow.refresh_tokens.purge_expired(cutoff, 2) == 2
        assert uow.refresh_tokens.purge_expired(cutoff, 2) == 1
        assert uow.refresh_tokens.purge_expired(cutoff, 2) == 0
        uow.commit()
    with uow:
        assert [t.id for t in tokens if uow.refresh_tokens.get(t.id)] == ["rt-3", "rt-4"]


def test_a_denied_token_stays_denied_until_purged(uow: UnitOfWork) -> None:
    with uow:
        uow.denylist.add("jti-1", NOW)
        uow.denylist.add("jti-1", NOW)  # again: changes nothing
        uow.denylist.add("jti-2", NOW + timedelta(minutes=15))
        uow.commit()

    with uow:
        assert uow.denylist.is_denied("jti-1")
        assert uow.denylist.is_denied("jti-2")
        assert not uow.denylist.is_denied("jti-3")
        assert uow.denylist.purge_expired(NOW, 10) == 0  # expires at NOW: not before it
        assert uow.denylist.purge_expired(NOW + timedelta(minutes=1), 10) == 1
        uow.commit()
    with uow:
        assert not uow.denylist.is_denied("jti-1")
        assert uow.denylist.is_denied("jti-2")


def test_nothing_is_denied_without_a_commit(uow: UnitOfWork) -> None:
    with uow:
        uow.denylist.add("jti-1", NOW)
    with uow:
        assert not uow.denylist.is_denied("jti-1")


def _key(key_id: str, tenant_id: str = TENANT, at: datetime = NOW) -> ApiKey:
    return ApiKey(key_id, tenant_id, f"service {key_id}", "0" * 64, "user-adm", at)


def test_api_keys_come_back_exactly_and_list_by_tenant(uow: UnitOfWork) -> None:
    keys = [_key("k2"), _key("k1", at=NOW + timedelta(hours=1)), _key("k3", OTHER_TENANT)]
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for key in keys:
            uow.api_keys.add(key)
        uow.commit()

    with uow:
        assert uow.api_keys.get("k2") == keys[0]
        assert uow.api_keys.get("k4") is None
        assert uow.api_keys.list(TENANT) == [keys[0], keys[1]]
        assert uow.api_keys.list(OTHER_TENANT) == [keys[2]]
        assert uow.api_keys.list("tenant-z") == []
        with pytest.raises(AlreadyExists):
            uow.api_keys.add(_key("k1"))


def test_a_key_is_touched_and_revoked_in_place(uow: UnitOfWork) -> None:
    key = _key("k1")
    with uow:
        with_tenants(uow, TENANT)
        uow.api_keys.add(key)
        uow.commit()

    changed = evolve(key, last_used_at=NOW, revoked_at=NOW + timedelta(days=1))
    with uow:
        uow.api_keys.update(changed)
        with pytest.raises(RecordNotFound):
            uow.api_keys.update(_key("k9"))
        uow.commit()
    with uow:
        stored = uow.api_keys.get("k1")
        assert stored == changed
        assert stored is not None
        assert stored.role is Role.API_CONSUMER
