"""Contract of the administrative records: routing-policy versions, tenants and users."""

from __future__ import annotations

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.policy_versions import VersionStatus
from domain.identity import Role
from tests.builders import (
    OTHER_TENANT,
    TENANT,
    a_policy_version,
    a_routing_policy,
    a_tenant,
    a_user,
)
from tests.contracts.parents import with_parents, with_tenants

APPROVED = VersionStatus.APPROVED


def test_a_policy_version_round_trips_and_stays_in_its_tenant(uow: UnitOfWork) -> None:
    proposed = a_policy_version(version=1, note="tighter band")
    with uow:
        with_parents(uow)
        assert uow.policies.get(TENANT, 1) is None
        uow.policies.add(proposed)
        uow.commit()

    with uow:
        assert uow.policies.get(TENANT, 1) == proposed
        assert uow.policies.get(TENANT, 2) is None
        assert uow.policies.get(OTHER_TENANT, 1) is None
        assert uow.policies.versions(OTHER_TENANT) == []


def test_version_numbers_are_unique_per_tenant(uow: UnitOfWork) -> None:
    first = a_policy_version(version=1)
    elsewhere = a_policy_version(tenant_id=OTHER_TENANT, version=1)
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.policies.add(first)
        with pytest.raises(AlreadyExists):
            uow.policies.add(
                a_policy_version(version=1, policy=a_routing_policy(auto_decline_max=500))
            )
        uow.policies.add(elsewhere)
        uow.commit()

    with uow:
        assert uow.policies.versions(TENANT) == [first]
        assert uow.policies.versions(OTHER_TENANT) == [elsewhere]


def test_an_update_records_the_review(uow: UnitOfWork) -> None:
    proposed = a_policy_version(version=1)
    reviewed = a_policy_version(version=1, status=APPROVED)
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.policies.add(proposed)
        uow.commit()
    with uow:
        uow.policies.update(reviewed)
        with pytest.raises(RecordNotFound):
            uow.policies.update(a_policy_version(version=2))
        with pytest.raises(RecordNotFound):
            uow.policies.update(a_policy_version(tenant_id=OTHER_TENANT, version=1))
        uow.commit()

    with uow:
        assert uow.policies.get(TENANT, 1) == reviewed
        assert uow.policies.get(OTHER_TENANT, 1) is None


def test_versions_come_newest_number_first(uow: UnitOfWork) -> None:
    added = {n: a_policy_version(version=n) for n in (2, 3, 1, 10)}
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for version in added.values():
            uow.policies.add(version)
        uow.policies.add(a_policy_version(tenant_id=OTHER_TENANT, version=5))
        uow.commit()

    with uow:
        assert uow.policies.versions(TENANT) == [added[n] for n in (10, 3, 2, 1)]
        assert [v.version for v in uow.policies.versions(OTHER_TENANT)] == [5]
        assert uow.policies.versions("tenant-nobody") == []


def test_a_version_is_in_force_only_once_activated_and_rolls_back(uow: UnitOfWork) -> None:
    first = a_policy_version(version=1, status=APPROVED)
    second = a_policy_version(
        version=2, status=APPROVED, policy=a_routing_policy(version=2, auto_approve_min=700)
    )
    with uow:
        with_parents(uow)
        assert uow.policies.active(TENANT) is None
        uow.policies.add(first)
        uow.policies.add(second)
        assert uow.policies.active(TENANT) is None
        uow.policies.activate(TENANT, 2)
        uow.commit()

    with uow:
        assert uow.policies.active(TENANT) == second.policy
        assert uow.policies.active(OTHER_TENANT) is None
        uow.policies.activate(TENANT, 1)
        uow.commit()

    with uow:
        assert uow.policies.active(TENANT) == first.policy


def test_only_a_stored_version_of_the_tenant_is_activated(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.policies.add(a_policy_version(version=1, status=APPROVED))
        uow.policies.activate(TENANT, 1)
        with pytest.raises(RecordNotFound):
            uow.policies.activate(TENANT, 9)
        with pytest.raises(RecordNotFound):
            uow.policies.activate(OTHER_TENANT, 1)
        uow.commit()

    with uow:
        assert uow.policies.active(TENANT) == a_routing_policy(version=1)
        assert uow.policies.active(OTHER_TENANT) is None


def test_a_tenant_is_found_by_id_and_by_slug(uow: UnitOfWork) -> None:
    acme = a_tenant(id="t-acme", slug="acme-credit")
    with uow:
        uow.tenants.add(acme)
        uow.commit()

    with uow:
        assert uow.tenants.get("t-acme") == acme
        assert uow.tenants.get_by_slug("acme-credit") == acme
        assert uow.tenants.get("t-other") is None
        assert uow.tenants.get_by_slug("acme") is None


def test_tenant_ids_and_slugs_are_unique(uow: UnitOfWork) -> None:
    acme = a_tenant(id="t-acme", slug="acme-credit")
    with uow:
        uow.tenants.add(acme)
        with pytest.raises(AlreadyExists):
            uow.tenants.add(a_tenant(id="t-acme", slug="other-bank"))
        with pytest.raises(AlreadyExists):
            uow.tenants.add(a_tenant(id="t-other", slug="acme-credit"))
        uow.commit()

    with uow:
        assert uow.tenants.list() == [acme]


def test_tenants_update_and_list_by_slug(uow: UnitOfWork) -> None:
    zeta = a_tenant(id="t-1", slug="zeta-bank", name="Zeta Bank")
    acme = a_tenant(id="t-2", slug="acme-credit")
    midway = a_tenant(id="t-3", slug="midway-loans", name="Midway Loans")
    renamed = evolve(acme, name="Acme Credit d.o.o.", active=False)
    with uow:
        for tenant in (zeta, acme, midway):
            uow.tenants.add(tenant)
        uow.commit()
    with uow:
        uow.tenants.update(renamed)
        with pytest.raises(RecordNotFound):
            uow.tenants.update(a_tenant(id="t-404", slug="nowhere"))
        with pytest.raises(AlreadyExists):
            uow.tenants.update(evolve(midway, slug="zeta-bank"))
        uow.commit()

    with uow:
        assert uow.tenants.list() == [renamed, midway, zeta]
        assert uow.tenants.get_by_slug("acme-credit") == renamed


def test_a_user_is_found_by_id_and_by_email_ignoring_case(uow: UnitOfWork) -> None:
    ana = a_user(id="user-1", email="Ana.Markovic@Example.com")
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.users.add(ana)
        uow.commit()

    with uow:
        assert uow.users.get(TENANT, "user-1") == ana
        assert uow.users.get_by_email(TENANT, "ana.markovic@example.com") == ana
        assert uow.users.get_by_email(TENANT, "ANA.MARKOVIC@EXAMPLE.COM") == ana
        assert uow.users.get_by_email(TENANT, "ana@example.com") is None
        assert uow.users.get(OTHER_TENANT, "user-1") is None
        assert uow.users.get_by_email(OTHER_TENANT, "ana.markovic@example.com") is None


def test_emails_are_unique_per_tenant_ignoring_case(uow: UnitOfWork) -> None:
    ana = a_user(id="user-1", email="ana@example.com")
    elsewhere = a_user(id="user-3", tenant_id=OTHER_TENANT, email="ana@example.com")
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.users.add(ana)
        with pytest.raises(AlreadyExists):
            uow.users.add(a_user(id="user-2", email="ANA@example.com"))
        with pytest.raises(AlreadyExists):
            uow.users.add(a_user(id="user-1", email="other@example.com"))
        uow.users.add(elsewhere)
        uow.commit()

    with uow:
        assert uow.users.list(TENANT) == [ana]
        assert uow.users.list(OTHER_TENANT) == [elsewhere]


def test_users_update_and_list_by_email(uow: UnitOfWork) -> None:
    zoe = a_user(id="user-1", email="zoe@example.com", display_name="Zoe")
    ana = a_user(id="user-2", email="ana@example.com")
    marko = a_user(id="user-3", email="marko@example.com", display_name="Marko")
    promoted = evolve(ana, role=Role.SENIOR_ANALYST, display_name="Ana M.", active=False)
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for user in (zoe, ana, marko):
            uow.users.add(user)
        uow.users.add(a_user(id="user-4", tenant_id=OTHER_TENANT, email="bob@example.com"))
        uow.commit()
    with uow:
        uow.users.update(promoted)
        with pytest.raises(RecordNotFound):
            uow.users.update(a_user(id="user-404", email="nobody@example.com"))
        with pytest.raises(AlreadyExists):
            uow.users.update(evolve(marko, email="ZOE@example.com"))
        uow.commit()

    with uow:
        assert uow.users.list(TENANT) == [promoted, marko, zoe]
        assert uow.users.get(TENANT, "user-2") == promoted
        assert [u.id for u in uow.users.list(OTHER_TENANT)] == ["user-4"]
        assert uow.users.list("tenant-nobody") == []
