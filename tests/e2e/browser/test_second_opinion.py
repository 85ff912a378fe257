"""The second opinion in a real browser: a demo server of its own whose LLM settings point at
the scripted OpenAI-compatible server on loopback, so scoring asks for opinions through the
real client; the panel shows the one asked while scoring, the button asks again (answered from
the cache: the same figures), and the dashboard counts the calls."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser.workbench import DemoServer, log_in, screenshot
from tests.e2e.browser.workbench_cases import a_case
from tests.e2e.test_server import Server
from tests.services.openai_server import MODEL, OpenAiServer, Reply, json_answer

OPINION = {
    "suggested_outcome": "review",
    "risk_level": "high",
    "key_factors": [
        {"name": "Payment to income", "evidence": "The new payment takes 0.31 of net income"},
        {"name": "Savings", "evidence": "Savings cover less than a tenth of the loan"},
    ],
    "confidence": 0.71,
}


class LlmDemoServer(DemoServer):
    """The demo with LLM use on, asking `base_url`."""

    def __init__(self, data_dir: Path, base_url: str) -> None:
        settings = {
            "CREDITDESK_RATE_LIMIT_LOGIN": "100000",
            "CREDITDESK_LLM_BASE_URL": base_url,
            "CREDITDESK_LLM_MODEL": MODEL,
            "CREDITDESK_LLM_API_KEY": "test-key",
            "CREDITDESK_LLM_MAX_RETRIES": "0",
        }
        Server.__init__(self, data_dir, 12, settings, timeout=20)


def always(_body: Any) -> Reply:
    return json_answer(OPINION, input_tokens=700, output_tokens=120)


@pytest.fixture(scope="module")
def llm_demo(
    tmp_path_factory: pytest.TempPathFactory, openai_server: OpenAiServer
) -> Iterator[DemoServer]:
    server = LlmDemoServer(tmp_path_factory.mktemp("llm-demo"), openai_server.base_url)
    try:
        server.wait_until_healthy(within=180)
        yield server
    finally:
        server.stop()


@pytest.fixture
def page_on(browser: Browser, llm_demo: DemoServer) -> Iterator[Callable[[str, str], Page]]:
    contexts: list[Any] = []

    def open_as(key: str, target: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, llm_demo, key, target)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_panel_shows_the_opinion_and_asking_again_is_answered_from_the_cache(
    llm_demo: DemoServer, openai_server: OpenAiServer, page_on: Callable[[str, str], Page]
) -> None:
    openai_server.responder = always
    case = a_case(llm_demo, strong=True)
    page = page_on(case.holder, case.path)

    panel = page.get_by_test_id("second-opinion")
    expect(panel.get_by_test_id("opinion-suggestion")).to_have_text("review")
    expect(panel.get_by_test_id("opinion-risk")).to_have_text("high")
    expect(panel.get_by_test_id("opinion-confidence")).to_have_text("71%")
    expect(panel.get_by_test_id("opinion-factors")).to_contain_text("Payment to income")
    expect(panel.get_by_test_id("opinion-usage")).to_contain_text("700 in, 120 out")
    screenshot(page, "workbench-second-opinion")

    panel.get_by_role("button", name="Ask for a second opinion").click()

    expect(panel.get_by_test_id("opinion-outcome")).to_contain_text("from the cache")
    expect(panel.get_by_test_id("opinion-outcome")).to_contain_text("2 asked in all")
    for received in openai_server.received():
        assert "@" not in received.prompt
        assert json.dumps(received.body["response_format"]["json_schema"]["schema"])

    dashboard = page_on("admin", "/app/dashboard")
    card = dashboard.get_by_test_id("llm-usage")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("llm-cache-rate")).not_to_have_text("—")
    screenshot(dashboard, "dashboard-llm-usage")
