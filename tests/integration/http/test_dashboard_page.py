"""The dashboard page over SQLite and the known book: its figures are the API's, a bad period
is named on the page (never a 500), and a role without analytics:view gets the 403 page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from tests.analytics_data import store_known_book
from tests.builders import a_principal, a_user
from tests.integration.http.analytics import BASE
from tests.integration.http.support import auth

Client = TestClient[Any]
WEEK = {"from": "2026-11-02", "to": "2026-11-08"}
PAGE = "/app/dashboard"


@pytest.fixture
def book(deps: Deps, client: Client) -> Client:
    """The known book, and the users behind the test tokens (the layout shows who is in)."""
    store_known_book(deps.uow(), add_tenants=False)
    with deps.uow() as uow:
        for role in (Role.ANALYST, Role.READONLY):
            principal = a_principal(role)
            uow.users.add(a_user(id=principal.user_id, email=f"{role.value}@example.com",
                                 role=role))  # fmt: skip
        uow.commit()
    return client


def attribute(html: str, test_id: str, name: str) -> str:
    found = re.search(rf'<[^>]*data-testid="{test_id}"[^>]*\b{name}="([^"]*)"', html)
    assert found is not None, f"no {name} on {test_id}"
    return found.group(1)


def text_of(html: str, test_id: str) -> str:
    """The text of the paragraph `test_id`, its inner tags dropped."""
    found = re.search(rf'<p [^>]*data-testid="{test_id}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found is not None, f"no paragraph {test_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def current(html: str, key: str) -> float | None:
    raw = attribute(html, f"metric-{key}", "data-current")
    return None if raw == "" else float(raw)


def test_the_cards_show_the_apis_figures_for_the_same_period(book: Client) -> None:
    html = book.get(PAGE, params={"period": "custom", **WEEK}, headers=auth(Role.ANALYST)).text
    api = book.get(f"{BASE}/dashboard", params=WEEK, headers=auth(Role.ANALYST)).json()
    analysts = book.get(f"{BASE}/analysts", params=WEEK, headers=auth(Role.ANALYST)).json()
    expected = {
        "applications": api["total_applications"]["current"],
        "auto-decision-rate": api["auto_decision_rate"]["current"],
        "approval-rate": api["approval_rate"]["current"],
        "average-review-time": api["average_review_seconds"]["current"],
        "sla-compliance": api["sla_compliance_rate"]["current"],
        "override-rate": analysts["performance"]["all_analysts"]["override_rate"],
    }
    assert {key: current(html, key) for key in expected} == expected
    assert text_of(html, "metric-applications-value") == "4"
    assert text_of(html, "metric-approval-rate-value") == "50.0%"
    assert text_of(html, "metric-average-review-time-value") == "10 min"
    assert text_of(html, "metric-override-rate-value") == "50.0%"
    # 4 applications against 1: up 300 %; the previous week settled no SLA case.
    assert "+300.0%" in text_of(html, "metric-applications-change")
    assert text_of(html, "metric-sla-compliance-change").endswith("—")
    assert "2026-11-02 to 2026-11-08" in text_of(html, "period")


def test_a_preset_covers_the_last_days_up_to_today(book: Client) -> None:
    html = book.get(PAGE, params={"period": "7d"}, headers=auth(Role.ANALYST)).text
    assert "2026-11-16 to 2026-11-22" in text_of(html, "period")
    default = book.get(PAGE, headers=auth(Role.ANALYST)).text
    assert "2026-10-24 to 2026-11-22" in text_of(default, "period")


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2026-11-08", "to": "2026-11-02"}, "To date: must not be before from"),
        ({"from": "11/02/2026"}, "From date: must be a date like 2026-11-01"),
        ({"granularity": "month"}, "Trend by: must be day or week"),
        ({"from": "2024-01-01", "to": "2026-11-08"}, "From date: a report covers at most"),
    ],
)
def test_a_bad_period_is_named_on_the_page(
    book: Client, params: dict[str, str], named: str
) -> None:
    answer = book.get(PAGE, params={"period": "custom", **params}, headers=auth(Role.ANALYST))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert named in " ".join(answer.text.split())
    assert 'data-testid="metric-' not in answer.text


def test_an_unknown_preset_is_named_too(book: Client) -> None:
    answer = book.get(PAGE, params={"period": "90d"}, headers=auth(Role.ANALYST))
    assert answer.status_code == 422
    assert "Period: must be one of 7d, 30d, custom" in answer.text


def test_a_role_without_analytics_view_gets_the_403_page(book: Client) -> None:
    answer = book.get(PAGE, headers=auth(Role.READONLY))
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
