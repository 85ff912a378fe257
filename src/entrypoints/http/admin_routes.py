"""`/api/v1/admin`: the tenant's users, the roles they may hold, and the tenant itself.

Creating a tenant is the platform operator's act (`creditdesk tenants create`), not a
tenant administrator's, so there is no route for it. A user is shown without a password or its
hash, ever; another tenant's user answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import attrs
from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody

from adapters.serialization import structure
from application.credit.admin import CreateUser, ListUsers, UpdateUser, UserChanges, UserDraft
from application.credit.tenancy_queries import GetTenant, GetUser
from domain.identity import ROLE_GRANTS, Permission, Role
from domain.tenancy import Tenant, User
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON

BASE = "/api/v1/admin"
USERS = f"{BASE}/users"
_P = Permission


@attrs.frozen
class NewUser:
    """Read by the one converter, so every wrong field is listed at once and the document
    shows the rules the domain checks (`schema_rules`)."""

    email: str
    display_name: str
    role: Role
    password: str = attrs.field(repr=False)
    grants: list[Permission] = attrs.field(factory=list)
    denials: list[Permission] = attrs.field(factory=list)


@dataclass(frozen=True)
class UserPatch:
    """What to change; a field left out (or null) stays as it is."""

    role: Role | None = None
    grants: list[Permission] | None = None
    denials: list[Permission] | None = None
    active: bool | None = None
    display_name: str | None = None


def _names(permissions: frozenset[Permission]) -> list[str]:
    return sorted(permission.value for permission in permissions)


def user_json(user: User) -> dict[str, Any]:
    """A user as shown: everything but the password hash."""
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role.value,
        "grants": _names(user.extra_grants),
        "denials": _names(user.denials),
        "active": user.active,
        "created_at": user.created_at.isoformat(),
    }


def tenant_json(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "slug": tenant.slug,
        "name": tenant.name,
        "active": tenant.active,
        "created_at": tenant.created_at.isoformat(),
    }


def _frozen(permissions: list[Permission] | None) -> frozenset[Permission] | None:
    return None if permissions is None else frozenset(permissions)


class AdminController(Controller):
    path = BASE
    tags = ["admin"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/users", summary="List the tenant's users", operation_id="listUsers",
         sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def list_users(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return {"items": [user_json(user) for user in ListUsers(deps.uow())(principal)]}

    @post("/users", summary="Add a user to the tenant", operation_id="createUser",
          sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def create_user(
        self, deps: AppDeps, principal: CurrentPrincipal, data: DocumentedJSON[NewUser]
    ) -> Response[dict[str, Any]]:
        asked = structure(data, NewUser)
        draft = UserDraft(
            email=asked.email,
            display_name=asked.display_name,
            role=asked.role,
            password=asked.password,
            extra_grants=frozenset(asked.grants),
            denials=frozenset(asked.denials),
        )
        user = CreateUser(deps.uow(), deps.clock, deps.ids, deps.hasher)(principal, draft)
        return Response(
            user_json(user), status_code=201, headers={"Location": f"{USERS}/{user.id}"}
        )

    @get("/users/{user_id:str}", summary="Read a user", operation_id="getUser",
         sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def get_user(
        self, deps: AppDeps, principal: CurrentPrincipal, user_id: FromPath[str]
    ) -> dict[str, Any]:
        return user_json(GetUser(deps.uow())(principal, user_id))

    @patch("/users/{user_id:str}", summary="Change a user's role, grants or standing",
           operation_id="updateUser", sync_to_thread=True,
           **requires(_P.USER_MANAGE))  # fmt: skip
    def update_user(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        user_id: FromPath[str],
        data: JSONBody[UserPatch],
    ) -> dict[str, Any]:
        changes = UserChanges(
            display_name=data.display_name,
            role=data.role,
            extra_grants=_frozen(data.grants),
            denials=_frozen(data.denials),
            active=data.active,
        )
        return user_json(
            UpdateUser(deps.uow(), deps.clock, deps.hasher)(principal, user_id, changes)
        )

    @get("/roles", summary="The roles and the permissions each grants", operation_id="listRoles",
         sync_to_thread=False, **requires(_P.USER_MANAGE))  # fmt: skip
    def roles(self) -> dict[str, Any]:
        return {
            "items": [
                {"role": role.value, "permissions": _names(ROLE_GRANTS[role])} for role in Role
            ]
        }

    @get("/tenant", summary="The caller's tenant", operation_id="getTenant",
         sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def tenant(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return tenant_json(GetTenant(deps.uow())(principal))
