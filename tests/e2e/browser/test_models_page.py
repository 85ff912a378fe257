"""The models page in a real browser: the champion and its metrics, as the API has them, and
the promotion controls only for those who may act on them."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.browser.workbench import DemoServer, screenshot


def test_the_champion_is_shown_with_the_metrics_the_registry_holds(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    info = workbench.api("admin").get("/api/v1/models/champion/info").json()
    champion = info["model"]
    metrics = dict(champion["metrics"])
    page = page_as("admin", "/app/models")
    expect(page.get_by_test_id("champion-version")).to_have_text(champion["version"])
    row = (
        page.get_by_test_id("model-versions")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=champion["version"]))
    )
    expect(row).to_contain_text("champion")
    for name in ("auc", "gini", "ks", "brier"):
        expect(row.locator(f"[data-metric={name}]")).to_have_text(f"{metrics[name]:.3f}")
    expect(page.get_by_role("img", name="What the champion reads most")).to_be_visible()
    expect(row.get_by_role("button", name="Request the move")).to_be_visible()
    screenshot(page, "models")


def test_an_analyst_sees_the_champion_but_no_promotion_controls(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    champion = workbench.api("admin").get("/api/v1/models/champion/info").json()["model"]
    page = page_as("analyst1", "/app/models")
    expect(page.get_by_test_id("champion-version")).to_have_text(champion["version"])
    expect(page.get_by_test_id("model-versions")).to_contain_text("champion")
    expect(page.get_by_role("button", name="Request the move")).to_have_count(0)
    expect(page.get_by_role("button", name="Approve the move")).to_have_count(0)


def test_a_requested_move_waits_for_a_second_administrator_and_its_author_cannot_approve_it(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    admin = workbench.api("admin")
    champion = admin.get("/api/v1/models/champion/info").json()["model"]["version"]
    page = page_as("admin", "/app/models")
    row = (
        page.get_by_test_id("model-versions")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=champion))
    )
    row.get_by_label("Move to").select_option("retired")
    row.get_by_label("Reason").fill("Checking the four-eyes rule of the registry")
    row.get_by_role("button", name="Request the move").click()
    expect(row).to_contain_text("asked by you")
    try:
        row.get_by_role("button", name="Approve the move").click()
        expect(row.get_by_role("alert")).to_contain_text("Refused:")
        assert admin.get(f"/api/v1/models/{champion}").json()["model"]["stage"] == "champion"
    finally:
        email = f"reviewer-{uuid.uuid4().hex[:8]}@example.com"
        created = admin.post(
            "/api/v1/admin/users",
            json={"email": email, "display_name": "Model Reviewer", "role": "admin",
                  "password": "reviewer-password"},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        login = workbench.http.post(
            "/api/v1/auth/login", json={"email": email, "password": "reviewer-password"}
        )
        token = login.json()["access_token"]
        rejected = workbench.http.post(
            f"/api/v1/models/{champion}/reject-promotion",
            json={"comment": "Only a check of the rule"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert rejected.status_code == 200, rejected.text
