"""An app over SQLite with the real authentication: users with passwords, tokens from login.

The passwords are hashed by the fast fake hasher (Argon2 would only slow the tests down); the
tokens are real JWTs, checked by the `Authenticate` use case as `creditdesk serve` checks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from attrs import evolve
from litestar.testing import TestClient

from domain.identity import Permission, Role
from entrypoints.composition import Deps
from entrypoints.http.settings import HttpSettings
from tests.builders import OTHER_TENANT, TENANT, a_user
from tests.fakes import FakePasswordHasher
from tests.integration.http.support import sqlite_deps

Client = TestClient[Any]
AUTH = "/api/v1/auth"
KEYS = "/api/v1/admin/api-keys"
PASSWORD = "correct horse battery staple"

#: (method, path, body, the permission it requires); `{id}` is an API key of the tenant.
AUTH_MATRIX: list[tuple[str, str, dict[str, Any] | None, Permission]] = [
    ("GET", KEYS, None, Permission.USER_MANAGE),
    ("POST", KEYS, {"name": "reporting"}, Permission.USER_MANAGE),
    ("DELETE", f"{KEYS}/{{id}}", None, Permission.USER_MANAGE),
]
#: The guarded routes of this matrix, as the route-enumeration test names them.
AUTH_GUARDED = {(method, path) for method, path, _, _ in AUTH_MATRIX}
#: The routes every authenticated caller may use, whatever the role.
#: The routes every logged-in caller may use: who am I and logging out, in the API and in the
#: workbench (whose home page sends each role on to the first page it may open).
ANY_ROLE = {("GET", f"{AUTH}/me"), ("POST", f"{AUTH}/logout"), ("POST", "/logout"), ("GET", "/app")}


def email_of(role: Role, tenant_id: str = TENANT) -> str:
    return f"{role.value}@{tenant_id}.example"


def auth_deps(database: Path, http: HttpSettings | None = None) -> Deps:
    """Deps over SQLite with one user of every role in each test tenant (password PASSWORD)."""
    deps = evolve(sqlite_deps(database, http), hasher=FakePasswordHasher())
    with deps.uow() as uow:
        for tenant_id in (TENANT, OTHER_TENANT):
            for role in Role:
                uow.users.add(
                    evolve(
                        a_user(id=f"{tenant_id}-{role.value}", tenant_id=tenant_id,
                               email=email_of(role, tenant_id), role=role),
                        password_hash=deps.hasher.hash(PASSWORD),
                    )
                )  # fmt: skip
        uow.commit()
    return deps


def login(client: Client, role: Role, tenant_id: str = TENANT) -> dict[str, Any]:
    """The token response of a good login by the user of `role`."""
    response = client.post(
        f"{AUTH}/login", json={"email": email_of(role, tenant_id), "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
