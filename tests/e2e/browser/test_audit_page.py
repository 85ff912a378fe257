"""The audit page in a real browser: the trail filtered by entity type and paged, and the
chain checked on demand through the API."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.browser.workbench import DemoServer, screenshot


def test_filtering_by_entity_type_shows_only_those_events_and_the_chain_is_valid(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    api = workbench.api("senior")
    expected = api.get("/api/v1/audit", params={"entity_type": "application"}).json()
    assert expected["total"] > 0
    page = page_as("senior", "/app/audit")
    page.get_by_label("Entity type").fill("application")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(
        f"{workbench.url}/app/audit?entity_type=application&entity_id=&actor=&date_from=&date_to="
    )
    total = f"{expected['total']}{'' if expected['total_exact'] else '+'} found"
    expect(page.get_by_test_id("audit-total")).to_have_text(total)
    types = page.get_by_test_id("audit-events").get_by_test_id("entity-type")
    expect(types.first).to_have_text("application")
    assert set(types.all_inner_texts()) == {"application"}

    page.get_by_role("button", name="Verify the chain").click()
    result = page.get_by_test_id("chain-result")
    verified = api.get("/api/v1/audit/verify").json()
    assert verified["ok"] is True
    expect(result).to_contain_text("Valid: all")
    screenshot(page, "audit")


def test_a_day_range_that_ends_before_it_starts_is_refused_beside_the_field(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("admin", "/app/audit")
    answer = page.goto(f"{workbench.url}/app/audit?date_from=2026-03-10&date_to=2026-03-01")
    assert answer is not None
    assert answer.status == 422
    expect(page.get_by_label("To (day, included)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("To (day, included)")).to_have_accessible_description(
        "must be later than occurred_from"
    )
