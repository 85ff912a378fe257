"""Naming the people of an analytics report: the caller's tenant only, analytics:view only."""

from __future__ import annotations

import pytest

from application.credit.analyst_names import NameAnalysts
from domain.errors import PermissionDenied
from domain.identity import Role
from tests.builders import OTHER_TENANT, a_principal, a_user
from tests.fakes import InMemoryUnitOfWork


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    store = InMemoryUnitOfWork()
    with store:
        store.users.add(a_user(id="u-1", display_name="Alex Analyst", email="a@x.example"))
        store.users.add(a_user(id="u-2", display_name="Bea Analyst", email="b@x.example"))
        store.users.add(
            a_user(id="u-9", tenant_id=OTHER_TENANT, display_name="Elsewhere", email="e@x.example")
        )
        store.commit()
    return store


def test_each_id_of_the_callers_tenant_gets_its_name(uow: InMemoryUnitOfWork) -> None:
    names = NameAnalysts(uow)(a_principal(Role.SENIOR_ANALYST), ["u-2", "u-1", "u-2"])
    assert names == {"u-1": "Alex Analyst", "u-2": "Bea Analyst"}


def test_another_tenants_user_or_a_removed_one_stays_unnamed(uow: InMemoryUnitOfWork) -> None:
    assert NameAnalysts(uow)(a_principal(Role.ANALYST), ["u-9", "gone"]) == {}


def test_a_role_without_analytics_view_may_not_ask(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        NameAnalysts(uow)(a_principal(Role.READONLY), ["u-1"])
