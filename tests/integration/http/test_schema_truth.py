"""The OpenAPI document tells the truth about what the server enforces: each body's rules as
JSON Schema keywords, a valid example where rules span fields (valid against its own schema,
and accepted when sent), the docs routes left out, 403 only where a permission can be lacking,
every success status declared; and the server refuses what the document refuses (a list given
as an object, a webhook URL that is no URI, a trailing newline), and answers a prediction of a
form intake would refuse with 422 listing every problem, never 500."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from litestar.testing import TestClient

from domain.identity import Role
from tests.integration.http.support import auth, form_json

Client = TestClient[Any]
PREDICT = "/api/v1/models/predict"
#: The domain's email rule, as the document states it.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


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
    assert personal["email"]["pattern"] == EMAIL
    assert personal["phone"]["pattern"].startswith("^")
    assert personal["date_of_birth"]["format"] == "date"
    assert "18" in personal["date_of_birth"]["description"]
    assert _component(spec, "Address")["properties"]["country"]["pattern"] == "^[A-Z]{2}$"
    savings = _number_form(_component(spec, "Financials")["properties"]["savings"])
    assert (savings["minimum"], savings["maximum"]) == (0, 10**12)


@pytest.mark.parametrize(
    "component",
    ["ApplicationForm", "PersonalInfo", "NewUser", "WebhookRequest", "ExportBody", "PolicyDraft"],
)
def test_each_example_is_valid_against_its_own_schema(spec: dict[str, Any], component: str) -> None:
    example = _component(spec, component)["example"]
    document = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(example)


def test_the_forms_example_is_accepted_by_intake(client: Client, spec: dict[str, Any]) -> None:
    example = _component(spec, "ApplicationForm")["example"]
    submitted = client.post("/api/v1/applications", json=example, headers=auth(Role.API_CONSUMER))
    assert submitted.status_code == 201, submitted.text


@pytest.mark.parametrize(
    ("component", "rules"),
    [
        ("NewUser", {"email": ("pattern", EMAIL), "password": ("minLength", 12)}),
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
    # Beyond any model's numbers: a feature from it would not be finite.
    form["financials"]["other_assets"] = {"amount": "5e99", "currency": "EUR"}
    wrong = {"loan.term_months", "financials.savings", "financials.other_assets"}
    scorer = auth(Role.SENIOR_ANALYST)
    one = client.post(PREDICT, json=form, headers=scorer)
    assert _problem_fields(one) == wrong
    batch = client.post(f"{PREDICT}/batch", json=[form_json(), form], headers=scorer)
    assert _problem_fields(batch) == {f"[1].{field}" for field in wrong}


def test_the_idempotency_key_and_the_batch_size_are_bounded_as_enforced(
    client: Client, spec: dict[str, Any]
) -> None:
    (key,) = spec["paths"]["/api/v1/applications"]["post"]["parameters"]
    assert (key["name"], key["schema"]["minLength"], key["schema"]["maxLength"]) == (
        "Idempotency-Key",
        1,
        255,
    )
    for refused in ("", "k" * 256):
        response = client.post(
            "/api/v1/applications",
            json=form_json(),
            headers={**auth(Role.API_CONSUMER), "Idempotency-Key": refused},
        )
        assert response.status_code == 422, response.text
    batch = _body(spec, f"{PREDICT}/batch")
    assert (batch["minItems"], batch["maxItems"]) == (1, 10_000)
    empty = client.post(f"{PREDICT}/batch", json=[], headers=auth(Role.SENIOR_ANALYST))
    assert _problem_fields(empty) == {"forms"}


@pytest.mark.parametrize(
    "url",
    [
        "http://[",
        "https://lender.example.com/a b",
        "https://lender.example.com:port/",
        "http://x/%zz",
    ],
)
def test_a_webhook_url_that_is_no_uri_is_refused_not_a_server_error(
    client: Client, spec: dict[str, Any], url: str
) -> None:
    body = {**_component(spec, "WebhookRequest")["example"], "url": url}
    refused = client.post("/api/v1/webhooks", json=body, headers=auth(Role.ADMIN))
    assert _problem_fields(refused) == {"url"}


def test_a_pattern_holds_to_the_end_of_the_text(client: Client) -> None:
    """The document's patterns end at `$`, the end of the text: a trailing newline is refused."""
    form: Any = form_json()
    form["applicant"]["address"]["country"] = "RS\n"
    form["applicant"]["personal"]["email"] = "ana@example.com\n"
    refused = client.post("/api/v1/applications", json=form, headers=auth(Role.API_CONSUMER))
    assert _problem_fields(refused) == {
        "applicant.address.country",
        "applicant.personal.email",
    }


def test_a_list_field_takes_a_json_array_only(client: Client, spec: dict[str, Any]) -> None:
    body = {**_component(spec, "NewUser")["example"], "grants": {}, "denials": "ab"}
    refused = client.post("/api/v1/admin/users", json=body, headers=auth(Role.ADMIN))
    assert _problem_fields(refused) == {"grants", "denials"}


def test_a_repeated_submission_answers_the_documented_200(
    client: Client, spec: dict[str, Any]
) -> None:
    responses = spec["paths"]["/api/v1/applications"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert "200" in spec["paths"]["/api/v1/batches"]["post"]["responses"]
    example = _component(spec, "ApplicationForm")["example"]
    statuses = [
        client.post("/api/v1/applications", json=example, headers=auth(Role.API_CONSUMER))
        for _ in range(2)
    ]
    assert [response.status_code for response in statuses] == [201, 200]


def test_a_gates_base_url_is_documented_as_the_url_the_server_takes(
    client: Client, spec: dict[str, Any]
) -> None:
    run_gate = spec["paths"]["/api/v1/testgen/suites/{suite_id}/gate"]["post"]
    reference = run_gate["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    base_url = _component(spec, reference.rsplit("/", 1)[-1])["properties"]["base_url"]
    pattern = next(b["pattern"] for b in [base_url, *base_url.get("oneOf", [])] if "pattern" in b)
    jsonschema.validate("http://127.0.0.1:8000", {"pattern": pattern})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("example", {"pattern": pattern})
