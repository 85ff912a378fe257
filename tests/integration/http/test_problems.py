"""Every error family answers RFC 9457 problem+json, with the request id and nothing internal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import get
from litestar.testing import TestClient

from application.errors import Unauthenticated
from domain.identity import Permission, Principal, Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from entrypoints.http.auth import PUBLIC, requires
from tests.integration.http.support import TokenTableAuthenticator, auth, form_json

APPS = "/api/v1/applications"
Client = TestClient[Any]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    assert {"type", "title", "detail", "instance"} <= body.keys()
    return body


def test_an_invalid_form_lists_every_field_that_is_wrong(client: Client) -> None:
    form = form_json()
    form["loan"] = {**form["loan"], "term_months": "many"}  # type: ignore[dict-item]
    del form["financials"]
    form["surprise"] = 1
    response = client.post(APPS, json=form, headers=auth(Role.API_CONSUMER))
    body = assert_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert {"loan.term_months", "financials"} <= fields
    assert any("surprise" in error["message"] for error in body["errors"])


def test_a_form_breaking_domain_rules_lists_each_rule(client: Client) -> None:
    form = form_json()
    form["loan"] = {**form["loan"], "term_months": 0}  # type: ignore[dict-item]
    form["applicant"]["personal"]["email"] = "not an address"  # type: ignore[index]
    body = assert_problem(client.post(APPS, json=form, headers=auth(Role.API_CONSUMER)), 422)
    fields = {error["field"] for error in body["errors"]}
    assert len(fields) >= 2, body


def test_wrong_query_parameters_are_all_listed(client: Client) -> None:
    response = client.get(
        APPS, params={"page": "first", "sort": "colour"}, headers=auth(Role.READONLY)
    )
    body = assert_problem(response, 422)
    assert {"page", "sort"} <= {error["field"] for error in body["errors"]}


def test_a_body_that_is_not_json_is_a_validation_problem(client: Client) -> None:
    response = client.post(
        APPS,
        content=b'{"external_id": ',
        headers={**auth(Role.API_CONSUMER), "Content-Type": "application/json"},
    )
    assert assert_problem(response, 422)["errors"]


def test_an_unknown_application_is_404(client: Client) -> None:
    body = assert_problem(client.get(f"{APPS}/nope", headers=auth(Role.READONLY)), 404)
    assert body["instance"] == f"{APPS}/nope"


def test_a_missing_permission_is_403(client: Client) -> None:
    assert_problem(client.post(APPS, json=form_json(), headers=auth(Role.READONLY)), 403)


def test_no_credential_or_a_false_one_is_401_with_a_challenge(client: Client) -> None:
    for headers in ({}, {"Authorization": "Bearer forged"}, {"X-API-Key": "guessed"}):
        response = client.get(APPS, headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_idempotency_key_reused_for_another_form_is_409(client: Client) -> None:
    headers = {**auth(Role.API_CONSUMER), "Idempotency-Key": "k-1"}
    assert client.post(APPS, json=form_json("A-1"), headers=headers).status_code == 201
    body = assert_problem(client.post(APPS, json=form_json("A-2"), headers=headers), 409)
    assert "k-1" in body["detail"]


def test_the_authentication_use_cases_refusal_is_401(deps: Deps) -> None:
    @get("/who", sync_to_thread=False, **requires(Permission.APPLICATION_VIEW))
    def who() -> None: ...

    class Refusing:
        def authenticate(self, credential: str, now: datetime) -> Principal:
            raise Unauthenticated

    with TestClient(create_app(deps, authenticator=Refusing(), extra_routes=[who])) as client:
        response = client.get("/who", headers={"Authorization": "Bearer expired"})
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


def test_an_unexpected_error_is_500_without_its_message(deps: Deps) -> None:
    @get("/boom", opt=PUBLIC, sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("SELECT national_id FROM applications -- 1704988715123")

    app = create_app(deps, authenticator=TokenTableAuthenticator(), extra_routes=[boom])
    with TestClient(app) as client:
        response = client.get("/boom")
    body = assert_problem(response, 500)
    assert "SELECT" not in response.text
    assert "1704988715123" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"] in body["detail"] or "request id" in body["detail"]
