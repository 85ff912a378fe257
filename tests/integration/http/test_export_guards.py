"""Each role reaches the export routes exactly as its permissions say, and another tenant's
export answers 404 on every route that takes one."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.integration.http.exports import EXPORTS, ROUTES, seed_export
from tests.integration.http.support import assert_allowed_or_refused, assert_not_found, auth

Client = TestClient[Any]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    deps: Deps,
    client: Client,
    role: Role,
    method: str,
    path: str,
    body: Any,
    permission: Permission,
) -> None:
    export_id = seed_export(deps, TENANT)
    concrete = path.replace("{export_id:str}", export_id)
    response = client.request(method, concrete, json=body, headers=auth(role))
    assert_allowed_or_refused(response, can(a_principal(role), permission))


@pytest.mark.parametrize(("method", "path", "body", "permission"), ROUTES[1:])
def test_another_tenants_export_is_not_found(
    deps: Deps, client: Client, method: str, path: str, body: Any, permission: Permission
) -> None:
    theirs = seed_export(deps, OTHER_TENANT)
    response = client.request(
        method, path.replace("{export_id:str}", theirs), json=body, headers=auth(Role.ADMIN)
    )
    assert_not_found(response)
    mine = seed_export(deps, TENANT)
    own = client.request(method, path.replace("{export_id:str}", mine), headers=auth(Role.ADMIN))
    assert own.status_code == 200, own.text


def test_an_unknown_format_or_a_naive_period_is_a_422_listing_each_problem(client: Client) -> None:
    response = client.post(
        EXPORTS,
        json={"format": "pdf", "filter": {"statuses": ["lost"]}},
        headers=auth(Role.ANALYST),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    naive = client.post(
        EXPORTS,
        json={"format": "csv", "filter": {"created_from": "2026-11-01T00:00:00"}},
        headers=auth(Role.ANALYST),
    )
    assert naive.status_code == 422, naive.text
    assert "filter.created_from" in naive.text


def test_a_download_is_in_the_audit_trail_under_whoever_downloaded(
    deps: Deps, client: Client
) -> None:
    export_id = seed_export(deps, TENANT)

    response = client.get(f"{EXPORTS}/{export_id}/download", headers=auth(Role.SENIOR_ANALYST))
    assert response.status_code == 200, response.text

    trail = client.get(
        "/api/v1/audit", params={"entity_id": export_id}, headers=auth(Role.SENIOR_ANALYST)
    )
    assert trail.status_code == 200, trail.text
    events = trail.json()["items"]
    downloaded = [e for e in events if e["action"] == "export.downloaded"]
    assert [e["actor"] for e in downloaded] == [a_principal(Role.SENIOR_ANALYST).user_id]
    assert downloaded[0]["new"]["bytes"] == len(response.content)
