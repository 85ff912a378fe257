"""The applications list and detail pages and the queue page, in a real browser against the demo
server: filters, sorting and paging as the API answers them, problems with a filter shown on the
page, masked personal data, the queue's tabs and badges, and picking a case through the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from domain.credit.queue import QueuePolicy, priority_band, sla_status
from tests.e2e.browser.review_queue import QUEUE, routed, with_room
from tests.e2e.browser.workbench import DemoServer, screenshot
from tests.e2e.browser.workbench_cases import detail_of, user_id

APPLICATIONS = "/api/v1/applications"
SLA_TEXT = {"ok": "On time", "approaching": "SLA approaching", "breached": "SLA breached"}


def api_total(workbench: DemoServer, path: str, **params: str | int) -> int:
    with workbench.api("admin") as admin:
        answer = admin.get(path, params=params)
    assert answer.status_code == 200, answer.text
    total: int = answer.json()["total"]
    return total


def test_the_list_filters_by_status_and_search_and_pages_as_the_api_does(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    mine = routed(workbench)["application"]
    page = page_as("analyst1", "/app/applications")
    rows = page.get_by_test_id("application-row")
    expect(rows).to_have_count(20)
    screenshot(page, "applications")

    page.get_by_label("Review", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"status=review"))
    in_review = api_total(workbench, APPLICATIONS, status="review")
    expect(page.get_by_test_id("result-count")).to_have_text(
        f"{in_review} application{'' if in_review == 1 else 's'}"
    )
    for status in page.get_by_test_id("status").all():
        expect(status).to_have_text("Review")

    page.get_by_label("External id or name starts with").fill(mine["form"]["external_id"])
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text(mine["form"]["external_id"])

    page.goto(f"{workbench.url}/app/applications?sort=amount&order=desc&page_size=20")
    amounts = [float(text.split()[0].replace(",", "")) for text in
               page.get_by_test_id("amount").all_inner_texts()]  # fmt: skip
    assert amounts == sorted(amounts, reverse=True)
    first = rows.first.get_by_role("link").inner_text()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_test_id("page-position")).to_contain_text("Page 2 of")
    expect(rows.first.get_by_role("link")).not_to_have_text(first)
    expect(page.get_by_label("Sort by")).to_have_value("amount")


def test_wrong_filter_values_are_listed_on_the_page_not_failed(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("readonly", "/app/applications")
    answer = page.goto(
        f"{workbench.url}/app/applications?status=bogus&created_from=yesterday"
        "&created_to=2026-01-01&page=two"
    )
    assert answer is not None
    assert answer.status == 422
    problems = page.get_by_test_id("filter-problems")
    expect(problems).to_be_visible()
    for named in ("status", "created_from", "page"):
        expect(problems).to_contain_text(named)
    expect(page.get_by_text("must be a date written YYYY-MM-DD").first).to_be_visible()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def test_the_detail_page_shows_the_case_with_personal_data_masked(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    detail = routed(workbench)
    application = detail["application"]
    path = f"/app/applications/{application['id']}"
    page = page_as("analyst1", path)
    external_id = application["form"]["external_id"]
    expect(page.get_by_role("heading", level=1)).to_contain_text(external_id)
    expect(page.get_by_test_id("application-status")).to_have_text("Review")
    applicant = page.get_by_test_id("applicant")
    expect(applicant).not_to_contain_text(application["form"]["applicant"]["personal"]["email"])
    expect(applicant).to_contain_text("***@example.com")
    expect(page.get_by_test_id("score")).to_have_text(
        str(round(detail["scoring"]["model"]["score"]))
    )
    expect(page.get_by_test_id("loan-amount")).to_have_text("60,000.00 EUR")
    expect(page.get_by_test_id("financials")).to_contain_text("Net monthly income")
    expect(page.get_by_test_id("case-link")).to_have_attribute(
        "href", f"/app/cases/{application['id']}"
    )
    screenshot(page, "application")

    reader = page_as("readonly", path)
    expect(reader.get_by_test_id("score-summary")).to_be_visible()
    expect(reader.get_by_test_id("case-link")).to_have_count(0)
    missing = reader.goto(f"{workbench.url}/app/applications/no-such-application")
    assert missing is not None
    assert missing.status == 404


def test_the_queue_counts_tabs_and_badges_agree_with_the_api(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("analyst1", "/app/queue?tab=all")
    with workbench.api("admin") as admin:
        summary = admin.get(f"{QUEUE}/summary").json()
        listed = admin.get(QUEUE, params={"page_size": 25}).json()
    expect(page.get_by_test_id("count-pending")).to_have_text(str(summary["pending"]))
    expect(page.get_by_test_id("count-breached")).to_have_text(str(summary["breached_sla"]))
    expect(page.get_by_test_id("count-approaching")).to_have_text(str(summary["approaching_sla"]))
    now = datetime.now(UTC)
    for item in listed["items"]:
        row = page.locator(f"tr[data-entry-id='{item['id']}']")
        deadline = datetime.fromisoformat(item["sla_deadline"])
        expected = sla_status(deadline, now, QueuePolicy()).value
        expect(row.get_by_test_id("sla")).to_have_text(SLA_TEXT[expected])
        band = priority_band(item["priority"]).value
        expect(row.get_by_test_id("priority")).to_have_text(f"{item['priority']} · {band}")
    screenshot(page, "queue")

    page.get_by_role("link", name="Unassigned").click()
    expect(page.get_by_role("link", name="Unassigned")).to_have_attribute("aria-current", "page")
    for status in page.get_by_test_id("case-status").all():
        expect(status).to_have_text("Pending")

    page.get_by_role("link", name="My cases").click()
    mine = api_total(workbench, QUEUE, analyst_id=user_id(workbench, "analyst1"))
    expect(page.get_by_test_id("case-count")).to_have_text(f"{mine} case{'' if mine == 1 else 's'}")
    expect(page.get_by_role("button", name=re.compile("^Pick"))).to_have_count(0)


def test_someone_who_cannot_take_cases_is_not_offered_the_pick_action(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    routed(workbench)
    page = page_as("readonly", "/app/queue")
    expect(page.get_by_role("link", name="All")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Unassigned").click()
    expect(page.get_by_test_id("case-row").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Pick"))).to_have_count(0)
    wrong = page.goto(f"{workbench.url}/app/queue?tab=theirs")
    assert wrong is not None
    assert wrong.status == 422
    expect(page.get_by_test_id("queue-problems")).to_contain_text("tab")


def test_picking_an_unassigned_case_takes_it_and_opens_its_page(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    detail = routed(workbench)
    application_id, entry_id = detail["application"]["id"], detail["queue_entry"]["id"]
    key = with_room(workbench, ("analyst1", "analyst2"))
    page = page_as(key, "/app/queue?tab=unassigned")
    row = page.locator(f"tr[data-entry-id='{entry_id}']")
    row.get_by_role("button", name=re.compile("^Pick")).click()
    expect(page).to_have_url(f"{workbench.url}/app/cases/{application_id}")

    entry = detail_of(workbench, application_id)["queue_entry"]
    assert entry["analyst_id"] == user_id(workbench, key)
    assert entry["status"] == "in_progress"
    with workbench.api(key) as analyst:  # hand it back: the analyst's workload is shared
        assert analyst.post(f"{QUEUE}/{entry_id}/release").status_code == 200
