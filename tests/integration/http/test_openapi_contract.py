"""What the OpenAPI document promises, and the app keeping each promise the schema checks found
broken: strict query parameters, bounded decimals, closed bodies, problem+json declared."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from domain.identity import Role
from tests.integration.http.support import auth, form_json

Client = TestClient[Any]
APPS = "/api/v1/applications"
AUDIT = "/api/v1/audit"


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"] for error in response.json()["errors"]}


def test_a_single_valued_parameter_sent_twice_is_refused(client: Client) -> None:
    response = client.get(f"{AUDIT}?actor=a&actor=b&page=1&page=2", headers=auth(Role.ADMIN))
    assert _fields(response) == {"actor", "page"}


def test_a_list_parameter_takes_every_value(client: Client) -> None:
    response = client.get(f"{APPS}?status=pending&status=review", headers=auth(Role.READONLY))
    assert response.status_code == 200, response.text


def test_a_time_given_as_a_bare_number_is_refused(client: Client) -> None:
    headers = auth(Role.ADMIN)
    assert _fields(client.get(f"{AUDIT}?occurred_to=68", headers=headers)) == {"occurred_to"}
    good = client.get(f"{AUDIT}?occurred_to=2026-11-22T09:30:00Z", headers=headers)
    assert good.status_code == 200, good.text


def test_paging_outside_its_bounds_is_refused_before_the_use_case(client: Client) -> None:
    response = client.get(f"{APPS}?page=0&page_size=101", headers=auth(Role.READONLY))
    assert _fields(response) == {"page", "page_size"}


def test_a_version_number_too_large_to_store_is_refused_not_a_server_error(
    client: Client,
) -> None:
    response = client.post(f"/api/v1/thresholds/{2**70}/approve", headers=auth(Role.ADMIN))
    assert _fields(response) == {"version"}


def test_an_amount_beyond_any_arithmetic_is_refused_not_a_server_error(client: Client) -> None:
    form: Any = form_json()
    form["financials"]["savings"] = {"amount": "1e1000000", "currency": "EUR"}
    form["loan"]["annual_rate_percent"] = 1e300
    response = client.post(APPS, json=form, headers=auth(Role.API_CONSUMER))
    assert _fields(response) == {"financials.savings", "loan.annual_rate_percent"}


def test_decimal_text_is_digits_only(client: Client) -> None:
    form: Any = form_json()
    form["financials"]["savings"] = " 1_000 "
    response = client.post(APPS, json=form, headers=auth(Role.API_CONSUMER))
    assert _fields(response) == {"financials.savings"}


def test_the_document_shows_closed_bodies_and_problem_answers(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["ApplicationForm"]["additionalProperties"] is False
    assert "monthly_payment" not in schemas["Terms"]["required"]
    submit = document["paths"][APPS]["post"]
    body = submit["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ApplicationForm"}
    for status in ("400", "401", "403", "404", "409", "422", "429"):
        content = submit["responses"][status]["content"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("ProblemDetails")
    assert set(document["paths"]["/api/v1/auth/login"]["post"]["responses"]) == {
        "200", "400", "401", "422", "429",
    }  # fmt: skip
