"""Managing the tenant's users over HTTP, and reading and checking the audit trail they leave.

A password or its hash never leaves the server: not in a user, not in an audit event.
"""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from domain.identity import Permission, Role
from entrypoints.composition import Deps
from tests.builders import TENANT
from tests.integration.http.admin_audit import (
    ADMIN,
    AUDIT,
    PASSWORD,
    forge_audit_event,
    new_user_json,
)
from tests.integration.http.support import auth

Client = TestClient[Any]
HEADERS = auth(Role.ADMIN)


def _create(client: Client, email: str = "new.analyst@example.com") -> dict[str, Any]:
    response = client.post(f"{ADMIN}/users", json=new_user_json(email), headers=HEADERS)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    assert response.headers["Location"] == f"{ADMIN}/users/{created['id']}"
    return created


def _assert_no_secret(body: str) -> None:
    assert PASSWORD not in body
    assert "password_hash" not in body
    assert "$argon2" not in body


def test_a_user_is_created_read_listed_and_changed(client: Client) -> None:
    created = _create(client)
    assert created["role"] == "analyst"
    assert created["active"] is True
    user_url = f"{ADMIN}/users/{created['id']}"
    read = client.get(user_url, headers=HEADERS)
    assert read.json() == created
    listed = client.get(f"{ADMIN}/users", headers=HEADERS)
    assert [item["email"] for item in listed.json()["items"]] == ["new.analyst@example.com"]

    changed = client.patch(
        user_url,
        json={"role": "senior_analyst", "grants": ["config:manage"], "active": False},
        headers=HEADERS,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["role"], body["grants"], body["active"]) == (
        "senior_analyst", ["config:manage"], False,
    )  # fmt: skip
    assert body["display_name"] == created["display_name"]
    for response in (read, listed, changed):
        _assert_no_secret(response.text)


def test_a_taken_email_conflicts_and_bad_details_are_all_named(client: Client) -> None:
    _create(client)
    again = client.post(f"{ADMIN}/users", json=new_user_json(), headers=HEADERS)
    assert again.status_code == 409, again.text
    bad = client.post(
        f"{ADMIN}/users",
        json={**new_user_json("not-an-email"), "display_name": " ", "password": "short"},
        headers=HEADERS,
    )
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.text.count("must") >= 3
    unknown_role = client.patch(f"{ADMIN}/users/x", json={"role": "owner"}, headers=HEADERS)
    assert unknown_role.status_code == 422, unknown_role.text


def test_the_audit_trail_lists_changes_newest_first_and_filters_them(client: Client) -> None:
    first, second = _create(client, "one@example.com"), _create(client, "two@example.com")
    client.patch(f"{ADMIN}/users/{first['id']}", json={"active": False}, headers=HEADERS)
    trail = client.get(AUDIT, headers=HEADERS)
    assert trail.status_code == 200, trail.text
    body = trail.json()
    assert [(e["action"], e["entity_id"]) for e in body["items"]] == [
        ("user.updated", first["id"]),
        ("user.created", second["id"]),
        ("user.created", first["id"]),
    ]
    assert (body["total"], body["total_exact"]) == (3, True)
    _assert_no_secret(trail.text)

    about_first = client.get(
        AUDIT, params={"entity_type": "user", "entity_id": first["id"]}, headers=HEADERS
    ).json()
    assert [e["sequence"] for e in about_first["items"]] == [3, 1]
    paged = client.get(AUDIT, params={"page": 2, "page_size": 2}, headers=HEADERS).json()
    assert [e["sequence"] for e in paged["items"]] == [1]
    assert paged["total"] == 3
    nobody = client.get(AUDIT, params={"actor": "someone-else"}, headers=HEADERS).json()
    assert nobody["items"] == []


def test_bad_audit_filters_answer_problems(client: Client) -> None:
    for params in (
        {"page_size": 0},
        {"occurred_from": "2026-01-02T00:00:00"},
        {"occurred_from": "2026-01-02T00:00:00Z", "occurred_to": "2026-01-01T00:00:00Z"},
    ):
        response = client.get(AUDIT, params=params, headers=HEADERS)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def test_verification_finds_an_intact_chain_and_the_first_forged_event(
    deps: Deps, client: Client
) -> None:
    for email in ("one@example.com", "two@example.com", "three@example.com"):
        _create(client, email)
    intact = client.get(f"{AUDIT}/verify", headers=HEADERS).json()
    assert intact == {"ok": True, "checked": 3, "broken_at": None, "problem": None}
    forge_audit_event(deps, 2)
    broken = client.get(f"{AUDIT}/verify", headers=HEADERS).json()
    assert broken == {"ok": False, "checked": 1, "broken_at": 2, "problem": "event 2 was altered"}


def test_roles_and_the_tenant_are_described(client: Client) -> None:
    roles = client.get(f"{ADMIN}/roles", headers=HEADERS).json()["items"]
    assert [item["role"] for item in roles] == [role.value for role in Role]
    admin = next(item for item in roles if item["role"] == "admin")
    assert admin["permissions"] == sorted(p.value for p in Permission)
    readonly = next(item for item in roles if item["role"] == "readonly")
    assert "user:manage" not in readonly["permissions"]
    tenant = client.get(f"{ADMIN}/tenant", headers=HEADERS).json()
    assert tenant["id"] == TENANT
