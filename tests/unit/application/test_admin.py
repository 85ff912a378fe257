from __future__ import annotations

import json

import pytest

from application.credit.admin import UserChanges, UserDraft
from application.errors import NotFound
from domain.audit_verification import verify_chain
from domain.errors import ConflictError, PermissionDenied, ValidationFailed
from domain.identity import Role
from tests.unit.application.helpers import ADMIN, ANALYST, OUTSIDER, SENIOR, Desk

PASSWORD = "correct horse battery staple"
NEW_ANALYST = UserDraft("mila@example.com", "Mila Jovanović", Role.ANALYST, PASSWORD)


def test_a_new_lender_comes_with_its_first_administrator(desk: Desk) -> None:
    admin = UserDraft("boss@lender.example", "Jelena Ilić", Role.ANALYST, PASSWORD)

    created = desk.create_tenant(ADMIN, "nova-banka", "Nova Banka", admin)

    tenant, first = created.tenant, created.admin
    assert (tenant.slug, tenant.name, tenant.active) == ("nova-banka", "Nova Banka", True)
    assert (first.tenant_id, first.role) == (tenant.id, Role.ADMIN)
    assert desk.hasher.verify(first.password_hash, PASSWORD)
    assert desk.read(lambda uow: uow.tenants.get_by_slug("nova-banka")) == tenant
    events = desk.events(tenant.id)
    assert [e.action for e in events] == ["tenant.created", "user.created"]
    assert verify_chain(events).ok
    text = json.dumps([e.new for e in events], ensure_ascii=False)
    assert first.password_hash not in text
    assert "Jelena" not in text


def test_every_problem_of_a_new_tenant_is_reported(desk: Desk) -> None:
    admin = UserDraft("not-an-email", "Jelena", Role.ADMIN, "short")
    before = desk.stored()

    with pytest.raises(ValidationFailed) as raised:
        desk.create_tenant(ADMIN, "Nova Banka!", " ", admin)

    assert [p.path for p in raised.value.problems] == [
        "slug",
        "name",
        "admin.email",
        "admin.password",
    ]
    assert desk.stored() == before


def test_a_taken_slug_is_a_conflict(desk: Desk) -> None:
    admin = UserDraft("boss@lender.example", "Jelena Ilić", Role.ADMIN, PASSWORD)
    desk.create_tenant(ADMIN, "nova-banka", "Nova Banka", admin)

    with pytest.raises(ConflictError, match="nova-banka"):
        desk.create_tenant(ADMIN, "nova-banka", "Another", admin)


def test_creating_tenants_and_users_needs_user_manage(desk: Desk) -> None:
    admin = UserDraft("boss@lender.example", "Jelena Ilić", Role.ADMIN, PASSWORD)

    for person in (ANALYST, SENIOR):
        with pytest.raises(PermissionDenied):
            desk.create_tenant(person, "nova-banka", "Nova Banka", admin)
        with pytest.raises(PermissionDenied, match="user:manage"):
            desk.create_user(person, NEW_ANALYST)
        with pytest.raises(PermissionDenied):
            desk.list_users(person)


def test_a_user_is_created_with_a_hashed_password_and_an_audit_event(desk: Desk) -> None:
    user = desk.create_user(ADMIN, NEW_ANALYST)

    assert (user.tenant_id, user.email, user.role) == (
        ADMIN.tenant_id,
        "mila@example.com",
        Role.ANALYST,
    )
    assert user.password_hash != PASSWORD
    assert desk.hasher.verify(user.password_hash, PASSWORD)
    last = desk.events()[-1]
    assert (last.action, last.entity_id) == ("user.created", user.id)
    assert last.new is not None
    assert "password_hash" not in last.new
    assert last.new["email"] == "***@example.com"


def test_an_email_is_used_once_per_tenant_ignoring_case(desk: Desk) -> None:
    desk.create_user(ADMIN, NEW_ANALYST)

    with pytest.raises(ConflictError):
        desk.create_user(ADMIN, UserDraft("MILA@example.com", "Mila", Role.READONLY, PASSWORD))
    assert desk.create_user(OUTSIDER, NEW_ANALYST).tenant_id == OUTSIDER.tenant_id


def test_every_problem_of_a_new_user_is_reported(desk: Desk) -> None:
    with pytest.raises(ValidationFailed) as raised:
        desk.create_user(ADMIN, UserDraft("mila", " ", Role.ANALYST, "short"))

    assert [p.path for p in raised.value.problems] == ["email", "display_name", "password"]


def test_a_user_is_updated_and_a_new_password_is_hashed(desk: Desk) -> None:
    user = desk.create_user(ADMIN, NEW_ANALYST)
    new_password = "another long passphrase"

    updated = desk.update_user(
        ADMIN, user.id, UserChanges(role=Role.SENIOR_ANALYST, password=new_password)
    )

    assert updated.role is Role.SENIOR_ANALYST
    assert (updated.email, updated.display_name) == (user.email, user.display_name)
    assert desk.hasher.verify(updated.password_hash, new_password)
    last = desk.events()[-1]
    assert last.action == "user.updated"
    assert {c.path for c in last.diff} == {"role", "password_changed"}
    assert updated.password_hash not in json.dumps(last.new)


def test_a_deactivated_user_is_given_no_cases(desk: Desk) -> None:
    user = desk.create_user(ADMIN, NEW_ANALYST)
    desk.update_user(ADMIN, user.id, UserChanges(active=False))
    _application, entry = desk.in_review("LND-1")

    with pytest.raises(NotFound):
        desk.assign(SENIOR, entry.id, user.id)


def test_an_update_is_checked_like_a_creation(desk: Desk) -> None:
    user = desk.create_user(ADMIN, NEW_ANALYST)
    other = desk.create_user(ADMIN, UserDraft("zoran@example.com", "Zoran", Role.ANALYST, PASSWORD))

    with pytest.raises(ValidationFailed, match="password"):
        desk.update_user(ADMIN, user.id, UserChanges(password="short"))
    with pytest.raises(ConflictError):
        desk.update_user(ADMIN, other.id, UserChanges(email="Mila@Example.com"))
    with pytest.raises(NotFound):
        desk.update_user(ADMIN, "user-unknown", UserChanges(active=False))
    with pytest.raises(NotFound):
        desk.update_user(OUTSIDER, user.id, UserChanges(active=False))
    with pytest.raises(PermissionDenied):
        desk.update_user(ANALYST, user.id, UserChanges(active=False))


def test_users_are_listed_by_email_within_the_tenant(desk: Desk) -> None:
    desk.create_user(ADMIN, NEW_ANALYST)

    emails = [user.email for user in desk.list_users(ADMIN)]

    assert emails == sorted(emails)
    assert "mila@example.com" in emails
    assert desk.list_users(OUTSIDER) == []
