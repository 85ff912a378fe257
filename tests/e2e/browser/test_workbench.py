"""Deciding a case in the workbench, in a real browser against the demo server: approve, decline,
approve with conditions, and an override through its dialog. Each test makes its own case
through the API (`workbench_cases`), and checks the outcome through the API, not the page alone.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from domain.credit.features import annuity_payment
from domain.credit.money import Money
from entrypoints.web.workbench_view import DECLINE_TEMPLATES, money
from tests.e2e.browser.workbench import DemoServer, screenshot
from tests.e2e.browser.workbench_cases import a_case, detail_of

JUSTIFICATION = (
    "Twelve months of bank statements show stable seasonal income well above the payment."
)


def submit(page: Page) -> None:
    page.get_by_role("button", name="Submit decision").click()


def test_an_analyst_reads_the_case_and_approves_it_as_the_model_recommends(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=True)
    assert case.recommendation == "approve"
    page = page_as(case.holder, case.path)
    expect(page.get_by_test_id("case-status")).to_have_text("Held by you")
    expect(page.get_by_test_id("recommendation")).to_contain_text("approve")
    expect(page.get_by_test_id("ratios")).to_contain_text("Debt-to-income")
    expect(page.get_by_role("img", name="Factors toward default")).to_be_visible()
    statements = page.get_by_test_id("factor-statements").get_by_role("listitem")
    expect(statements.first).to_contain_text("the risk of default")
    expect(page.get_by_role("heading", name="Similar past cases")).to_be_visible()
    screenshot(page, "workbench")

    page.get_by_label("Approve", exact=True).check()
    submit(page)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")

    detail = detail_of(workbench, case.application_id)
    assert detail["application"]["status"] == "approved"
    decision = detail["decisions"][-1]
    assert (decision["decision_type"], decision["status"]) == ("analyst_approve", "final")
    assert decision["decided_by"] == case.holder_id
    expect(page.get_by_test_id("history")).to_contain_text("Approved")


def test_a_decline_counts_its_reasoning_and_needs_20_characters(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=False)
    assert case.recommendation == "decline"
    page = page_as(case.holder, case.path)
    page.get_by_label("Decline").check()
    page.get_by_label("Reason category").select_option("affordability")
    page.get_by_label("Reasoning").fill("Too little left")
    expect(page.get_by_test_id("reasoning-count")).to_contain_text("15 characters")
    expect(page.get_by_test_id("reasoning-count")).to_contain_text("5 to go")
    submit(page)
    expect(page.locator("#form-error")).to_contain_text("at least 20 characters")
    assert detail_of(workbench, case.application_id)["decisions"] == []

    page.get_by_label("Reasoning").fill("")
    name, text = DECLINE_TEMPLATES[0]
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.get_by_label("Reasoning")).to_have_value(text)
    expect(page.get_by_test_id("reasoning-count")).to_contain_text(f"{len(text)} characters")
    submit(page)
    expect(page.get_by_test_id("case-status")).to_have_text("Declined")

    detail = detail_of(workbench, case.application_id)
    assert detail["application"]["status"] == "declined"
    decision = detail["decisions"][-1]
    assert decision["decision_type"] == "analyst_decline"
    assert (decision["reason_category"], decision["reasoning"]) == ("affordability", text)


def test_an_approval_with_conditions_shows_the_new_monthly_payment(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=True)
    page = page_as(case.holder, case.path)
    loan = detail_of(workbench, case.application_id)["application"]["form"]["loan"]
    amount, months = Decimal(loan["amount"]["amount"]), loan["term_months"]
    rate = Decimal(loan["annual_rate_percent"])
    for probe in ("1500", "12000.50", "250000"):
        for term in (1, 6, 84):
            expected = annuity_payment(Money.of(probe, "EUR"), rate, term).amount
            computed = page.evaluate(f"workbench.payment({probe}, {rate}, {term})")
            assert Decimal(str(computed)).quantize(Decimal("0.01")) == expected

    page.get_by_label("Approve with conditions").check()
    first = page.locator("fieldset.condition").nth(0)
    first.get_by_label("Type").select_option("documentation")
    first.get_by_label("What is required").fill("Last three payslips")
    first.get_by_label("Due date").fill("2026-12-15")
    page.get_by_role("button", name="Add condition").click()
    second = page.locator("fieldset.condition").nth(1)
    second.get_by_label("Type").select_option("reduced_amount")
    second.get_by_label("What is required").fill("Lend less than was asked")
    second.get_by_label("New amount").fill("1500")

    new = annuity_payment(Money.of("1500", "EUR"), rate, months)
    before = annuity_payment(Money.of(amount, "EUR"), rate, months)
    expect(page.locator("#new-payment")).to_have_text(money(new))
    expect(page.locator("#payment-difference")).to_have_text(
        "\u2212" + money(before.amount - new.amount, "EUR")
    )
    page.get_by_role("button", name="Add condition").click()
    page.locator("fieldset.condition").nth(2).get_by_role("button", name="Remove condition").click()
    expect(page.locator("fieldset.condition")).to_have_count(2)
    submit(page)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")

    decision = detail_of(workbench, case.application_id)["decisions"][-1]
    assert decision["decision_type"] == "analyst_approve_with_conditions"
    assert Decimal(decision["terms"]["amount"]["amount"]) == Decimal("1500")
    assert Decimal(decision["terms"]["monthly_payment"]["amount"]) == new.amount
    kinds = [(c["condition_type"], c.get("due_date")) for c in decision["conditions"]]
    assert kinds == [("documentation", "2026-12-15"), ("reduced_amount", None)]


def test_deciding_against_the_model_needs_a_justified_confirmed_override(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=False)
    assert case.recommendation == "decline"
    page = page_as(case.holder, case.path)
    page.get_by_label("Approve", exact=True).check()
    submit(page)
    dialog = page.get_by_role("dialog", name="This decision overrides the model")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("recommends to decline")

    dialog.get_by_label("Justification").fill("Seasonal income is higher.")
    dialog.get_by_role("button", name="Submit override").click()
    expect(dialog.get_by_role("alert")).to_contain_text("at least 50 characters")
    dialog.get_by_label("Justification").fill(JUSTIFICATION)
    expect(dialog).to_contain_text(f"{len(JUSTIFICATION)} of at least 50 characters")
    dialog.get_by_role("button", name="Submit override").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Confirm")
    assert detail_of(workbench, case.application_id)["decisions"] == []

    dialog.get_by_label("I confirm").check()
    dialog.get_by_role("button", name="Submit override").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Awaiting approval of the override")

    detail = detail_of(workbench, case.application_id)
    assert detail["application"]["status"] == "review"
    decision = detail["decisions"][-1]
    assert decision["status"] == "awaiting_override_approval"
    assert decision["override"]["justification"] == JUSTIFICATION
    expect(page.get_by_test_id("history")).to_contain_text("awaiting approval")


def test_a_read_only_role_cannot_open_the_workbench(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("readonly", "/app/queue")
    with workbench.api("admin") as admin:
        listed = admin.get("/api/v1/queue", params={"page_size": 1}).json()["items"]
    assert listed, "the demo queue has no case"
    answer = page.goto(f"{workbench.url}/app/cases/{listed[0]['application_id']}")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_test_id("error-status")).to_contain_text("403")
