"""Tenants and their users: create a lender with its first administrator, manage its people.

Passwords are hashed by the `PasswordHasher` port and never stored or audited in the clear; the
audit trail records that a password changed, not what it became.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.credit.snapshots import snapshot, user_snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator, PasswordHasher
from domain.errors import ConflictError, Problem, ValidationFailed
from domain.identity import Permission, Principal, Role, authorize
from domain.tenancy import Tenant, User, tenant_problems, user_problems
from domain.tenant_admins import check_keeps_an_admin, is_active_admin


@frozen
class UserDraft:
    email: str
    display_name: str
    role: Role
    password: str
    extra_grants: frozenset[Permission] = frozenset()
    denials: frozenset[Permission] = frozenset()


@frozen
class UserChanges:
    """What to change about a user; None leaves a field as it is."""

    email: str | None = None
    display_name: str | None = None
    role: Role | None = None
    password: str | None = None
    extra_grants: frozenset[Permission] | None = None
    denials: frozenset[Permission] | None = None
    active: bool | None = None


@frozen
class NewTenant:
    tenant: Tenant
    admin: User


def _prefixed(prefix: str, found: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return tuple(Problem(f"{prefix}.{p.path}", p.message) for p in found)


def _check_email_free(uow: UnitOfWork, tenant_id: str, email: str, user_id: str | None) -> None:
    holder = uow.users.get_by_email(tenant_id, email)
    if holder is not None and holder.id != user_id:
        raise ConflictError("a user with this email already exists in the tenant")


@frozen
class CreateTenant:
    """A new lender and its first administrator, who can then add everyone else."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher

    def __call__(self, principal: Principal, slug: str, name: str, admin: UserDraft) -> NewTenant:
        authorize(principal, Permission.USER_MANAGE)
        authorize(principal, Permission.CONFIG_MANAGE)
        found = (
            *tenant_problems(slug, name),
            *_prefixed("admin", user_problems(admin.email, admin.display_name, admin.password)),
        )
        if found:
            raise ValidationFailed(found)
        now = self.clock.now()
        with self.uow:
            if self.uow.tenants.get_by_slug(slug) is not None:
                raise ConflictError(f"the slug {slug!r} is taken")
            tenant = Tenant(id=self.ids.new_id(), slug=slug, name=name.strip(), created_at=now)
            first = User(
                id=self.ids.new_id(),
                tenant_id=tenant.id,
                email=admin.email,
                display_name=admin.display_name.strip(),
                role=Role.ADMIN,
                password_hash=self.hasher.hash(admin.password),
                created_at=now,
            )
            self.uow.tenants.add(tenant)
            self.uow.users.add(first)
            # The new tenant's trail starts with its own creation, by whoever created it.
            journal = Journal(self.uow, tenant.id, principal.user_id, now)
            journal.audit("tenant.created", "tenant", tenant.id, new=snapshot(tenant))
            journal.audit("user.created", "user", first.id, new=user_snapshot(first))
            self.uow.commit()
            return NewTenant(tenant, first)


@frozen
class CreateUser:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher

    def __call__(self, principal: Principal, draft: UserDraft) -> User:
        authorize(principal, Permission.USER_MANAGE)
        found = user_problems(draft.email, draft.display_name, draft.password)
        if found:
            raise ValidationFailed(found)
        now = self.clock.now()
        with self.uow:
            _check_email_free(self.uow, principal.tenant_id, draft.email, None)
            user = User(
                id=self.ids.new_id(),
                tenant_id=principal.tenant_id,
                email=draft.email,
                display_name=draft.display_name.strip(),
                role=draft.role,
                password_hash=self.hasher.hash(draft.password),
                created_at=now,
                extra_grants=draft.extra_grants,
                denials=draft.denials,
            )
            self.uow.users.add(user)
            Journal.of(self.uow, principal, now).audit(
                "user.created", "user", user.id, new=user_snapshot(user)
            )
            self.uow.commit()
            return user


def _changed(user: User, changes: UserChanges, password_hash: str | None) -> User:
    return User(
        id=user.id,
        tenant_id=user.tenant_id,
        email=user.email if changes.email is None else changes.email,
        display_name=(
            user.display_name if changes.display_name is None else changes.display_name.strip()
        ),
        role=user.role if changes.role is None else changes.role,
        password_hash=password_hash or user.password_hash,
        created_at=user.created_at,
        extra_grants=user.extra_grants if changes.extra_grants is None else changes.extra_grants,
        denials=user.denials if changes.denials is None else changes.denials,
        active=user.active if changes.active is None else changes.active,
    )


@frozen
class UpdateUser:
    uow: UnitOfWork
    clock: Clock
    hasher: PasswordHasher

    def __call__(self, principal: Principal, user_id: str, changes: UserChanges) -> User:
        authorize(principal, Permission.USER_MANAGE)
        now = self.clock.now()
        with self.uow:
            current = self.uow.users.get(principal.tenant_id, user_id)
            if current is None:
                raise NotFound("user", user_id)
            email = current.email if changes.email is None else changes.email
            name = current.display_name if changes.display_name is None else changes.display_name
            found = user_problems(email, name, changes.password)
            if found:
                raise ValidationFailed(found)
            if email.casefold() != current.email.casefold():
                _check_email_free(self.uow, principal.tenant_id, email, user_id)
            password_hash = None if changes.password is None else self.hasher.hash(changes.password)
            updated = _changed(current, changes, password_hash)
            if is_active_admin(current) and not is_active_admin(updated):
                # Two admins stepping each other down at once must not both pass the count:
                # take the tenant's audit chain (which the change's audit event takes anyway)
                # before counting, so such changes follow one another and the second one
                # counts the first.
                self.uow.audit.anchor(principal.tenant_id, for_append=True)
            check_keeps_an_admin(current, updated, self.uow.users.list(principal.tenant_id))
            self.uow.users.update(updated)
            new = user_snapshot(updated)
            if password_hash is not None:
                new["password_changed"] = True
            Journal.of(self.uow, principal, now).audit(
                "user.updated", "user", user_id, old=user_snapshot(current), new=new
            )
            self.uow.commit()
            return updated


@frozen
class ListUsers:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[User]:
        """The tenant's users, by email."""
        authorize(principal, Permission.USER_MANAGE)
        with self.uow:
            return self.uow.users.list(principal.tenant_id)
