"""`/api/v1/auth` and the API keys over SQLite, with the real `Authenticate` behind the guard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from entrypoints.http.settings import HttpSettings
from tests.integration.http.auth_support import (
    AUTH,
    KEYS,
    PASSWORD,
    Client,
    auth_deps,
    bearer,
    email_of,
    login,
)
from tests.integration.http.test_problems import assert_problem


@pytest.fixture
def real(sqlite_database: Path) -> Iterator[Client]:
    deps = auth_deps(sqlite_database)
    try:
        with TestClient(create_app(deps)) as client:
            yield client
    finally:
        deps.close()


def test_a_good_login_answers_a_bearer_pair_that_opens_the_api(real: Client) -> None:
    tokens = login(real, Role.ANALYST)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["refresh_token"] != tokens["access_token"]
    listing = real.get("/api/v1/applications", headers=bearer(tokens))
    assert listing.status_code == 200, listing.text


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(real: Client) -> None:
    def attempt(email: str, password: str) -> dict[str, Any]:
        body = assert_problem(
            real.post(f"{AUTH}/login", json={"email": email, "password": password}), 401
        )
        del body["request_id"]
        return body

    wrong = attempt(email_of(Role.ANALYST), "not the password")
    unknown = attempt("nobody@nowhere.example", PASSWORD)
    assert wrong == unknown


def test_a_login_names_its_tenant_when_given_one(real: Client) -> None:
    body = {"email": email_of(Role.ADMIN), "password": PASSWORD, "tenant": "tenant-b"}
    assert real.post(f"{AUTH}/login", json=body).status_code == 401
    assert real.post(f"{AUTH}/login", json={**body, "tenant": "tenant-a"}).status_code == 200
    assert_problem(real.post(f"{AUTH}/login", json={"email": "x"}), 422)


def test_refresh_rotates_and_a_reused_token_ends_the_session(real: Client) -> None:
    first = login(real, Role.READONLY)
    second = real.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert real.get(f"{AUTH}/me", headers=bearer(rotated)).status_code == 200

    reused = real.post(f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(reused, 401)
    after = real.post(f"{AUTH}/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert_problem(after, 401)  # the reuse revoked the whole family


def test_logout_ends_the_access_token_and_the_session(real: Client) -> None:
    tokens = login(real, Role.ANALYST)
    other = login(real, Role.ANALYST)
    out = real.post(
        f"{AUTH}/logout", json={"refresh_token": tokens["refresh_token"]}, headers=bearer(tokens)
    )
    assert out.status_code == 204, out.text
    assert_problem(real.get(f"{AUTH}/me", headers=bearer(tokens)), 401)
    refreshed = real.post(f"{AUTH}/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401)
    assert real.get(f"{AUTH}/me", headers=bearer(other)).status_code == 200
    assert real.post(f"{AUTH}/logout", headers=bearer(other)).status_code == 204
    assert_problem(real.get(f"{AUTH}/me", headers=bearer(other)), 401)


def test_me_shows_who_is_calling_and_what_they_may_do(real: Client) -> None:
    me = real.get(f"{AUTH}/me", headers=bearer(login(real, Role.READONLY)))
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["email"], body["role"], body["tenant_id"]) == (
        email_of(Role.READONLY), "readonly", "tenant-a"
    )  # fmt: skip
    assert Permission.APPLICATION_VIEW.value in body["permissions"]
    assert Permission.USER_MANAGE.value not in body["permissions"]
    assert_problem(real.get(f"{AUTH}/me"), 401)


def test_an_api_key_acts_as_api_consumer_until_it_is_revoked(real: Client) -> None:
    admin = bearer(login(real, Role.ADMIN))
    created = real.post(KEYS, json={"name": "loan origination"}, headers=admin)
    assert created.status_code == 201, created.text
    key = created.json()
    assert "secret_hash" not in key
    me = real.get(f"{AUTH}/me", headers={"X-API-Key": key["key"]})
    assert me.status_code == 200, me.text
    assert (me.json()["role"], me.json()["display_name"]) == ("api_consumer", "loan origination")
    listed = real.get(KEYS, headers=admin).json()["items"]
    assert [item["id"] for item in listed] == [key["id"]]
    assert all("key" not in item and "secret_hash" not in item for item in listed)

    revoked = real.delete(f"{KEYS}/{key['id']}", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert_problem(real.get(f"{AUTH}/me", headers={"X-API-Key": key["key"]}), 401)
    assert_problem(real.delete(f"{KEYS}/nope", headers=admin), 404)


def test_login_is_rate_limited_per_client(sqlite_database: Path) -> None:
    deps: Deps = auth_deps(sqlite_database, HttpSettings(login_per_minute=2))
    body = {"email": email_of(Role.ANALYST), "password": "guess"}
    with TestClient(create_app(deps)) as client:
        statuses = [client.post(f"{AUTH}/login", json=body).status_code for _ in range(3)]
        refresh = client.post(f"{AUTH}/refresh", json={"refresh_token": "x"})
    deps.close()
    assert statuses == [401, 401, 429]
    assert refresh.status_code == 401  # refresh has no login limit
