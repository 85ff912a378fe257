from __future__ import annotations

import json
from datetime import timedelta

import pytest

from application.errors import NotFound, Unauthenticated
from domain.auth import API_KEY_PREFIX, parse_credential
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission, Role
from tests.builders import NOW, OTHER_TENANT, TENANT, a_principal, a_tenant
from tests.unit.application.auth_desk import AuthDesk

ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
ANALYST = a_principal(Role.ANALYST, user_id="user-ana")


@pytest.fixture
def desk() -> AuthDesk:
    return AuthDesk()


def test_a_new_key_is_shown_once_and_stored_as_a_hash(desk: AuthDesk) -> None:
    issued = desk.create_key(ADMIN, " loan-origination ")

    key_id, secret = parse_credential(API_KEY_PREFIX, issued.plain) or ("", "")
    assert key_id == issued.key.id
    assert issued.key.name == "loan-origination"
    assert issued.key.role is Role.API_CONSUMER
    assert (issued.key.created_by, issued.key.created_at) == ("user-adm", NOW)
    assert secret not in issued.key.secret_hash
    assert desk.list_keys(ADMIN) == [issued.key]
    assert desk.actions() == ["api_key.created"]
    assert secret not in json.dumps([e.new for e in desk.events()])


def test_an_api_key_acts_in_its_tenant_as_api_consumer(desk: AuthDesk) -> None:
    issued = desk.create_key(ADMIN, "loan-origination")

    session = desk.authenticate(issued.plain)

    assert session.principal.tenant_id == TENANT
    assert session.principal.role is Role.API_CONSUMER
    assert session.token_id is None
    profile = desk.me(session.principal)
    assert (profile.email, profile.display_name) == (None, "loan-origination")
    assert Permission.APPLICATION_CREATE in profile.permissions


def test_a_key_records_its_last_use_at_most_once_a_minute(desk: AuthDesk) -> None:
    issued = desk.create_key(ADMIN, "loan-origination")

    def last_used() -> object:
        return desk.list_keys(ADMIN)[0].last_used_at

    desk.authenticate(issued.plain)
    assert last_used() == NOW
    desk.clock.advance(timedelta(seconds=59))
    desk.authenticate(issued.plain)
    assert last_used() == NOW
    desk.clock.advance(timedelta(seconds=1))
    desk.authenticate(issued.plain)
    assert last_used() == NOW + timedelta(minutes=1)


def test_a_revoked_or_wrong_key_is_refused(desk: AuthDesk) -> None:
    issued = desk.create_key(ADMIN, "loan-origination")
    key_id, secret = parse_credential(API_KEY_PREFIX, issued.plain) or ("", "")

    for wrong in (f"{API_KEY_PREFIX}_{key_id}_{'f' * len(secret)}", f"{API_KEY_PREFIX}_x", "cd_"):
        with pytest.raises(Unauthenticated):
            desk.authenticate(wrong)
    revoked = desk.revoke_key(ADMIN, issued.key.id)
    assert revoked.revoked_at == NOW
    with pytest.raises(Unauthenticated):
        desk.authenticate(issued.plain)
    assert desk.revoke_key(ADMIN, issued.key.id) == revoked  # again: nothing changes
    assert desk.actions() == ["api_key.created", "api_key.revoked"]


def test_managing_keys_needs_user_manage(desk: AuthDesk) -> None:
    issued = desk.create_key(ADMIN, "loan-origination")

    with pytest.raises(PermissionDenied):
        desk.create_key(ANALYST, "mine")
    with pytest.raises(PermissionDenied):
        desk.list_keys(ANALYST)
    with pytest.raises(PermissionDenied):
        desk.revoke_key(ANALYST, issued.key.id)


def test_another_tenants_key_is_not_found(desk: AuthDesk) -> None:
    with desk.uow() as uow:
        uow.tenants.add(a_tenant(id=OTHER_TENANT, slug="other-lender"))
        uow.commit()
    issued = desk.create_key(ADMIN, "loan-origination")
    outsider = a_principal(Role.ADMIN, user_id="user-x", tenant_id=OTHER_TENANT)

    with pytest.raises(NotFound):
        desk.revoke_key(outsider, issued.key.id)
    assert desk.list_keys(outsider) == []
    desk.authenticate(issued.plain)


def test_a_key_needs_a_name(desk: AuthDesk) -> None:
    with pytest.raises(ValidationFailed):
        desk.create_key(ADMIN, "  ")
