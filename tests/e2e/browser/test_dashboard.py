"""The dashboard in a real browser: the API's numbers, the period presets (a date edited before
the page's script has run included), sortable tables worked from the keyboard, a bad custom
period named on the page, and the 403 page for a role without analytics:view.

The numbers are compared over a period that ends yesterday: other tests submit and decide
applications today, so today's figures may move between the page and the API call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, Route, expect

from entrypoints.web.dashboard_cards import Kind, figure_text
from tests.e2e.browser.workbench import DemoServer, screenshot

DASHBOARD = "/app/dashboard"
#: Each card's key, where the API gives its figure, and how the page words it.
CARDS: dict[str, tuple[str, Kind]] = {
    "applications": ("total_applications", Kind.COUNT),
    "auto-decision-rate": ("auto_decision_rate", Kind.RATE),
    "approval-rate": ("approval_rate", Kind.RATE),
    "average-review-time": ("average_review_seconds", Kind.DURATION),
    "sla-compliance": ("sla_compliance_rate", Kind.RATE),
}


def api_today(workbench: DemoServer) -> date:
    """The server's today: the last day of the API's default period."""
    with workbench.api("senior") as api:
        answer = api.get("/api/v1/analytics/dashboard")
    assert answer.status_code == 200, answer.text
    return date.fromisoformat(answer.json()["period"]["last_day"])


def card_current(page: Page, key: str) -> float | None:
    raw = page.get_by_test_id(f"metric-{key}").get_attribute("data-current")
    assert raw is not None
    return None if raw == "" else float(raw)


def test_the_cards_show_the_apis_numbers_for_the_same_period(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    yesterday = api_today(workbench) - timedelta(days=1)
    first = yesterday - timedelta(days=20)
    params = {"from": first.isoformat(), "to": yesterday.isoformat()}
    page = page_as("senior", DASHBOARD)
    page.goto(f"{workbench.url}{DASHBOARD}?period=custom&from={first}&to={yesterday}")
    expect(page.get_by_test_id("period")).to_contain_text(f"{first} to {yesterday}")
    with workbench.api("senior") as api:
        summary: dict[str, Any] = api.get("/api/v1/analytics/dashboard", params=params).json()
        analysts = api.get("/api/v1/analytics/analysts", params=params).json()
    assert summary["total_applications"]["current"] > 0, "the demo book has this period"
    for key, (field, kind) in CARDS.items():
        figure = summary[field]["current"]
        assert card_current(page, key) == figure, key
        expect(page.get_by_test_id(f"metric-{key}-value")).to_have_text(figure_text(figure, kind))
        expect(page.get_by_test_id(f"metric-{key}-change")).to_contain_text(
            "from " + figure_text(summary[field]["previous"], kind)
        )
    override_rate = analysts["performance"]["all_analysts"]["override_rate"]
    assert card_current(page, "override-rate") == override_rate
    expect(page.get_by_test_id("metric-override-rate-value")).to_have_text(
        figure_text(override_rate, Kind.RATE)
    )
    expect(page.get_by_role("img", name="Applications and decisions per day")).to_be_visible()
    expect(page.get_by_role("img", name="Decisions by type")).to_be_visible()
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()


def test_switching_presets_changes_the_period_shown(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    today = api_today(workbench)
    page = page_as("senior", DASHBOARD)
    month = f"{today - timedelta(days=29)} to {today}"
    expect(page.get_by_test_id("period")).to_contain_text(month)
    expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()
    screenshot(page, "dashboard")

    page.get_by_role("radio", name="Last 7 days").check()
    page.get_by_label("Trend by").select_option("week")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("period")).to_contain_text(f"{today - timedelta(days=6)} to {today}")
    expect(page.get_by_role("radio", name="Last 7 days")).to_be_checked()
    expect(page.get_by_role("img", name="Applications and decisions per week")).to_be_visible()
    assert "period=7d" in page.url

    # Editing a date chooses "Custom dates" by itself.
    page.get_by_label("From date").fill((today - timedelta(days=13)).isoformat())
    expect(page.get_by_role("radio", name="Custom dates")).to_be_checked()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("period")).to_contain_text(
        f"{today - timedelta(days=13)} to {today}"
    )


def test_a_date_edited_before_the_script_has_run_still_chooses_custom_dates(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    today = api_today(workbench)
    page = page_as("senior", DASHBOARD)
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/static/dashboard.js", hold)
    page.goto(f"{workbench.url}{DASHBOARD}?period=7d", wait_until="commit")
    page.get_by_role("button", name="Show").wait_for()
    page.get_by_label("From date").fill((today - timedelta(days=13)).isoformat())
    expect(page.get_by_role("radio", name="Last 7 days")).to_be_checked()

    for _ in range(300):  # routing turns the browser's cache off, so the request does come
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the dashboard script was never requested"
    held[0].continue_()
    expect(page.get_by_role("radio", name="Custom dates")).to_be_checked()


def column_texts(page: Page, table: str, column: int) -> list[str]:
    rows = page.get_by_test_id(table).locator("tbody tr")
    texts: list[str] = rows.evaluate_all(
        "(rows, column) => rows.map((row) => row.cells[column].dataset.sort)", column
    )
    return texts


def test_a_table_sorts_when_its_header_is_activated_with_the_keyboard(
    page_as: Callable[..., Page],
) -> None:
    page = page_as("senior", DASHBOARD)
    table = page.get_by_test_id("models-table")
    scores = table.get_by_role("button", name="Scores")
    header = table.get_by_role("columnheader", name="Scores")
    expect(header).not_to_have_attribute("aria-sort", "descending")

    scores.focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    values = [float(text) for text in column_texts(page, "models-table", 2)]
    assert len(values) > 1, "the demo scored on more than one day"
    assert values == sorted(values, reverse=True)

    page.keyboard.press("Space")
    expect(header).to_have_attribute("aria-sort", "ascending")
    values = [float(text) for text in column_texts(page, "models-table", 2)]
    assert values == sorted(values)

    day = table.get_by_role("button", name="Day")
    day.focus()
    page.keyboard.press("Enter")
    expect(table.get_by_role("columnheader", name="Day")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(header).not_to_have_attribute("aria-sort", "ascending")
    days = column_texts(page, "models-table", 0)
    assert days == sorted(days)


def test_a_bad_custom_period_is_named_on_the_page(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    today = api_today(workbench)
    page = page_as("analyst1", DASHBOARD)
    page.get_by_role("radio", name="Custom dates").check()
    page.get_by_label("From date").fill(today.isoformat())
    page.get_by_label("To date").fill((today - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("To date: must not be before from")
    expect(page.get_by_label("To date")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("period")).to_have_count(0)


def test_a_role_without_analytics_view_gets_the_403_page(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    page = page_as("readonly", DASHBOARD)
    answer = page.goto(f"{workbench.url}{DASHBOARD}")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_test_id("error-status")).to_contain_text("403")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Dashboard")).to_have_count(0)


def test_the_dashboard_fits_a_tablet_without_scrolling_sideways(
    page_as: Callable[..., Page],
) -> None:
    page = page_as("analyst1", DASHBOARD)
    page.set_viewport_size({"width": 820, "height": 1000})
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
