"""The request id and the security headers are on every response, errors included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import structlog
from litestar import get
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.http.app import create_app
from entrypoints.http.auth import PUBLIC
from entrypoints.http.settings import HttpSettings
from tests.integration.http.support import app_for, auth, sqlite_deps

Client = TestClient[Any]
PATHS = ("/health", "/nope", "/api/v1/applications", "/api/v1/applications/x", "/schema")


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_a_request_id_and_the_security_headers(
    client: Client, path: str
) -> None:
    response = client.get(path)
    assert len(response.headers["x-request-id"]) >= 16
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers


def test_each_request_gets_its_own_id(client: Client) -> None:
    ids = {client.get("/health").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


def test_a_sane_request_id_is_kept_and_any_other_replaced(client: Client) -> None:
    kept = client.get("/health", headers={"X-Request-ID": "trace-42.a_b"})
    assert kept.headers["x-request-id"] == "trace-42.a_b"
    for insane in ("<script>", "x" * 200, "a b"):
        replaced = client.get("/nope", headers={"X-Request-ID": insane})
        assert replaced.headers["x-request-id"] != insane
        assert replaced.json()["request_id"] == replaced.headers["x-request-id"]


def test_hsts_and_cors_follow_the_settings(sqlite_database: Path) -> None:
    http = HttpSettings(cors_origins=("https://lender.example",), hsts=True)
    deps = sqlite_deps(sqlite_database, http)
    with TestClient(app_for(deps)) as client:
        response = client.get(
            "/api/v1/applications",
            headers={**auth(Role.READONLY), "Origin": "https://lender.example"},
        )
        other = client.get("/health", headers={"Origin": "https://evil.example"})
    deps.close()
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert response.headers["access-control-allow-origin"] == "https://lender.example"
    assert "access-control-allow-origin" not in other.headers


def test_login_and_intake_are_rate_limited_per_client(sqlite_database: Path) -> None:
    deps = sqlite_deps(sqlite_database, HttpSettings(intake_per_minute=2))
    with TestClient(app_for(deps)) as client:
        statuses = [
            client.post("/api/v1/applications", json={}, headers=auth(Role.API_CONSUMER))
            for _ in range(3)
        ]
        listing = client.get("/api/v1/applications", headers=auth(Role.READONLY))
    deps.close()
    assert [r.status_code for r in statuses] == [422, 422, 429]
    assert statuses[2].headers["content-type"] == "application/problem+json"
    assert listing.status_code == 200  # other routes are not limited


def test_log_lines_written_while_serving_carry_the_request_id(deps: Deps) -> None:
    @get("/context", opt=PUBLIC, sync_to_thread=True)
    def context() -> dict[str, object]:  # a use case's log line runs in a worker thread
        return dict(structlog.contextvars.get_contextvars())

    with TestClient(create_app(deps, extra_routes=[context])) as client:
        response = client.get("/context", headers={"X-Request-ID": "trace-7"})
    assert response.json() == {"request_id": "trace-7"}
