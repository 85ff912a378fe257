from __future__ import annotations

import json
from datetime import timedelta

import pytest
from attrs import evolve

from application.errors import Unauthenticated
from domain.auth import REFRESH_TOKEN_PREFIX, parse_credential
from domain.identity import Permission, Role
from tests.builders import NOW, TENANT
from tests.fakes import FakePasswordHasher
from tests.unit.application.auth_desk import ANA, LIFETIMES, PASSWORD, SLUG, AuthDesk


@pytest.fixture
def desk() -> AuthDesk:
    return AuthDesk()


def test_a_login_gives_tokens_naming_the_user_tenant_and_permissions(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)

    claims = desk.tokens.verify(pair.access_token, NOW)
    assert (claims.subject, claims.tenant_id) == ("user-ana", TENANT)
    assert Permission.DECISION_CREATE.value in claims.permissions
    assert Permission.USER_MANAGE.value not in claims.permissions
    assert pair.access_expires_at == NOW + LIFETIMES.access
    assert pair.refresh_expires_at == NOW + LIFETIMES.refresh
    assert parse_credential(REFRESH_TOKEN_PREFIX, pair.refresh_token) is not None
    assert desk.actions() == ["auth.login"]
    assert PASSWORD not in json.dumps([e.new for e in desk.events()])


def test_the_tenant_may_be_left_out_when_the_email_is_in_one_tenant(desk: AuthDesk) -> None:
    pair = desk.login(ANA.upper(), PASSWORD)

    assert desk.tokens.verify(pair.access_token, NOW).subject == "user-ana"


def _refused(desk: AuthDesk, email: str, password: str, slug: str | None = SLUG) -> str:
    with pytest.raises(Unauthenticated) as raised:
        desk.login(email, password, slug)
    return str(raised.value)


def test_every_failed_login_gives_the_same_answer(desk: AuthDesk) -> None:
    desk.change("user-adm", active=False)
    answers = {
        _refused(desk, ANA, "wrong password, long enough"),
        _refused(desk, "nobody@example.com", PASSWORD),
        _refused(desk, ANA, PASSWORD, "another-lender"),
        _refused(desk, "boss@example.com", PASSWORD),  # inactive user
    }

    assert len(answers) == 1
    with desk.uow() as uow:
        assert uow.refresh_tokens.purge_expired(NOW + timedelta(days=999), 100) == 0


def test_a_user_of_an_inactive_tenant_cannot_log_in(desk: AuthDesk) -> None:
    with desk.uow() as uow:
        tenant = uow.tenants.get(TENANT)
        assert tenant is not None
        uow.tenants.update(evolve(tenant, active=False))
        uow.commit()

    _refused(desk, ANA, PASSWORD)


def test_a_wrong_password_of_a_known_user_is_audited(desk: AuthDesk) -> None:
    _refused(desk, ANA, "wrong password, long enough")

    assert desk.actions() == ["auth.login_failed"]


class _UpgradingHasher(FakePasswordHasher):
    """The fake scheme, which also verifies hashes of an older one it wants rehashed."""

    def verify(self, hashed: str, password: str) -> bool:
        return super().verify(hashed.removeprefix(_LEGACY), password)


_LEGACY = "legacy:"


def test_an_outdated_hash_is_upgraded_at_login(desk: AuthDesk) -> None:
    desk.hasher = _UpgradingHasher()
    desk.change("user-ana", password_hash=_LEGACY + desk.hasher.hash(PASSWORD))

    desk.login(ANA, PASSWORD, SLUG)

    with desk.uow() as uow:
        user = uow.users.get(TENANT, "user-ana")
    assert user is not None
    assert user.password_hash == desk.hasher.hash(PASSWORD)
    assert desk.events()[-1].new == {"session": "auth-1", "password_rehashed": True}


def test_a_refresh_rotates_both_tokens(desk: AuthDesk) -> None:
    first = desk.login(ANA, PASSWORD, SLUG)
    desk.clock.advance(timedelta(minutes=20))

    second = desk.refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert desk.tokens.verify(second.access_token, desk.clock.now()).subject == "user-ana"
    assert second.refresh_expires_at == desk.clock.now() + LIFETIMES.refresh
    third = desk.refresh(second.refresh_token)
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)


def test_reusing_a_refresh_token_revokes_its_whole_family(desk: AuthDesk) -> None:
    first = desk.login(ANA, PASSWORD, SLUG)
    second = desk.refresh(first.refresh_token)
    other_session = desk.login(ANA, PASSWORD, SLUG)

    with pytest.raises(Unauthenticated):
        desk.refresh(first.refresh_token)  # a thief's replay, or the owner's: no telling

    with pytest.raises(Unauthenticated):
        desk.refresh(second.refresh_token)  # the family is gone
    assert "auth.refresh_reused" in desk.actions()
    desk.refresh(other_session.refresh_token)  # another session is untouched


def test_an_expired_or_forged_refresh_token_is_refused(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    token_id, secret = parse_credential(REFRESH_TOKEN_PREFIX, pair.refresh_token) or ("", "")
    forged = f"{REFRESH_TOKEN_PREFIX}_{token_id}_{'0' * len(secret)}"

    for bad in (forged, "", "cdr_nothing", pair.access_token):
        with pytest.raises(Unauthenticated):
            desk.refresh(bad)
    desk.clock.advance(LIFETIMES.refresh)
    with pytest.raises(Unauthenticated):
        desk.refresh(pair.refresh_token)


def test_a_deactivated_user_cannot_refresh(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    desk.change("user-ana", active=False)

    with pytest.raises(Unauthenticated):
        desk.refresh(pair.refresh_token)


def test_an_access_token_authenticates_as_the_user_as_stored_now(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    desk.change("user-ana", role=Role.READONLY)

    session = desk.authenticate(pair.access_token)

    assert session.principal.user_id == "user-ana"
    assert session.principal.role is Role.READONLY
    assert session.expires_at == pair.access_expires_at


def test_an_expired_token_is_refused(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    desk.clock.set(pair.access_expires_at - timedelta(seconds=1))
    desk.authenticate(pair.access_token)

    desk.clock.set(pair.access_expires_at)
    with pytest.raises(Unauthenticated):
        desk.authenticate(pair.access_token)


def test_a_deactivated_user_token_is_refused(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    desk.change("user-ana", active=False)

    with pytest.raises(Unauthenticated):
        desk.authenticate(pair.access_token)


def test_logout_denies_the_access_token_and_revokes_the_family(desk: AuthDesk) -> None:
    pair = desk.login(ANA, PASSWORD, SLUG)
    session = desk.authenticate(pair.access_token)

    desk.logout(session, pair.refresh_token)

    # Every use case runs in a fresh unit of work: the logout was stored, not remembered.
    with pytest.raises(Unauthenticated):
        desk.authenticate(pair.access_token)
    with pytest.raises(Unauthenticated):
        desk.refresh(pair.refresh_token)
    assert desk.actions()[-1] == "auth.logout"


def test_logout_leaves_another_users_refresh_token_alone(desk: AuthDesk) -> None:
    mine = desk.login(ANA, PASSWORD, SLUG)
    theirs = desk.login("boss@example.com", PASSWORD, SLUG)

    desk.logout(desk.authenticate(mine.access_token), theirs.refresh_token)

    desk.refresh(theirs.refresh_token)


def test_me_shows_who_the_user_is(desk: AuthDesk) -> None:
    session = desk.authenticate(desk.login(ANA, PASSWORD, SLUG).access_token)

    profile = desk.me(session.principal)

    assert (profile.user_id, profile.tenant_id, profile.email) == ("user-ana", TENANT, ANA)
    assert profile.role is Role.ANALYST
    assert Permission.DECISION_CREATE in profile.permissions
    assert list(profile.permissions) == sorted(profile.permissions)
