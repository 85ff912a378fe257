"""Liveness, readiness, metrics and the OpenAPI document with its offline docs page."""

from __future__ import annotations

import re
from typing import Any

from attrs import evolve
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from tests.integration.http.support import TokenTableAuthenticator, auth, form_json

Client = TestClient[Any]


def test_health_answers_without_credentials(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database_and_the_object_store(client: Client) -> None:
    response = client.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "object_store": "ok"}


def test_ready_names_the_failing_part_in_a_503(deps: Deps) -> None:
    def broker() -> None:
        raise ConnectionError("redis://:secret@broker:6379 refused")

    app = create_app(
        deps, authenticator=TokenTableAuthenticator(), probes={"database": lambda: None,
                                                             "broker": broker}
    )  # fmt: skip
    with TestClient(app) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert "secret" not in response.text


def test_metrics_count_requests_by_route_template_and_business_figures(client: Client) -> None:
    created = client.post("/api/v1/applications", json=form_json(), headers=auth(Role.API_CONSUMER))
    client.get(f"/api/v1/applications/{created.json()['id']}", headers=auth(Role.READONLY))
    text = client.get("/metrics").text
    assert (
        'creditdesk_http_requests_total{method="GET",'
        'route="/api/v1/applications/{application_id}",status="200"} 1.0'
    ) in text
    assert 'creditdesk_applications{status="pending"} 1.0' in text
    assert "creditdesk_queue_size 0.0" in text
    assert "creditdesk_sla_breaches 0.0" in text
    assert "creditdesk_http_request_duration_seconds_bucket" in text
    assert "creditdesk_scoring_duration_seconds" in text


def test_with_a_metrics_token_metrics_need_it_and_nothing_else_changes(deps: Deps) -> None:
    token = "scrape-" + "x" * 24
    guarded = evolve(
        deps, settings=evolve(deps.settings, http=evolve(deps.settings.http, metrics_token=token))
    )
    app = create_app(guarded, authenticator=TokenTableAuthenticator())
    with TestClient(app) as client:
        refused = [
            client.get("/metrics"),
            client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}),
            client.get("/metrics", headers={"Authorization": f"Basic {token}"}),
            # A user's credential is not a scrape credential.
            client.get("/metrics", headers=auth(Role.ADMIN)),
        ]
        allowed = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        health = client.get("/health")

    assert [r.status_code for r in refused] == [401] * 4
    assert all(token not in r.text for r in refused)
    assert refused[0].headers["content-type"].startswith("application/problem+json")
    assert allowed.status_code == 200
    assert "creditdesk_http_requests_total" in allowed.text
    assert health.status_code == 200


def test_the_openapi_document_is_3_1_and_names_every_api_route(client: Client) -> None:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert {"/api/v1/applications", "/api/v1/applications/{application_id}"} <= set(
        document["paths"]
    )
    operation_ids = [
        op["operationId"] for item in document["paths"].values() for op in item.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    assert set(document["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    assert document["paths"]["/api/v1/applications"]["post"]["security"]
    assert "security" not in document["paths"]["/health"]["get"]


def test_the_docs_page_loads_nothing_from_another_origin(client: Client) -> None:
    response = client.get("/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", response.text)
    policy = response.headers["content-security-policy"]
    assert "script-src 'sha256-" in policy
    assert "connect-src 'self'" in policy
