"""The lenders and their users."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, select, update

from adapters.sql.records import from_record, to_record
from adapters.sql.schema import tenants, users
from adapters.sql.transaction import Transaction
from domain.identity import Role
from domain.tenancy import Tenant, User

_t = tenants.c
_u = users.c


def email_key(email: str) -> str:
    """How emails are compared: ignoring case."""
    return email.lower()


def _tenant_row(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "slug": tenant.slug,
        "active": tenant.active,
        "created_at": tenant.created_at,
        "record": to_record(tenant),
    }


def _user_row(user: User) -> dict[str, Any]:
    return {
        "tenant_id": user.tenant_id,
        "id": user.id,
        "email": user.email,
        "email_key": email_key(user.email),
        "role": user.role.value,
        "active": user.active,
        "record": to_record(user),
    }


class SqlTenantRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, tenant: Tenant) -> None:
        self._db.insert_new(tenants, _tenant_row(tenant), f"tenant {tenant.id} ({tenant.slug})")

    def get(self, tenant_id: str) -> Tenant | None:
        return self._one(_t.id == tenant_id)

    def get_by_slug(self, slug: str) -> Tenant | None:
        return self._one(_t.slug == slug)

    def update(self, tenant: Tenant) -> None:
        values = _tenant_row(tenant)
        del values["id"]
        statement = update(tenants).where(_t.id == tenant.id).values(**values)
        self._db.update_existing(statement, f"tenant {tenant.id}")

    def list(self) -> list[Tenant]:
        records = self._db.execute(select(_t.record).order_by(_t.slug)).scalars()
        return [from_record(record, Tenant) for record in records]

    def _one(self, condition: ColumnElement[bool]) -> Tenant | None:
        record = self._db.execute(select(_t.record).where(condition)).scalar_one_or_none()
        return None if record is None else from_record(record, Tenant)


class SqlUserRepository:
    def __init__(self, db: Transaction) -> None:
        self._db = db

    def add(self, user: User) -> None:
        self._db.insert_new(users, _user_row(user), f"user {user.id} ({user.email})")

    def get(self, tenant_id: str, user_id: str) -> User | None:
        return self._one(_u.tenant_id == tenant_id, _u.id == user_id)

    def get_by_email(self, tenant_id: str, email: str) -> User | None:
        return self._one(_u.tenant_id == tenant_id, _u.email_key == email_key(email))

    def update(self, user: User) -> None:
        values = _user_row(user)
        del values["tenant_id"], values["id"]
        statement = (
            update(users).where(_u.tenant_id == user.tenant_id, _u.id == user.id).values(**values)
        )
        self._db.update_existing(statement, f"user {user.id}")

    def active_with_roles(self, tenant_id: str, roles: Collection[Role]) -> list[User]:
        if not roles:
            return []
        records = self._db.execute(
            select(_u.record)
            .where(
                _u.tenant_id == tenant_id,
                _u.active.is_(True),
                _u.role.in_(sorted(role.value for role in roles)),
            )
            .order_by(_u.id)
        ).scalars()
        return [from_record(record, User) for record in records]

    def list(self, tenant_id: str) -> list[User]:
        records = self._db.execute(
            select(_u.record).where(_u.tenant_id == tenant_id).order_by(_u.email, _u.id)
        ).scalars()
        return [from_record(record, User) for record in records]

    def _one(self, *conditions: ColumnElement[bool]) -> User | None:
        record = self._db.execute(select(_u.record).where(*conditions)).scalar_one_or_none()
        return None if record is None else from_record(record, User)
