"""The thresholds, batches, models and audit pages at a tablet's 820 px: nothing makes the page
wider than the screen (a wide table scrolls inside its own box)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

NARROW = 820


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/app/thresholds", "Thresholds"), ("/app/batches", "Batches"),
     ("/app/models", "Models"), ("/app/audit", "Audit trail")],
)  # fmt: skip
def test_the_page_fits_a_tablet_screen(
    page_as: Callable[..., Page], path: str, heading: str
) -> None:
    page = page_as("admin", path)
    page.set_viewport_size({"width": NARROW, "height": 1000})
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW, f"{path} is {width} px wide"
