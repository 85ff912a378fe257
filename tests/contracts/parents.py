"""The parent rows a contract stores before the records that refer to them.

The SQL contracts run against the migrated schema with every foreign key on: an application,
user, policy version, audit event or outbox message names a stored tenant, and a scoring
result, queue entry, decision or idempotency record names a stored application. These helpers
add those parents, inside a unit of work the caller has opened, so that a test spells out only
the records it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from application.credit.ports import UnitOfWork
from tests.builders import TENANT, a_tenant, an_application


class _OfATenant(Protocol):
    @property
    def tenant_id(self) -> str: ...


def with_parents(
    uow: UnitOfWork, *, tenant_id: str = TENANT, application_ids: Iterable[str] = ()
) -> None:
    """Add tenant `tenant_id` (its slug is its id) and a default application of that tenant
    under each of `application_ids`."""
    uow.tenants.add(a_tenant(id=tenant_id, slug=tenant_id))
    for application_id in application_ids:
        uow.applications.add(an_application(id=application_id, tenant_id=tenant_id))


def with_tenants(uow: UnitOfWork, *tenant_ids: str) -> None:
    """Add each of the tenants, as `with_parents` would."""
    for tenant_id in tenant_ids:
        with_parents(uow, tenant_id=tenant_id)


def with_parents_of(uow: UnitOfWork, records: Iterable[_OfATenant]) -> None:
    """Add, once each, the tenant of every record and the application it names (if it has an
    `application_id`), as `with_parents` would."""
    applications: dict[str, list[str]] = {}
    for record in records:
        named = applications.setdefault(record.tenant_id, [])
        application_id = getattr(record, "application_id", None)
        if isinstance(application_id, str) and application_id not in named:
            named.append(application_id)
    for tenant_id, application_ids in applications.items():
        with_parents(uow, tenant_id=tenant_id, application_ids=application_ids)
