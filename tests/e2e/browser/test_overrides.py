"""The overrides page in a real browser against the demo server: an analyst's override (made
through the API) approved or rejected by a second person on the page, checked through the API,
and the four-eyes refusal shown as the API gives it."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.browser.review_queue import JUSTIFICATION, Override, an_override
from tests.e2e.browser.workbench import DemoServer, screenshot
from tests.e2e.browser.workbench_cases import detail_of


def reviewer_of(override: Override) -> str:
    """A second person for `override`: the senior, unless the senior wrote it."""
    return "admin" if override.author == "senior" else "senior"


def card(page: Page, override: Override) -> Locator:
    return page.get_by_role("article", name=re.compile(re.escape(override.external_id)))


def test_a_senior_approves_an_analysts_override_and_it_becomes_final(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    override = an_override(workbench)
    page = page_as(reviewer_of(override), "/app/overrides")
    shown = card(page, override)
    expect(shown.get_by_role("heading", level=2)).to_contain_text(override.external_id)
    expect(shown.get_by_test_id("recommendation")).to_have_text("Decline")
    expect(shown.get_by_test_id("analyst-decision")).to_have_text("Analyst approve")
    expect(shown.get_by_test_id("justification")).to_have_text(JUSTIFICATION)
    author = DEMO_LOGINS.by_key(override.author).display_name
    expect(shown.get_by_test_id("requested-by")).to_have_text(author)
    score = detail_of(workbench, override.application_id)["scoring"]["model"]["score"]
    expect(shown.get_by_test_id("override-score")).to_have_text(str(round(score)))
    expect(shown.get_by_test_id("override-pd")).to_contain_text("%")
    screenshot(page, "overrides")

    shown.get_by_label(f"Comment for the analyst on {override.external_id}").fill("Agreed.")
    shown.get_by_role("button", name="Approve override").click()
    expect(shown.get_by_test_id("review-outcome")).to_have_text("Approved: the decision is final.")

    detail = detail_of(workbench, override.application_id)
    decision = detail["decisions"][-1]
    assert decision["id"] == override.decision_id
    assert decision["status"] == "final"
    assert (decision["override"]["status"], decision["override"]["review_comment"]) == (
        "approved", "Agreed.",
    )  # fmt: skip
    assert detail["application"]["status"] == "approved"

    page.reload()
    expect(card(page, override)).to_have_count(0)


def test_a_rejection_needs_a_comment_and_sends_the_case_back_to_the_queue(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    override = an_override(workbench)
    page = page_as(reviewer_of(override), "/app/overrides")
    shown = card(page, override)
    shown.get_by_role("button", name="Reject override").click()
    expect(shown.get_by_test_id("review-error")).to_contain_text("comment")

    reason = "The contract is not signed yet; decide again once it is."
    shown.get_by_label(f"Comment for the analyst on {override.external_id}").fill(reason)
    shown.get_by_role("button", name="Reject override").click()
    expect(shown.get_by_test_id("review-outcome")).to_have_text(
        "Rejected: the case is back in the queue."
    )

    detail = detail_of(workbench, override.application_id)
    decision = detail["decisions"][-1]
    assert decision["status"] == "reverted"
    assert (decision["override"]["status"], decision["override"]["review_comment"]) == (
        "rejected", reason,
    )  # fmt: skip
    assert detail["application"]["status"] == "review"
    assert detail["queue_entry"]["status"] == "pending"


def test_the_author_of_an_override_is_refused_its_approval_as_the_api_says(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    override = an_override(workbench, author="senior")
    page = page_as("senior", "/app/overrides")
    shown = card(page, override)
    expect(shown.get_by_test_id("requested-by")).to_contain_text("you")
    shown.get_by_role("button", name="Approve override").click()
    expect(shown.get_by_test_id("review-error")).to_contain_text(
        "an override must be reviewed by someone other than its author"
    )
    expect(shown.get_by_role("button", name="Approve override")).to_be_enabled()
    assert detail_of(workbench, override.application_id)["decisions"][-1]["status"] == (
        "awaiting_override_approval"
    )

    with workbench.api("admin") as admin:  # the second person it needs, for the next tests
        approved = admin.post(f"/api/v1/decisions/{override.decision_id}/approve-override")
    assert approved.status_code == 200, approved.text

    analyst = page_as("analyst1", "/app/queue")
    answer = analyst.goto(f"{workbench.url}/app/overrides")
    assert answer is not None
    assert answer.status == 403
    expect(analyst.get_by_role("link", name="Overrides")).to_have_count(0)
