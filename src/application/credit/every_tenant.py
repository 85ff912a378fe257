"""Periodic work done in every tenant, each in turn and each on its own.

A scheduled job runs a use case once per active tenant, acting as a system user of that tenant,
so authorization, tenancy and the audit trail work exactly as they do for a person. One
tenant's failure (its data, its model) must not keep the others from being served: each
tenant's outcome is kept apart, and the job reports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from attrs import frozen

from application.credit.ports import UnitOfWork

T = TypeVar("T")


@frozen
class TenantOutcome(Generic[T]):
    """What the work gave in one tenant, or the error that stopped it there."""

    tenant_id: str
    result: T | None = None
    error: Exception | None = None


def tenant_ids(uow: UnitOfWork, *, including_inactive: bool = False) -> list[str]:
    """The tenants' ids, by slug: the active ones, or all (housekeeping serves all)."""
    with uow:
        return [t.id for t in uow.tenants.list() if t.active or including_inactive]


def for_every_tenant(uow: UnitOfWork, act: Callable[[str], T]) -> list[TenantOutcome[T]]:
    """`act(tenant_id)` for every active tenant, by slug; an error stops only its tenant."""
    outcomes: list[TenantOutcome[T]] = []
    for tenant_id in tenant_ids(uow):
        try:
            outcomes.append(TenantOutcome(tenant_id, result=act(tenant_id)))
        except Exception as error:  # reported with the others, never spread to them
            outcomes.append(TenantOutcome(tenant_id, error=error))
    return outcomes
