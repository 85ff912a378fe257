"""The lenders and their users."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from domain.identity import Role
from domain.tenancy import Tenant, User


class TenantRepository(Protocol):
    """The lenders. Tenants are the one record that belongs to no tenant."""

    def add(self, tenant: Tenant) -> None:
        """`AlreadyExists` if the id or the slug is taken."""
        ...

    def get(self, tenant_id: str) -> Tenant | None: ...

    def get_by_slug(self, slug: str) -> Tenant | None: ...

    def update(self, tenant: Tenant) -> None: ...

    def list(self) -> list[Tenant]:
        """Every tenant, by slug."""
        ...


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """`AlreadyExists` if the id is taken, or the email (ignoring case) in that tenant."""
        ...

    def get(self, tenant_id: str, user_id: str) -> User | None: ...

    def get_by_email(self, tenant_id: str, email: str) -> User | None:
        """The tenant's user with this email, ignoring case."""
        ...

    def update(self, user: User) -> None: ...

    def active_with_roles(self, tenant_id: str, roles: Collection[Role]) -> list[User]:
        """The tenant's active users whose role is one of `roles`, by id: who work is given to."""
        ...

    def list(self, tenant_id: str) -> list[User]:
        """The tenant's users, by email."""
        ...
