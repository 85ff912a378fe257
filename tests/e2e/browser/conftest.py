"""Fixtures of the browser tests: the demo server, Chromium, and a logged-in page per person."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.browser.workbench import CHROMIUM, CHROMIUM_ARGS, DemoServer, log_in


@pytest.fixture(scope="session")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path_factory.mktemp("workbench"))
    try:
        server.wait_until_healthy(within=180)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make services` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page_as(browser: Browser, workbench: DemoServer) -> Iterator[Callable[..., Page]]:
    """`page_as("analyst1", "/app/queue")`: a page in a fresh context (its own cookies), logged
    in through the login form as that demo person, on that page of the workbench."""
    contexts: list[Any] = []

    def open_as(key: str, target: str = "/app") -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, workbench, key, target)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def anonymous_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
