"""Each role reaches exactly the queue, decision and threshold routes its permissions allow,
and an id of another tenant answers 404 on every route that takes one."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.credit.queue import QueueStatus
from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.integration.http.casework import (
    IN_THE_REVIEW_BAND,
    ROUTES,
    awaiting_override,
    conditional_approval,
    store_case,
    store_decision,
    store_proposal,
)
from tests.integration.http.support import assert_allowed_or_refused, assert_not_found, auth

Client = TestClient[Any]
#: Allowed through the door but refused by the domain: a read-only person may look at the
#: queue, yet a case is only ever given to someone who can decide it.
DOMAIN_REFUSALS = {("POST", "/api/v1/queue/{entry_id:str}/assign", Role.READONLY)}


def seed(deps: Deps, role: Role, tenant_id: str = TENANT) -> None:
    """One record for every id-taking route, the held cases held by `role`'s person."""
    holder = a_principal(role).user_id
    store_case(deps, "m-assign", tenant_id=tenant_id)
    for entry_id in ("m-start", "m-release"):
        store_case(
            deps, entry_id, tenant_id=tenant_id, status=QueueStatus.ASSIGNED, analyst_id=holder
        )
    store_case(
        deps,
        "m-decide",
        tenant_id=tenant_id,
        status=QueueStatus.IN_PROGRESS,
        analyst_id=holder,
        score=IN_THE_REVIEW_BAND,
    )
    store_decision(deps, awaiting_override("m-override", tenant_id=tenant_id))
    store_decision(deps, conditional_approval("m-cond", tenant_id=tenant_id))
    store_proposal(deps, 2, tenant_id=tenant_id)


def concrete(path: str) -> str:
    """The route's path with the ids `seed` stored."""
    if "{entry_id:str}" in path:
        return path.replace("{entry_id:str}", "m-" + path.rsplit("/", 1)[1])
    replaced = (
        path.replace("{application_id:str}", "app-m-decide")
        .replace("{condition_index:int}", "0")
        .replace("{version:int}", "2")
    )
    if "/conditions/" in replaced:
        return replaced.replace("{decision_id:str}", "m-cond")
    return replaced.replace("{decision_id:str}", "m-override")


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
    seed(deps, role)
    response = client.request(method, concrete(path), json=body, headers=auth(role))
    allowed = can(a_principal(role), permission) and (method, path, role) not in DOMAIN_REFUSALS
    assert_allowed_or_refused(response, allowed)


ID_TAKING = [route for route in ROUTES if "{" in route[1]]


@pytest.mark.parametrize(("method", "path", "body", "permission"), ID_TAKING)
def test_another_tenants_ids_are_not_found(
    deps: Deps,
    client: Client,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    permission: Permission,
) -> None:
    seed(deps, Role.ADMIN, OTHER_TENANT)
    response = client.request(method, concrete(path), json=body, headers=auth(Role.ADMIN))
    assert_not_found(response)


def test_nothing_of_another_tenant_is_listed(deps: Deps, client: Client) -> None:
    seed(deps, Role.ADMIN, OTHER_TENANT)
    headers = auth(Role.ADMIN)
    assert client.get("/api/v1/queue", headers=headers).json()["items"] == []
    assert client.get("/api/v1/decisions/pending-overrides", headers=headers).json() == {
        "items": []
    }
    assert client.get("/api/v1/thresholds/versions", headers=headers).json() == {"items": []}
    summary = client.get("/api/v1/queue/summary", headers=headers).json()
    assert summary["pending"] == summary["assigned"] == 0
