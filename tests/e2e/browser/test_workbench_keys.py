"""The workbench with the keyboard alone, its draft kept across a reload, and releasing a case,
in a real browser against the demo server; outcomes checked through the API."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.browser.workbench import DemoServer
from tests.e2e.browser.workbench_cases import QUEUE, Case, a_case, detail_of

REASONING = "Income is too irregular to carry the payment requested."


def release(workbench: DemoServer, case: Case) -> None:
    """Hand the case back if the test left it held (a failed test must not fill a workload)."""
    with workbench.api("admin") as admin:
        entry = admin.get(f"/api/v1/applications/{case.application_id}").json()["queue_entry"]
        if entry and entry["status"] in {"assigned", "in_progress"}:
            admin.post(f"{QUEUE}/{case.entry_id}/release")


def queue_order(workbench: DemoServer, case: Case) -> list[str]:
    """The holder's open cases in queue order, as the page walks them."""
    with workbench.api(case.holder) as client:
        listed = client.get(QUEUE, params={"analyst_id": case.holder_id, "page_size": 100})
    return [entry["application_id"] for entry in listed.json()["items"]]


def test_the_shortcuts_choose_submit_list_and_walk_the_queue(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=False)
    try:
        page = page_as(case.holder, case.path)
        approve, decline = page.get_by_label("Approve", exact=True), page.get_by_label("Decline")
        page.keyboard.press("Control+Shift+A")
        expect(approve).to_be_checked()
        expect(approve).to_be_focused()
        page.keyboard.press("Control+Shift+D")
        expect(decline).to_be_checked()
        page.get_by_label("Reasoning").fill("Too short")
        page.keyboard.press("Control+Enter")
        expect(page.locator("#form-error")).to_contain_text("at least 20 characters")

        page.keyboard.press("Control+Shift+?")
        shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(shortcuts).to_be_visible()
        expect(shortcuts).to_contain_text("Ctrl+Shift+A")
        page.keyboard.press("Escape")
        expect(shortcuts).to_be_hidden()

        # Walking the queue opens other cases: leave them as they are (no review clock started).
        page.route("**/api/v1/queue/*/start", lambda route: route.abort())
        order = queue_order(workbench, case)
        at = order.index(case.application_id)
        key, neighbour = ("Control+n", order[at + 1]) if at + 1 < len(order) else (
            "Control+p", order[at - 1])  # fmt: skip
        page.keyboard.press(key)
        expect(page).to_have_url(f"{workbench.url}/app/cases/{neighbour}")
        expect(page.locator("#workbench")).to_have_attribute("data-ready", "true")
        page.keyboard.press("Control+p" if key == "Control+n" else "Control+n")
        expect(page).to_have_url(f"{workbench.url}{case.path}")
    finally:
        release(workbench, case)


def test_a_draft_is_offered_back_after_a_reload_and_cleared_on_submit(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=False)
    try:
        page = page_as(case.holder, case.path)
        page.get_by_label("Decline").check()
        page.get_by_label("Reason category").select_option("employment")
        page.get_by_label("Reasoning").fill(REASONING)
        page.reload()
        expect(page.get_by_label("Reasoning")).to_have_value("")
        banner = page.get_by_role("region", name="Saved draft")
        expect(banner).to_be_visible()
        banner.get_by_role("button", name="Restore draft").click()
        expect(page.get_by_label("Decline")).to_be_checked()
        expect(page.get_by_label("Reason category")).to_have_value("employment")
        expect(page.get_by_label("Reasoning")).to_have_value(REASONING)
        stored = page.evaluate("Object.keys(localStorage)")
        assert [key for key in stored if key.endswith(case.application_id)] != []
        assert all("token" not in key for key in stored)

        page.keyboard.press("Control+Enter")
        expect(page.get_by_test_id("case-status")).to_have_text("Declined")
        expect(page.get_by_role("region", name="Saved draft")).to_be_hidden()
        stored = page.evaluate("Object.keys(localStorage)")
        assert [key for key in stored if key.endswith(case.application_id)] == []
        decision = detail_of(workbench, case.application_id)["decisions"][-1]
        assert (decision["decision_type"], decision["reasoning"]) == ("analyst_decline", REASONING)
    finally:
        release(workbench, case)


def test_a_draft_of_a_case_changed_elsewhere_is_refused(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=False)
    try:
        page = page_as(case.holder, case.path)
        page.get_by_label("Decline").check()
        page.get_by_label("Reasoning").fill(REASONING)
        with workbench.api("admin") as admin:  # someone hands the case back and gives it again
            assert admin.post(f"{QUEUE}/{case.entry_id}/release").status_code == 200
            again = admin.post(f"{QUEUE}/{case.entry_id}/assign",
                               json={"assignee_id": case.holder_id})  # fmt: skip
            assert again.status_code == 200, again.text
        page.keyboard.press("Control+Enter")
        expect(page.locator("#form-error")).to_contain_text("This case has changed")
        assert detail_of(workbench, case.application_id)["decisions"] == []

        page.reload()
        expect(page.get_by_role("alert").filter(has_text="draft")).to_contain_text(
            "the case has changed"
        )
        expect(page.get_by_role("region", name="Saved draft")).to_be_hidden()
        expect(page.get_by_label("Reasoning")).to_have_value("")
    finally:
        release(workbench, case)


def test_a_case_is_released_to_the_queue_after_a_confirmation(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=True)
    try:
        page = page_as(case.holder, case.path)
        page.get_by_role("button", name="Release to queue").click()
        dialog = page.get_by_role("dialog", name="Release this case?")
        dialog.get_by_role("button", name="Keep the case").click()
        expect(dialog).to_be_hidden()
        assert detail_of(workbench, case.application_id)["queue_entry"]["analyst_id"]

        page.get_by_role("button", name="Release to queue").click()
        dialog.get_by_role("button", name="Release to queue").click()
        expect(page).to_have_url(f"{workbench.url}/app/queue")
        entry = detail_of(workbench, case.application_id)["queue_entry"]
        assert (entry["status"], entry["analyst_id"]) == ("pending", None)
    finally:
        release(workbench, case)
