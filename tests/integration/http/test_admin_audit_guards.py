"""Each role reaches exactly the admin and audit routes its permissions allow, and another
tenant's user answers 404 and is never listed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, a_principal
from tests.integration.http.admin_audit import ADMIN, AUDIT, ROUTES, SEEDED_USER, store_user
from tests.integration.http.support import assert_allowed_or_refused, assert_not_found, auth

Client = TestClient[Any]


def concrete(path: str) -> str:
    return path.replace("{user_id:str}", SEEDED_USER)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    deps: Deps,
    client: Client,
    role: Role,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    store_user(deps)
    response = client.request(method, concrete(path), json=body, headers=auth(role))
    assert_allowed_or_refused(response, can(a_principal(role), permission))


ID_TAKING = [route for route in ROUTES if "{" in route[1]]


@pytest.mark.parametrize(("method", "path", "body", "permission"), ID_TAKING)
def test_another_tenants_user_is_not_found(
    deps: Deps,
    client: Client,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    store_user(deps, tenant_id=OTHER_TENANT)
    response = client.request(method, concrete(path), json=body, headers=auth(Role.ADMIN))
    assert_not_found(response)


def test_nothing_of_another_tenant_is_listed(deps: Deps, client: Client) -> None:
    store_user(deps, tenant_id=OTHER_TENANT)
    theirs = client.post(
        f"{ADMIN}/users",
        json={"email": "theirs@example.com", "display_name": "Theirs", "role": "analyst",
              "password": "their long password"},
        headers=auth(Role.ADMIN, OTHER_TENANT),
    )  # fmt: skip
    assert theirs.status_code == 201, theirs.text
    headers = auth(Role.ADMIN)
    assert client.get(f"{ADMIN}/users", headers=headers).json() == {"items": []}
    assert client.get(AUDIT, headers=headers).json()["items"] == []
    assert client.get(f"{AUDIT}/verify", headers=headers).json()["checked"] == 0
    assert client.get(f"{ADMIN}/tenant", headers=headers).json()["id"] != OTHER_TENANT
