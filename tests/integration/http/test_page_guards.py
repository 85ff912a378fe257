"""Every page of the workbench is held to its permission as the API's routes are: a role
without it gets the 403 page (HTML, not problem+json), a role with it gets past the guard.

The pages are found by walking the app's routes, so a new page is covered as soon as it is
registered; an id in a page's path is given one no tenant has (past the guard, a 404 page).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from entrypoints.http.auth import route_permission
from tests.builders import a_principal, a_user
from tests.integration.http.support import app_for, auth
from tests.integration.http.test_route_guards import handlers

Client = TestClient[Any]
PARAMETER = re.compile(r"\{\w+:\w+\}")


def page_routes(deps: Deps) -> list[tuple[str, Permission]]:
    """(path, permission) of every page that declares a permission."""
    found = []
    for path, handler in handlers(app_for(deps)):
        permission = route_permission(handler)
        if path.startswith("/app/") and "GET" in handler.http_methods and permission:
            found.append((path, permission))
    return sorted(found)


@pytest.fixture
def people(deps: Deps, client: Client) -> Client:
    """The users behind the test tokens, one per role (the layout shows who is logged in)."""
    with deps.uow() as uow:
        for role in Role:
            principal = a_principal(role)
            uow.users.add(a_user(id=principal.user_id, email=f"{role.value}@example.com",
                                 role=role))  # fmt: skip
        uow.commit()
    return client


def test_the_workbench_has_pages_with_permissions(deps: Deps) -> None:
    paths = {path for path, _ in page_routes(deps)}
    assert {"/app/thresholds", "/app/batches", "/app/models", "/app/audit"} <= paths


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_pages_its_permissions_allow(
    deps: Deps, people: Client, role: Role
) -> None:
    for path, permission in page_routes(deps):
        answer = people.get(PARAMETER.sub("no-such-id", path), headers=auth(role))
        assert answer.headers["content-type"].startswith("text/html"), path
        if can(a_principal(role), permission):
            assert answer.status_code in {200, 404}, f"{role} {path}: {answer.status_code}"
        else:
            assert answer.status_code == 403, f"{role} {path}: {answer.status_code}"
