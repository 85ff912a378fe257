"""Records stored twice, to compare two ways of storing them: one by one in TENANT, in bulk in
OTHER_TENANT. Tenants never see each other's records, so each reads like a store of its own;
what the two read back must be the same but for the tenant."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import attrs
from attrs import evolve

from application.credit.ports import UnitOfWork
from tests.builders import NOW, OTHER_TENANT, TENANT, an_application
from tests.contracts.parents import with_parents

T = TypeVar("T")
LATER = NOW + timedelta(hours=1)
APPS = ["app-1", "app-2", "app-3"]


def added_both_ways(
    records: Callable[[str], Sequence[T]],
    add: Callable[[T], None],
    add_many: Callable[[Sequence[T]], None],
) -> None:
    """TENANT's records added one by one, OTHER_TENANT's in one bulk call."""
    for record in records(TENANT):
        add(record)
    add_many(records(OTHER_TENANT))


def _as_tenant(values: Any, tenant_id: str) -> Any:
    """Records read in one tenant, as the other tenant's equal records would read."""
    if isinstance(values, list):
        return [_as_tenant(value, tenant_id) for value in values]
    if isinstance(values, tuple):
        return tuple(_as_tenant(value, tenant_id) for value in values)
    if isinstance(values, dict):
        return {key: _as_tenant(value, tenant_id) for key, value in values.items()}
    return evolve(values, tenant_id=tenant_id) if attrs.has(type(values)) else values


def same_in_both(uow: UnitOfWork, read: Callable[[str], Any]) -> None:
    with uow:
        alone, together = read(TENANT), read(OTHER_TENANT)
    assert together == _as_tenant(alone, OTHER_TENANT)
    assert alone not in (None, [], {})  # a comparison of nothing would prove nothing


def stored_in_both(uow: UnitOfWork, application_ids: Sequence[str] = APPS, **status: Any) -> None:
    with uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            with_parents(uow, tenant_id=tenant_id)
            for application_id in application_ids:
                application = an_application(id=application_id, tenant_id=tenant_id, **status)
                uow.applications.add(application)
        uow.commit()
