"""Each role reaches the session and API-key routes exactly as its permissions say, with
real tokens; another tenant's API key is not found, never forbidden."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.http.app import create_app
from entrypoints.http.auth import is_authenticated_only
from tests.builders import OTHER_TENANT, a_principal
from tests.integration.http.auth_support import (
    ANY_ROLE,
    AUTH,
    AUTH_MATRIX,
    KEYS,
    Client,
    auth_deps,
    bearer,
    login,
)
from tests.integration.http.support import assert_allowed_or_refused
from tests.integration.http.test_route_guards import handlers


@pytest.fixture
def real(sqlite_database: Path) -> Iterator[Client]:
    deps = auth_deps(sqlite_database)
    try:
        with TestClient(create_app(deps)) as client:
            yield client
    finally:
        deps.close()


def _new_key(client: Client, tenant_id: str | None = None) -> str:
    admin = login(client, Role.ADMIN) if tenant_id is None else login(client, Role.ADMIN, tenant_id)
    response = client.post(KEYS, json={"name": "ops"}, headers=bearer(admin))
    assert response.status_code == 201, response.text
    identifier: str = response.json()["id"]
    return identifier


def test_only_me_and_logout_are_open_to_every_role(real: Client) -> None:
    app = real.app
    found = {
        (method, path)
        for path, handler in handlers(app)
        if is_authenticated_only(handler)
        for method in handler.http_methods
    }
    assert found == ANY_ROLE


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), AUTH_MATRIX)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    real: Client,
    role: Role,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    key_id = _new_key(real)
    response = real.request(
        method, path.replace("{id}", key_id), json=body, headers=bearer(login(real, role))
    )
    assert_allowed_or_refused(response, can(a_principal(role), permission))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_ask_who_it_is_and_log_out(real: Client, role: Role) -> None:
    tokens = login(real, role)
    assert real.get(f"{AUTH}/me", headers=bearer(tokens)).json()["role"] == role.value
    assert real.post(f"{AUTH}/logout", headers=bearer(tokens)).status_code == 204


def test_another_tenants_api_key_is_not_found_never_forbidden(real: Client) -> None:
    theirs = _new_key(real, OTHER_TENANT)
    admin = bearer(login(real, Role.ADMIN))
    assert real.delete(f"{KEYS}/{theirs}", headers=admin).status_code == 404
    assert theirs not in {item["id"] for item in real.get(KEYS, headers=admin).json()["items"]}
