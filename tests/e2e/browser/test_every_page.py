"""Every main page of the workbench, as a tablet shows it and as a keyboard or screen reader
meets it: nothing wider than an 820 px screen (a wide table scrolls inside its own box), every
control named (a label, or an aria-label), every image and chart described, no positive
tabindex to break the order of the Tab key, and the first Tab reaching the skip link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.browser.workbench import DemoServer
from tests.e2e.browser.workbench_cases import a_case

TABLET: ViewportSize = {"width": 820, "height": 1180}
LISTS = ["/app/dashboard", "/app/queue", "/app/applications", "/app/overrides",
         "/app/thresholds", "/app/batches", "/app/models", "/app/audit"]  # fmt: skip

#: Form controls and buttons with no accessible name, images and SVG charts with no text
#: alternative, and elements with a positive tabindex, each as a short description.
UNNAMED = """() => {
  const named = (el) => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || el.getAttribute('title');
  const text = (el) => (el.textContent || '').trim() || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || el.getAttribute('title');
  const describe = (el) => el.outerHTML.slice(0, 120);
  const found = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!named(el)) found.push('unlabelled control: ' + describe(el));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (!text(el)) found.push('nameless button or link: ' + describe(el));
  }
  for (const el of document.querySelectorAll('img')) {
    if (!el.getAttribute('alt')) found.push('image without alt: ' + describe(el));
  }
  for (const el of document.querySelectorAll('svg')) {
    const described = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || el.querySelector('title') || el.getAttribute('aria-hidden') === 'true';
    if (!described) found.push('chart without a text alternative: ' + describe(el));
  }
  for (const el of document.querySelectorAll('[tabindex]')) {
    const order = parseInt(el.getAttribute('tabindex'), 10);
    if (order > 0) found.push('positive tabindex: ' + describe(el));
  }
  return found;
}"""


def _check(page: Page, workbench: DemoServer, path: str) -> None:
    page.set_viewport_size(TABLET)
    answer = page.goto(f"{workbench.url}{path}")
    assert answer is not None
    assert answer.status == 200, f"{path}: {answer.status}"
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET["width"], f"{path} is {width} px wide on a tablet"
    assert page.evaluate(UNNAMED) == [], path
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content", f"{path}: the first Tab reaches {focused!r}"


@pytest.mark.parametrize("path", LISTS)
def test_each_main_page_suits_a_tablet_a_keyboard_and_a_screen_reader(
    page_as: Callable[..., Page], workbench: DemoServer, path: str
) -> None:
    _check(page_as("admin", path), workbench, path)


def test_an_application_and_its_case_suit_a_tablet_a_keyboard_and_a_screen_reader(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    case = a_case(workbench, strong=True)
    page = page_as(case.holder, case.path)
    for path in (f"/app/applications/{case.application_id}", case.path):
        _check(page, workbench, path)


def test_the_login_page_suits_a_keyboard_alone(anonymous_page: Page, workbench: DemoServer) -> None:
    """Logging in without a mouse: Tab to each field, type, Enter."""
    demo = DEMO_LOGINS.by_key("readonly")
    anonymous_page.goto(f"{workbench.url}/login?next=/app/queue")
    assert anonymous_page.evaluate(UNNAMED) == []
    anonymous_page.keyboard.type(demo.email)  # the email field has the focus on arrival
    anonymous_page.keyboard.press("Tab")
    anonymous_page.keyboard.type(demo.password)
    anonymous_page.keyboard.press("Enter")
    anonymous_page.wait_for_url(f"{workbench.url}/app/queue")


def test_the_check_finds_what_it_looks_for(anonymous_page: Page, workbench: DemoServer) -> None:
    """The page checks above can fail: each kind of fault, put on a page, is reported."""
    anonymous_page.goto(f"{workbench.url}/login")
    anonymous_page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<input id="bare"><button></button><img src="/static/none.png">'
            + '<svg width="10" height="10"></svg><a href="/app" tabindex="2">x</a>')"""
    )
    found = anonymous_page.evaluate(UNNAMED)
    kinds = sorted({fault.split(":")[0] for fault in found})
    assert kinds == [
        "chart without a text alternative",
        "image without alt",
        "nameless button or link",
        "positive tabindex",
        "unlabelled control",
    ]
