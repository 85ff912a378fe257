"""The thresholds page in a real browser: propose a version, see it wait for a second person,
see the proposer's own approval refused by the API, and another administrator approve it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser.workbench import DemoServer, screenshot

Opener = Callable[..., Page]


def second_admin(workbench: DemoServer) -> tuple[str, str]:
    """Another administrator of the demo lender, created through the API: (email, password)."""
    email = f"second-admin-{uuid.uuid4().hex[:8]}@example.com"
    password = "second-admin-password"
    created = workbench.api("admin").post(
        "/api/v1/admin/users",
        json={"email": email, "display_name": "Second Admin", "role": "admin",
              "password": password},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return email, password


def log_in_as(browser: Browser, workbench: DemoServer, email: str, password: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{workbench.url}/login?next=/app/thresholds")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Thresholds", exact=True)).to_be_visible()
    return page


def test_a_proposal_waits_for_a_second_administrator_and_its_author_cannot_approve_it(
    page_as: Opener, browser: Browser, workbench: DemoServer
) -> None:
    page = page_as("admin", "/app/thresholds")
    in_force = page.get_by_test_id("in-force")
    expect(in_force).to_contain_text("In force: version")
    decline = page.get_by_label("Auto-decline at or below (score)")
    approve_min = page.get_by_label("Auto-approve at or above (score)")
    # The form starts from the version in force; proposing it again leaves routing unchanged.
    expect(decline).to_have_value(in_force.get_by_test_id("auto-decline-max").inner_text())

    decline.fill("")
    page.get_by_role("button", name="Propose").click()
    expect(decline).to_have_attribute("aria-invalid", "true")
    expect(decline).to_have_accessible_description(re.compile(r"\S"))

    decline.fill(in_force.get_by_test_id("auto-decline-max").inner_text())
    note = f"Same thresholds, reviewed for the quarter ({uuid.uuid4().hex[:8]})"
    page.get_by_label("Why this change").fill(note)
    page.get_by_role("button", name="Propose").click()
    row = page.get_by_test_id("pending").get_by_role("row").filter(has_text=note)
    expect(row).to_contain_text("by you")
    version = int(row.get_by_role("rowheader").inner_text())
    expect(approve_min).to_be_visible()

    row.get_by_role("button", name=f"Approve version {version}").click()
    refusal = row.get_by_role("alert")
    expect(refusal).to_contain_text("Refused: a policy version must be approved by someone other")
    screenshot(page, "thresholds")

    email, password = second_admin(workbench)
    other = log_in_as(browser, workbench, email, password)
    mine = (
        other.get_by_test_id("pending")
        .get_by_role("row")
        .filter(has_text=f"Approve version {version}")
    )
    mine.get_by_role("button", name=f"Approve version {version}").click()
    expect(other.get_by_test_id("in-force")).to_contain_text(f"In force: version {version}")
    active = workbench.api("admin").get("/api/v1/thresholds/active").json()
    assert active["policy"]["version"] == version
    other.context.close()


def test_two_thresholds_that_overlap_are_refused_with_the_apis_reason(page_as: Opener) -> None:
    page = page_as("admin", "/app/thresholds")
    page.get_by_label("Auto-decline at or below (score)").fill("700")
    page.get_by_label("Auto-approve at or above (score)").fill("600")
    page.get_by_role("button", name="Propose").click()
    alert = page.get_by_test_id("propose-form").get_by_role("alert").first
    expect(alert).to_contain_text("must stay below auto_approve_min")


def test_an_analyst_gets_the_forbidden_page(page_as: Opener, workbench: DemoServer) -> None:
    page = page_as("analyst1", "/app/queue")
    answer = page.goto(f"{workbench.url}/app/thresholds")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_test_id("error-status")).to_contain_text("403")
