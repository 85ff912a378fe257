"""Logging in and out of the workbench in a real browser, and what each role is offered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.browser.test_workbench_keys import release
from tests.e2e.browser.workbench import DemoServer
from tests.e2e.browser.workbench_cases import a_case

#: The pages each demo role is offered in the navigation, in order.
OFFERED = {
    "admin": ["Dashboard", "Queue", "Applications", "Overrides", "Thresholds", "Batches",
              "Models", "Audit", "Test suites"],
    "senior": ["Dashboard", "Queue", "Applications", "Overrides", "Models", "Audit"],
    "analyst1": ["Dashboard", "Queue", "Applications", "Models"],
    "readonly": ["Queue", "Applications"],
}  # fmt: skip


def test_a_page_without_a_session_sends_the_browser_to_the_login_page(
    anonymous_page: Page, workbench: DemoServer
) -> None:
    anonymous_page.goto(f"{workbench.url}/app/queue")
    expect(anonymous_page).to_have_url(f"{workbench.url}/login?next=/app/queue")
    expect(anonymous_page.get_by_role("heading", name="Log in to creditdesk")).to_be_visible()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    anonymous_page: Page, workbench: DemoServer
) -> None:
    anonymous_page.goto(f"{workbench.url}/login")
    anonymous_page.get_by_label("Email").fill(DEMO_LOGINS.by_key("analyst1").email)
    anonymous_page.get_by_label("Password").fill("not-the-password")
    anonymous_page.get_by_role("button", name="Log in").click()
    expect(anonymous_page.get_by_role("alert")).to_have_text(
        "That email and password do not match an account."
    )
    assert anonymous_page.context.cookies() == []


@pytest.mark.parametrize("key", sorted(OFFERED))
def test_each_role_is_offered_the_pages_it_may_open_and_sees_who_it_is(
    page_as: Callable[..., Page], key: str
) -> None:
    page = page_as(key, "/app/queue")
    demo = DEMO_LOGINS.by_key(key)
    expect(page.get_by_test_id("user")).to_have_text(demo.display_name)
    expect(page.get_by_test_id("role")).to_have_text(demo.role.value.replace("_", " "))
    expect(page.get_by_test_id("tenant")).not_to_be_empty()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_text(OFFERED[key])


def test_a_role_without_the_permission_gets_a_page_saying_so(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("readonly", "/app/queue")
    answer = page.goto(f"{workbench.url}/app/overrides")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_test_id("error-status")).to_contain_text("403")


def test_the_session_cookies_are_out_of_scripts_reach_and_logging_out_ends_them(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("analyst1", "/app/queue")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["creditdesk_access"]["httpOnly"]
    assert cookies["creditdesk_refresh"]["httpOnly"]
    assert not cookies["creditdesk_csrf"]["httpOnly"]
    assert {cookie["sameSite"] for cookie in cookies.values()} == {"Strict"}
    assert "creditdesk_access" not in page.evaluate("document.cookie")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{workbench.url}/login")
    page.goto(f"{workbench.url}/app/queue")
    expect(page).to_have_url(f"{workbench.url}/login?next=/app/queue")


def test_the_api_refuses_a_change_sent_with_the_session_cookie_but_no_csrf_header(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("analyst1", "/app/queue")
    status = page.evaluate(
        """async () => (await fetch('/api/v1/notifications/read-all', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: '{}'})).status"""
    )
    assert status == 401
    allowed = page.evaluate("async () => (await creditdesk.api('GET', '/api/v1/auth/me')).status")
    assert allowed == 200


def test_the_layout_shows_unread_notifications_and_marks_them_all_read(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=True)  # its holder is told of the assignment
    try:
        page = page_as(case.holder, "/app/queue")
        badge = page.get_by_test_id("unread")
        for _ in range(40):  # the notice goes out through the outbox, moments after
            if badge.inner_text() != "0":
                break
            page.wait_for_timeout(500)
            page.reload()
        assert int(badge.inner_text()) >= 1
        page.get_by_text("Notifications").click()
        expect(page.get_by_text("Case assigned to you").first).to_be_visible()
        page.get_by_role("button", name="Mark all read").click()
        expect(badge).to_have_text("0")
        with workbench.api(case.holder) as client:
            assert client.get("/api/v1/notifications").json()["unread"] == 0
        page.reload()
        expect(page.get_by_test_id("unread")).to_have_text("0")
    finally:
        release(workbench, case)
