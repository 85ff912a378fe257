"""Reading tenants and users: one user, the caller's tenant, and every tenant of the platform.

Kept apart from `admin`, which changes them. Another tenant's user is simply not found, so an
id guessed across tenants learns nothing.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.errors import NotFound
from domain.identity import Permission, Principal, authorize
from domain.tenancy import Tenant, User


@frozen
class GetUser:
    uow: UnitOfWork

    def __call__(self, principal: Principal, user_id: str) -> User:
        authorize(principal, Permission.USER_MANAGE)
        with self.uow:
            found = self.uow.users.get(principal.tenant_id, user_id)
        if found is None:
            raise NotFound("user", user_id)
        return found


@frozen
class GetTenant:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> Tenant:
        """The tenant the principal acts in."""
        authorize(principal, Permission.USER_MANAGE)
        with self.uow:
            found = self.uow.tenants.get(principal.tenant_id)
        if found is None:
            raise NotFound("tenant", principal.tenant_id)
        return found


@frozen
class ListTenants:
    """Every tenant of the platform: an operator's view, so it needs what creating one needs."""

    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[Tenant]:
        authorize(principal, Permission.USER_MANAGE)
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            return self.uow.tenants.list()
