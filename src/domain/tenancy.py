"""Tenants (the lenders) and their users.

Every record in creditdesk belongs to exactly one tenant, and every person acts inside one. A
user's standing permissions come from their role (see `domain.identity`); a user's password is
kept only as a hash made by the PasswordHasher port, never in the clear.
"""

from __future__ import annotations

import re
from datetime import datetime

from attrs import frozen

from domain.errors import Problem
from domain.identity import Permission, Principal, Role

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@frozen
class Tenant:
    id: str
    slug: str
    name: str
    created_at: datetime
    active: bool = True


@frozen
class User:
    id: str
    tenant_id: str
    email: str
    display_name: str
    role: Role
    password_hash: str
    created_at: datetime
    extra_grants: frozenset[Permission] = frozenset()
    denials: frozenset[Permission] = frozenset()
    active: bool = True

    def principal(self) -> Principal:
        """Who this user is to authorization: ids and permissions, no name or email."""
        return Principal(self.id, self.tenant_id, self.role, self.extra_grants, self.denials)


def tenant_problems(slug: str, name: str) -> tuple[Problem, ...]:
    found = []
    if not _SLUG.fullmatch(slug):
        found.append(Problem("slug", "must be 2-63 lowercase letters, digits or dashes"))
    if not name.strip():
        found.append(Problem("name", "must not be empty"))
    return tuple(found)


def user_problems(email: str, display_name: str, password: str | None) -> tuple[Problem, ...]:
    """What is wrong with a new user's details; `password` None means "keep the current one"."""
    found = []
    if not _EMAIL.fullmatch(email):
        found.append(Problem("email", "must be an email address such as name@example.com"))
    if not display_name.strip():
        found.append(Problem("display_name", "must not be empty"))
    if password is not None and len(password) < 12:
        found.append(Problem("password", "must be at least 12 characters"))
    return tuple(found)
