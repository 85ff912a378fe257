"""The workbench's login form over the real app: the session lands in cookies, a wrong login
says nothing about which part was wrong, a form from another site is refused, and `next`
never leads off the workbench."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.http.app import create_app
from entrypoints.http.cookies import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE
from tests.integration.http.auth_support import PASSWORD, auth_deps, email_of

Client = TestClient[Any]
SESSION = {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}


@pytest.fixture
def client(sqlite_database: Path) -> Iterator[Client]:
    deps = auth_deps(sqlite_database)
    try:
        with TestClient(create_app(deps)) as client:
            yield client
    finally:
        deps.close()


def _log_in(client: Client, password: str = PASSWORD, **extra: Any) -> Any:
    form = {"email": email_of(Role.ANALYST), "password": password, "next": "/app/queue"}
    headers = extra.pop("headers", {})
    return client.post("/login", data={**form, **extra}, headers=headers, follow_redirects=False)


def test_the_login_page_asks_for_same_origin_referrers(client: Client) -> None:
    """So the browser's `Origin` on the form's POST names this site rather than `null`."""
    assert client.get("/login").headers["referrer-policy"] == "same-origin"


def test_a_good_login_sets_the_session_cookies_and_goes_on(client: Client) -> None:
    answer = _log_in(client)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/queue"
    assert set(answer.cookies) == SESSION
    set_cookies = answer.headers.get_list("set-cookie")
    assert all("samesite=strict" in line.lower() for line in set_cookies)
    assert sum("httponly" in line.lower() for line in set_cookies) == 2  # not the CSRF cookie


def test_a_login_from_this_sites_own_page_is_taken(client: Client) -> None:
    answer = _log_in(client, headers={"Origin": str(client.base_url).rstrip("/")})
    assert answer.status_code == 303


@pytest.mark.parametrize("origin", ["https://attacker.example", "null"])
def test_a_login_form_posted_from_another_site_is_refused(client: Client, origin: str) -> None:
    answer = _log_in(client, headers={"Origin": origin})
    assert answer.status_code == 403
    assert "Log in from this site" in answer.text
    assert not set(answer.cookies) & SESSION


def test_a_wrong_password_sets_nothing_and_names_nothing(client: Client) -> None:
    answer = _log_in(client, password="not-the-password")
    assert answer.status_code == 401
    assert "That email and password do not match an account." in answer.text
    assert not set(answer.cookies) & SESSION


@pytest.mark.parametrize(
    "target", ["https://attacker.example/", "//attacker.example/app", "/api/v1/queue", "/\\evil"]
)
def test_next_never_leads_off_the_workbench(client: Client, target: str) -> None:
    answer = _log_in(client, next=target)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app"
