"""The workbench as a browser meets it: a real `creditdesk serve --demo` process, Debian's
Chromium driven by Playwright, and helpers shared by the browser tests.

One server and one browser per test process (the demo takes a while to seed and train); each
test gets a fresh browser context (its own cookies), and picks cases no other test in the same
process acts on. Screenshots of the main pages go to `artifacts/screenshots/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from entrypoints.demo import DEMO_LOGINS
from tests.e2e.console import ROOT
from tests.e2e.test_server import Server

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
#: Chromium as the tests run it: headless, and quiet on a machine with no network beyond loopback.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


class DemoServer(Server):
    """`creditdesk serve --demo` on a free loopback port, with API clients for its people."""

    def __init__(self, data_dir: Path, applications: int = 60) -> None:
        # Every test logs in at least once, all from this one address: no login limit.
        no_limit = {"CREDITDESK_RATE_LIMIT_LOGIN": "100000"}
        super().__init__(data_dir, applications, no_limit, timeout=20)

    def api(self, key: str) -> httpx.Client:
        """An API client logged in as the demo person `key` (bearer token)."""
        demo = DEMO_LOGINS.by_key(key)
        answer = self.http.post(
            "/api/v1/auth/login", json={"email": demo.email, "password": demo.password}
        )
        assert answer.status_code == 200, answer.text
        token = answer.json()["access_token"]
        return httpx.Client(
            base_url=self.url, timeout=20, headers={"Authorization": f"Bearer {token}"}
        )


def log_in(page: Any, server: DemoServer, key: str, target: str = "/app") -> None:
    """Log in through the login form as the demo person `key`, landing on `target`."""
    demo = DEMO_LOGINS.by_key(key)
    page.goto(f"{server.url}/login?next={target}")
    page.get_by_label("Email").fill(demo.email)
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot of `page` as `artifacts/screenshots/NAME.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
