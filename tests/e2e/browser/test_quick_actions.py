"""The workbench's quick actions "Request help" and "Flag for review", in a real browser against
the demo server: the senior analysts hear of a help request in their inbox, a flag shows on the
case, in the queue and through the API until a senior clears it, and a read-only person can do
neither. Each test makes its own case through the API (`workbench_cases`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.workbench import DemoServer, screenshot
from tests.e2e.browser.workbench_cases import QUEUE, Case, a_case, user_id

QUESTION = "The payslip and the bank statement disagree by 200 EUR; which one do we trust?"


@pytest.fixture
def case(workbench: DemoServer) -> Iterator[Case]:
    """A case of the test's own, held by an analyst or the admin but never by the senior who is
    to be told of it; handed back afterwards, so that its holder has room for other tests'."""
    made = a_case(workbench, strong=True)
    if made.holder == "senior":
        admin_id = user_id(workbench, "admin")
        with workbench.api("admin") as admin:
            assert admin.post(f"{QUEUE}/{made.entry_id}/release").status_code == 200
            moved = admin.post(f"{QUEUE}/{made.entry_id}/assign", json={"assignee_id": admin_id})
            assert moved.status_code == 200, moved.text
        made = Case(made.application_id, made.entry_id, made.recommendation, "admin", admin_id)
    yield made
    with workbench.api("admin") as admin:
        admin.post(f"{QUEUE}/{made.entry_id}/release")


def attention_of(workbench: DemoServer, entry_id: str) -> dict[str, Any]:
    with workbench.api("senior") as senior:
        answer = senior.get(f"{QUEUE}/{entry_id}/attention")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def told_of(workbench: DemoServer, application_id: str, within: float = 30) -> dict[str, Any]:
    """The senior's notification of help on `application_id`, once the worker has sent it."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with workbench.api("senior") as senior:
            items = senior.get("/api/v1/notifications", params={"page_size": 100}).json()["items"]
        for item in items:
            if item["template"] == "help_requested" and application_id in item["subject"]:
                found: dict[str, Any] = item
                return found
        time.sleep(0.5)
    raise AssertionError(f"the senior was not told of help on {application_id} in {within} s")


def test_a_help_request_reaches_the_seniors_inbox_and_stays_on_the_case(
    page_as: Callable[..., Page], workbench: DemoServer, case: Case
) -> None:
    page = page_as(case.holder, case.path)
    page.get_by_role("button", name="Request help").click()
    dialog = page.get_by_role("dialog", name="Request help")
    expect(dialog).to_be_visible()
    message = dialog.get_by_label("What do you need help with?")
    message.fill("Which?")
    expect(dialog.get_by_test_id("help-count")).to_contain_text("6 characters (4 more needed)")
    dialog.get_by_role("button", name="Send request").click()
    expect(dialog.get_by_role("alert")).to_contain_text("at least 10 characters")
    message.fill(QUESTION)
    expect(dialog.get_by_test_id("help-count")).to_contain_text(f"{len(QUESTION)} characters")
    expect(dialog.get_by_role("alert")).to_be_empty()
    screenshot(page, "workbench-request-help")
    dialog.get_by_role("button", name="Send request").click()

    expect(page.get_by_test_id("help-requests")).to_contain_text(QUESTION)
    (asked,) = attention_of(workbench, case.entry_id)["help_requests"]
    assert (asked["message"], asked["requested_by"]) == (QUESTION, case.holder_id)
    notice = told_of(workbench, case.application_id)
    assert f"{case.holder_id} asks for help with the case {case.entry_id}" in notice["body"]


def test_a_flag_shows_on_the_case_in_the_queue_and_through_the_api_until_cleared(
    page_as: Callable[..., Page], workbench: DemoServer, case: Case
) -> None:
    page = page_as(case.holder, case.path)
    expect(page.get_by_test_id("no-flag")).to_be_visible()
    page.get_by_role("button", name="Flag for review").click()
    dialog = page.get_by_role("dialog", name="Flag for review")
    dialog.get_by_role("button", name="Flag the case").click()
    expect(dialog.get_by_role("alert")).to_contain_text("reason")
    dialog.get_by_label("Reason").select_option("document_concern")
    dialog.get_by_label("Note (optional)").fill("The payslip font changes mid-line.")
    dialog.get_by_role("button", name="Flag the case").click()

    expect(page.get_by_test_id("flag-badge")).to_have_text("Flagged: document concern")
    expect(page.get_by_test_id("flag-note")).to_contain_text("The payslip font changes mid-line.")
    expect(page.get_by_role("button", name="Flag for review")).to_be_disabled()
    flag = attention_of(workbench, case.entry_id)["flag"]
    assert (flag["reason"], flag["flagged_by"]) == ("document_concern", case.holder_id)
    with workbench.api(case.holder) as holder:
        listed = holder.get(QUEUE, params={"analyst_id": case.holder_id, "page_size": 100})
    (item,) = [i for i in listed.json()["items"] if i["id"] == case.entry_id]
    assert item["flag"]["reason"] == "document_concern"

    queue = page_as(case.holder, "/app/queue?tab=mine&sort=priority&page=1")
    row = queue.locator(f"[data-entry-id='{case.entry_id}']").and_(queue.get_by_test_id("case-row"))
    expect(row.get_by_test_id("flag-badge")).to_have_text("Flagged")
    screenshot(queue, "queue-flagged")

    senior = page_as("senior", case.path)
    senior.get_by_role("button", name="Clear flag").click()
    clearing = senior.get_by_role("dialog", name="Clear the flag")
    clearing.get_by_label("Why the flag no longer applies").fill("The employer confirmed it.")
    clearing.get_by_role("button", name="Clear flag").click()
    expect(senior.get_by_test_id("no-flag")).to_be_visible()
    assert attention_of(workbench, case.entry_id)["flag"] is None


def test_a_read_only_person_can_neither_ask_for_help_nor_flag(
    page_as: Callable[..., Page], workbench: DemoServer, case: Case
) -> None:
    with workbench.api("readonly") as reader:
        asked = reader.post(f"{QUEUE}/{case.entry_id}/help", json={"message": QUESTION})
        flagged = reader.post(f"{QUEUE}/{case.entry_id}/flag", json={"reason": "other"})
    assert asked.status_code == flagged.status_code == 403
    page = page_as("readonly", case.path)
    expect(page.get_by_role("button", name="Request help")).to_have_count(0)
    expect(page.get_by_role("button", name="Flag for review")).to_have_count(0)
    attention = attention_of(workbench, case.entry_id)
    assert (attention["flag"], attention["help_requests"]) == (None, [])
