"""Reading one user, the caller's tenant and every tenant: each behind its permission, and
another tenant's user not found."""

from __future__ import annotations

import pytest

from application.credit.admin import UserDraft
from application.credit.tenancy_queries import GetTenant, GetUser, ListTenants
from application.errors import NotFound
from domain.errors import PermissionDenied
from domain.identity import Principal, Role
from tests.unit.application.helpers import ADMIN, ANALYST, OUTSIDER, SENIOR, Desk

FIRST_ADMIN = UserDraft("boss@lender.example", "Jelena Ilić", Role.ADMIN, "a long passphrase")


def test_a_user_is_read_in_its_own_tenant_only(desk: Desk) -> None:
    read = GetUser(desk.uow)
    assert read(ADMIN, ANALYST.user_id).role is Role.ANALYST
    with pytest.raises(NotFound):
        read(OUTSIDER, ANALYST.user_id)
    with pytest.raises(NotFound):
        read(ADMIN, "user-nobody")
    with pytest.raises(PermissionDenied):
        read(SENIOR, ANALYST.user_id)


def test_the_caller_reads_their_own_tenant(desk: Desk) -> None:
    created = desk.create_tenant(ADMIN, "nova-banka", "Nova Banka", FIRST_ADMIN)
    inside = Principal(created.admin.id, created.tenant.id, Role.ADMIN)
    assert GetTenant(desk.uow)(inside) == created.tenant
    with pytest.raises(NotFound):
        GetTenant(desk.uow)(Principal("user-x", "tenant-gone", Role.ADMIN))
    with pytest.raises(PermissionDenied):
        GetTenant(desk.uow)(Principal("user-y", created.tenant.id, Role.SENIOR_ANALYST))


def test_every_tenant_is_listed_to_an_operator_alone(desk: Desk) -> None:
    created = desk.create_tenant(ADMIN, "nova-banka", "Nova Banka", FIRST_ADMIN)
    assert created.tenant in ListTenants(desk.uow)(ADMIN)
    with pytest.raises(PermissionDenied):
        ListTenants(desk.uow)(SENIOR)
