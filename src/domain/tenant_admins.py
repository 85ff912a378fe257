"""A tenant always keeps at least one active administrator.

Only an administrator can add people, change roles or reactivate anyone, so a tenant left
without an active one is locked out of its own user management: the way back would be an
operator editing the database by hand. The rule is therefore checked on every change to a
user, before it is stored, against the tenant's other users.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import ConflictError
from domain.identity import Role
from domain.tenancy import User


class LastAdminError(ConflictError):
    """The change would leave the tenant without an active administrator."""


def is_active_admin(user: User) -> bool:
    return user.active and user.role is Role.ADMIN


def check_keeps_an_admin(before: User, after: User, tenant_users: Iterable[User]) -> None:
    """Refuse turning `before` into `after` when `before` is the tenant's last active admin.

    `tenant_users` are the tenant's users as stored (the changed user among them or not); a
    change that keeps the user an active admin, or touches a user who is not one, always passes.
    """
    if not is_active_admin(before) or is_active_admin(after):
        return
    if any(is_active_admin(user) for user in tenant_users if user.id != before.id):
        return
    raise LastAdminError(
        f"user {before.id} is the tenant's last active admin: make another user an active "
        "admin first"
    )
