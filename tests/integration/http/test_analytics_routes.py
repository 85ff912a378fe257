"""`/api/v1/analytics` over SQLite: who may read the reports, the hand-counted figures of the
known book as JSON, every bad parameter named in one problem, the other tenant never counted,
and an OpenAPI schema that describes each report."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Permission, Role, can
from entrypoints.composition import Deps
from tests.analytics_data import store_known_book
from tests.builders import OTHER_TENANT, a_principal
from tests.integration.http.analytics import BASE, ROUTES
from tests.integration.http.support import assert_allowed_or_refused, auth

Client = TestClient[Any]
WEEK = {"from": "2026-11-02", "to": "2026-11-08"}


@pytest.fixture
def book(deps: Deps, client: Client) -> Client:
    store_known_book(deps.uow(), add_tenants=False)
    return client


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    client: Client, role: Role, method: str, path: str, permission: Permission
) -> None:
    response = client.request(method, path, headers=auth(role))
    assert_allowed_or_refused(response, can(a_principal(role), permission))


def test_analysts_seniors_and_admins_read_analytics_and_no_one_else() -> None:
    allowed = {role for role in Role if can(a_principal(role), Permission.ANALYTICS_VIEW)}
    assert allowed == {Role.ADMIN, Role.SENIOR_ANALYST, Role.ANALYST}


def test_the_dashboard_compares_with_the_previous_period(book: Client) -> None:
    body = book.get(f"{BASE}/dashboard", params=WEEK, headers=auth(Role.ANALYST)).json()
    assert body["period"] == {"first_day": "2026-11-02", "last_day": "2026-11-08"}
    assert body["previous_period"] == {"first_day": "2026-10-26", "last_day": "2026-11-01"}
    assert body["total_applications"] == {
        "current": 4,
        "previous": 1,
        "change": 3,
        "change_ratio": 3.0,
    }
    assert body["approval_rate"]["current"] == 0.5
    assert body["average_review_seconds"]["current"] == 600
    assert body["sla_compliance_rate"] == {
        "current": 0.5,
        "previous": None,
        "change": None,
        "change_ratio": None,
    }


def test_the_analyst_table_carries_both_override_rates(book: Client) -> None:
    body = book.get(f"{BASE}/analysts", params=WEEK, headers=auth(Role.SENIOR_ANALYST)).json()
    ana = body["performance"]["analysts"][0]
    assert ana["analyst_id"] == "user-ana"
    assert ana["decisions"] == 3
    assert ana["low_side_override_rate"] == pytest.approx(1 / 3)
    assert ana["high_side_override_rate"] == pytest.approx(1 / 3)
    assert body["performance"]["all_analysts"]["override_rate"] == 0.5


def test_every_report_answers_the_known_week(book: Client) -> None:
    headers = auth(Role.ADMIN)
    weekly = book.get(f"{BASE}/trends", params={**WEEK, "granularity": "week"}, headers=headers)
    assert [p["decisions"] for p in weekly.json()["points"]] == [6]
    daily = book.get(f"{BASE}/trends", params=WEEK, headers=headers).json()
    assert [p["applications"] for p in daily["points"]] == [2, 0, 1, 0, 0, 0, 1]
    breakdown = book.get(f"{BASE}/decisions", params=WEEK, headers=headers).json()
    assert breakdown["breakdown"]["total"] == 6
    scores = book.get(f"{BASE}/scores", params=WEEK, headers=headers).json()
    assert [b["count"] for b in scores["distribution"]["buckets"]] == [
        3,
        1,
        0,
        0,
        0,
        0,
        1,
        0,
        1,
        0,
        1,
    ]
    models = book.get(f"{BASE}/models", params=WEEK, headers=headers).json()
    assert sum(day["scores"] for day in models["days"]) == 9
    queue = book.get(f"{BASE}/queue", params=WEEK, headers=headers).json()
    assert (queue["sla"]["met"], queue["sla"]["missed"]) == (3, 3)
    assert queue["open_now"]["assigned"] == 1


def test_the_other_tenant_is_never_counted(book: Client) -> None:
    headers = auth(Role.ADMIN, OTHER_TENANT)
    theirs = book.get(f"{BASE}/analysts", params=WEEK, headers=headers).json()["performance"]
    assert [(row["analyst_id"], row["decisions"]) for row in theirs["analysts"]] == [
        ("user-ana", 1)
    ]
    dashboard = book.get(f"{BASE}/dashboard", params=WEEK, headers=headers).json()
    assert dashboard["total_applications"]["current"] == 1
    scores = book.get(f"{BASE}/scores", params=WEEK, headers=headers).json()
    assert scores["distribution"]["scored"] == 1


def test_every_bad_parameter_is_named_in_one_problem(client: Client) -> None:
    params = {"from": "2026-11-31", "to": "soon", "granularity": "month"}
    response = client.get(f"{BASE}/trends", params=params, headers=auth(Role.ANALYST))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    named = {error["field"] for error in response.json()["errors"]}
    assert named == {"from", "to", "granularity"}
    backwards = {"from": "2026-11-08", "to": "2026-11-02"}
    response = client.get(f"{BASE}/dashboard", params=backwards, headers=auth(Role.ANALYST))
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["to"]


def test_the_schema_describes_each_report_and_its_parameters(client: Client) -> None:
    schema = client.get("/schema/openapi.json").json()
    dashboard = schema["paths"][f"{BASE}/dashboard"]["get"]
    parameters = {p["name"]: p for p in dashboard["parameters"]}
    assert parameters["from"]["schema"]["format"] == "date"
    assert "Low-side override" in schema["paths"][f"{BASE}/analysts"]["get"]["description"]
    reference = dashboard["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    summary = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert {"total_applications", "sla_compliance_rate"} <= set(summary["properties"])
