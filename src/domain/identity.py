"""Who may do what: roles, permissions and the one check every use case makes.

The model is deliberately small. A person acts as a `Principal` in one tenant with exactly one
`Role`; the role grants a fixed set of `Permission`s (`ROLE_GRANTS`). Two per-person adjustments
exist because real teams need them: `extra_grants` lend a permission without inventing a new role
(a senior analyst covering for an admin), and `denials` withdraw one (an analyst who must not
decide on a relative's application). A denial always wins, over the role and over an extra grant,
so withdrawing access never depends on which of the two granted it.

Permissions are checked, never roles: code asks `can(principal, Permission.DECISION_CREATE)`,
so changing what a role may do is one edit in `ROLE_GRANTS` rather than a hunt through handlers.
Rules that depend on more than the acting person (an analyst's override needs a *second* person's
approval) live with the decision they govern, not here.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from attrs import frozen

from domain.errors import PermissionDenied


class Permission(enum.StrEnum):
    """One action a person may be allowed to take; the value is the string stored and sent."""

    APPLICATION_VIEW = "application:view"
    APPLICATION_CREATE = "application:create"
    APPLICATION_SCORE = "application:score"
    QUEUE_VIEW = "queue:view"
    QUEUE_ASSIGN = "queue:assign"
    DECISION_VIEW = "decision:view"
    DECISION_CREATE = "decision:create"
    DECISION_OVERRIDE = "decision:override"
    DECISION_APPROVE_OVERRIDE = "decision:approve_override"
    ANALYTICS_VIEW = "analytics:view"
    CONFIG_MANAGE = "config:manage"
    USER_MANAGE = "user:manage"
    AUDIT_VIEW = "audit:view"
    TESTGEN_VIEW = "testgen:view"
    TESTGEN_SUBMIT = "testgen:submit"
    TESTGEN_REVIEW = "testgen:review"


class Role(enum.StrEnum):
    """The job a person does in a tenant; it decides their standing permissions."""

    ADMIN = "admin"
    SENIOR_ANALYST = "senior_analyst"
    ANALYST = "analyst"
    READONLY = "readonly"
    API_CONSUMER = "api_consumer"
    QA_ENGINEER = "qa_engineer"


_P = Permission

ROLE_GRANTS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.ADMIN: frozenset(Permission),
        Role.SENIOR_ANALYST: frozenset(
            {
                _P.APPLICATION_VIEW,
                _P.APPLICATION_SCORE,
                _P.QUEUE_VIEW,
                _P.QUEUE_ASSIGN,
                _P.DECISION_VIEW,
                _P.DECISION_CREATE,
                _P.DECISION_OVERRIDE,
                _P.DECISION_APPROVE_OVERRIDE,
                _P.ANALYTICS_VIEW,
                _P.AUDIT_VIEW,
            }
        ),
        # An analyst may override the model, but the override is not final until a second
        # person approves it; that four-eyes rule lives with overrides, not here.
        Role.ANALYST: frozenset(
            {
                _P.APPLICATION_VIEW,
                _P.QUEUE_VIEW,
                _P.DECISION_VIEW,
                _P.DECISION_CREATE,
                _P.DECISION_OVERRIDE,
                _P.ANALYTICS_VIEW,
            }
        ),
        Role.READONLY: frozenset({_P.APPLICATION_VIEW, _P.QUEUE_VIEW, _P.DECISION_VIEW}),
        # Another service submits applications and reads their outcome, nothing more.
        Role.API_CONSUMER: frozenset(
            {_P.APPLICATION_CREATE, _P.APPLICATION_VIEW, _P.DECISION_VIEW}
        ),
        # The test-generation context: QA engineers submit specs and review generated suites;
        # they see nothing of the credit side.
        Role.QA_ENGINEER: frozenset({_P.TESTGEN_VIEW, _P.TESTGEN_SUBMIT, _P.TESTGEN_REVIEW}),
    }
)


@frozen
class Principal:
    """The person (or service) acting, as far as authorization needs to know them.

    Only the user id is carried, never a name or email, so a principal can be logged as is.
    """

    user_id: str
    tenant_id: str
    role: Role
    extra_grants: frozenset[Permission] = frozenset()
    denials: frozenset[Permission] = frozenset()


def effective_permissions(principal: Principal) -> frozenset[Permission]:
    """What the principal may do: role grants plus extra grants, minus every denial."""
    return (ROLE_GRANTS[principal.role] | principal.extra_grants) - principal.denials


def can(principal: Principal, permission: Permission) -> bool:
    """Whether the principal holds `permission`; for showing or hiding actions in a UI."""
    return permission in effective_permissions(principal)


def authorize(principal: Principal, permission: Permission) -> None:
    """Raise `PermissionDenied` unless the principal holds `permission`; the guard of use cases."""
    if not can(principal, permission):
        raise PermissionDenied(f"user {principal.user_id} lacks permission {permission.value}")
