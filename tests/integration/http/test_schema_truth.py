"""The OpenAPI document tells the truth about what the server enforces: each body's rules as
JSON Schema keywords, a valid example where rules span fields (sent back, it is accepted), the
docs routes left out, 403 only where a permission can be lacking, and a prediction of a form
intake would refuse answered 422 listing every problem, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from tests.integration.http.support import auth, form_json

Client = TestClient[Any]
PREDICT = "/api/v1/models/predict"


@pytest.fixture
def spec(client: Client) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _component(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def _body(spec: dict[str, Any], path: str, media_type: str = "application/json") -> Any:
    return spec["paths"][path]["post"]["requestBody"]["content"][media_type]["schema"]


def _number_form(schema: dict[str, Any]) -> dict[str, Any]:
    """The number branch of a decimal, or of a money's amount."""
    first: dict[str, Any] = schema["oneOf"][0]
    return _number_form(first["properties"]["amount"]) if "properties" in first else first


def _problem_fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"] for error in response.json()["errors"]}


def test_the_docs_routes_are_not_operations_of_the_api(spec: dict[str, Any]) -> None:
    assert [path for path in spec["paths"] if path.startswith("/schema")] == []


def test_only_routes_with_a_permission_document_403(spec: dict[str, Any]) -> None:
    me = spec["paths"]["/api/v1/auth/me"]["get"]["responses"]
    logout = spec["paths"]["/api/v1/auth/logout"]["post"]["responses"]
    assert ("401" in me, "403" in me, "403" in logout) == (True, False, False)
    assert "403" in spec["paths"]["/api/v1/applications"]["post"]["responses"]


def test_the_application_form_carries_the_domains_rules(spec: dict[str, Any]) -> None:
    loan = _component(spec, "LoanRequest")["properties"]
    assert (loan["term_months"]["minimum"], loan["term_months"]["maximum"]) == (3, 480)
    assert _number_form(loan["amount"])["exclusiveMinimum"] == 0
    assert _number_form(loan["annual_rate_percent"])["maximum"] == 100
    personal = _component(spec, "PersonalInfo")["properties"]
    assert personal["email"]["format"] == "email"
    assert personal["phone"]["pattern"].startswith("^")
    assert personal["date_of_birth"]["format"] == "date"
    assert "18" in personal["date_of_birth"]["description"]
    assert _component(spec, "Address")["properties"]["country"]["pattern"] == "^[A-Z]{2}$"
    savings = _component(spec, "Financials")["properties"]["savings"]
    assert _number_form(savings)["minimum"] == 0


def test_the_forms_example_is_accepted_by_intake_and_prediction(
    client: Client, spec: dict[str, Any]
) -> None:
    example = _component(spec, "ApplicationForm")["example"]
    submitted = client.post("/api/v1/applications", json=example, headers=auth(Role.API_CONSUMER))
    assert submitted.status_code == 201, submitted.text


@pytest.mark.parametrize(
    ("component", "rules"),
    [
        ("NewUser", {"email": ("format", "email"), "password": ("minLength", 12)}),
        ("WebhookRequest", {"url": ("format", "uri"), "secret": ("minLength", 24)}),
    ],
)
def test_request_bodies_name_their_constraints(
    spec: dict[str, Any], component: str, rules: dict[str, tuple[str, Any]]
) -> None:
    properties = _component(spec, component)["properties"]
    for name, (keyword, value) in rules.items():
        assert properties[name][keyword] == value, name


def test_webhook_events_are_an_enum_array(client: Client, spec: dict[str, Any]) -> None:
    events = _component(spec, "WebhookRequest")["properties"]["events"]
    assert events["type"] == "array"
    assert "application.decided" in events["items"]["enum"]
    refused = client.post(
        "/api/v1/webhooks",
        json={**_component(spec, "WebhookRequest")["example"], "events": ["no.such"]},
        headers=auth(Role.ADMIN),
    )
    assert _problem_fields(refused) == {"events"}


@pytest.mark.parametrize(
    ("path", "component", "role"),
    [
        ("/api/v1/admin/users", "NewUser", Role.ADMIN),
        ("/api/v1/webhooks", "WebhookRequest", Role.ADMIN),
        ("/api/v1/exports", "ExportBody", Role.ADMIN),
        ("/api/v1/thresholds", "ThresholdProposal", Role.ADMIN),
    ],
)
def test_each_bodys_example_is_accepted(
    client: Client, spec: dict[str, Any], path: str, component: str, role: Role
) -> None:
    assert _body(spec, path) == {"$ref": f"#/components/schemas/{component}"}
    example = _component(spec, component)["example"]
    response = client.post(path, json=example, headers=auth(role))
    assert response.status_code in (201, 202), response.text


def test_a_batch_upload_is_documented_as_the_file_it_takes(spec: dict[str, Any]) -> None:
    form = _body(spec, "/api/v1/batches", "multipart/form-data")
    assert form["required"] == ["file"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert _body(spec, "/api/v1/batches", "text/csv")["type"] == "string"


def test_a_prediction_of_a_form_intake_refuses_lists_every_problem(client: Client) -> None:
    form: Any = form_json()
    form["loan"]["term_months"] = 0
    form["financials"]["savings"] = {"amount": "100", "currency": "USD"}
    scorer = auth(Role.SENIOR_ANALYST)
    one = client.post(PREDICT, json=form, headers=scorer)
    assert _problem_fields(one) == {"loan.term_months", "financials.savings"}
    batch = client.post(f"{PREDICT}/batch", json=[form_json(), form], headers=scorer)
    assert _problem_fields(batch) == {"[1].loan.term_months", "[1].financials.savings"}
