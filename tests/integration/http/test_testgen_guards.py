"""Each role reaches exactly the test-generation routes its permissions allow, an id of another
tenant answers 404 on every route taking one, and no list shows another tenant's suites."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.integration.http.support import (
    assert_allowed_or_refused,
    assert_not_found,
    auth,
    sqlite_deps,
)
from tests.integration.http.testgen import (
    ROUTES,
    SUITES,
    call_kwargs,
    concrete,
    seed,
    with_targets,
)

Client = TestClient[Any]


@pytest.fixture
def deps(sqlite_database: Path) -> Iterator[Deps]:
    """The app's deps, deliveries allowed into the test's folder (where `_deliverable` makes
    the repository)."""
    built = with_targets(sqlite_deps(sqlite_database), repositories=(str(sqlite_database.parent),))
    try:
        yield built
    finally:
        built.close()


def _deliverable(deps: Deps, ids: dict[str, str], folder: Path) -> dict[str, str]:
    """A bare repository to deliver to, and an approved test in the seeded suite."""
    repository = folder / "delivered.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repository)], check=True)  # noqa: S603, S607
    admin = a_principal(Role.ADMIN)
    deps.testgen.review_test(admin, ids["suite_id"], ids["case_id"], "approve", "Checked")
    return {"repository": str(repository), "branch": "generated-tests"}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    deps: Deps,
    client: Client,
    tmp_path: Path,
    role: Role,
    method: str,
    path: str,
    body: Any,
    permission: Permission,
) -> None:
    ids = seed(deps, TENANT)
    if path.endswith("/deliveries"):
        body = _deliverable(deps, ids, tmp_path)
    elif path.endswith("/review") and "/tests/" not in path:
        body = {"action": "approve", "comment": "Looked at every test"}
    kwargs = call_kwargs(body)
    headers = {**auth(role), **kwargs.pop("headers", {})}
    response = client.request(method, concrete(path, ids), headers=headers, **kwargs)
    assert_allowed_or_refused(response, can(a_principal(role), permission))


ID_TAKING = [route for route in ROUTES if "{" in route[1]]


@pytest.mark.parametrize(("method", "path", "body", "permission"), ID_TAKING)
def test_another_tenants_ids_are_not_found(
    deps: Deps, client: Client, method: str, path: str, body: Any, permission: Permission
) -> None:
    ids = seed(deps, OTHER_TENANT)
    kwargs = call_kwargs(body)
    headers = {**auth(Role.ADMIN), **kwargs.pop("headers", {})}
    response = client.request(method, concrete(path, ids), headers=headers, **kwargs)
    assert_not_found(response)


def test_nothing_of_another_tenant_is_listed_nor_shown(deps: Deps, client: Client) -> None:
    theirs = seed(deps, OTHER_TENANT)
    assert client.get(SUITES, headers=auth(Role.ADMIN)).json()["items"] == []
    page = client.get(f"/app/testgen/{theirs['suite_id']}", headers=auth(Role.QA_ENGINEER))
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
