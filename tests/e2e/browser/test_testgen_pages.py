"""The test-generation pages in a real browser against the demo server: the demo's QA engineer
submits a spec through the API, finds its suite in the queue, reads a test's highlighted code
beside the spec operation, approves one test, then approves the rest in bulk; the API agrees."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser.test_every_page import _check as check_page
from tests.e2e.browser.workbench import SCREENSHOTS, DemoServer, screenshot
from tests.unit.domain.testgen.specs import petstore_30

SUITES = "/api/v1/testgen/suites"
#: A title of this test's own, so no other test's suite is the one it reviews.
TITLE = "Browser review petstore"


def a_submitted_suite(workbench: DemoServer) -> dict[str, Any]:
    document = petstore_30()
    document["info"]["title"] = TITLE
    with workbench.api("qa") as api:
        answer = api.post(
            SUITES, content=json.dumps(document), headers={"Content-Type": "application/json"}
        )
    assert answer.status_code in {200, 201}, answer.text
    made: dict[str, Any] = answer.json()
    return made


def suite_of(workbench: DemoServer, suite_id: str) -> dict[str, Any]:
    with workbench.api("qa") as api:
        answer = api.get(f"{SUITES}/{suite_id}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_qa_engineer_reviews_a_suite_test_by_test_and_in_bulk(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    made = a_submitted_suite(workbench)
    page = page_as("qa", "/app/testgen")
    expect(page.get_by_role("link", name="Test suites")).to_have_attribute("aria-current", "page")
    row = page.get_by_test_id("suite-row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_have_count(1)
    screenshot(page, "testgen_queue")

    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    tests = page.get_by_test_id("test")
    expect(tests).to_have_count(made["cases"])
    first = tests.first
    name = first.get_by_role("heading", level=3).inner_text()
    first.get_by_text("Code and spec operation").click()
    code = first.get_by_test_id("code")
    expect(code).to_contain_text(f"def {name}")
    expect(code.locator(".highlight .k").first).to_be_visible()  # Pygments' classes, styled
    expect(first.get_by_test_id("operation")).to_contain_text('"responses"')
    expect(first.get_by_test_id("location")).to_have_text(re.compile(r"^#/"))
    first.screenshot(path=str(SCREENSHOTS / "testgen_test.png"))  # one test, code beside spec

    first.get_by_role("button", name="Approve").click()
    expect(first.get_by_test_id("test-state")).to_have_text("approved")
    expect(first.get_by_role("button", name="Reopen")).to_be_enabled()

    page.get_by_label("Select every pending test").check()
    expect(page.get_by_test_id("selected-count")).to_have_text(str(made["cases"] - 1))
    page.get_by_label("Comment for the selected tests").fill("Read through in the browser.")
    page.get_by_role("button", name=re.compile("^Approve selected")).click()
    expect(page.locator("[data-testid=test][data-state=pending]")).to_have_count(0)
    expect(page.get_by_test_id("selected-count")).to_have_text("0")
    screenshot(page, "testgen_suite")

    after = suite_of(workbench, made["suite_id"])
    assert after["counts"]["approved"] == made["cases"]
    bulk = [t for t in after["tests"] if t["function"] != name]
    assert {t["review"]["history"][-1]["comment"] for t in bulk} == {"Read through in the browser."}

    page.reload()
    expect(page.locator("[data-testid=test][data-state=approved]")).to_have_count(made["cases"])


def test_the_queue_and_a_suite_suit_a_tablet_a_keyboard_and_a_screen_reader(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    made = a_submitted_suite(workbench)
    page = page_as("qa", "/app/testgen")
    for path in ("/app/testgen", f"/app/testgen/{made['suite_id']}"):
        check_page(page, workbench, path)
