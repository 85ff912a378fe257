"""The models page in a real browser: the champion and its metrics, as the API has them, its
evaluation plots loaded from the API, and the promotion controls only for those who may act
on them."""

from __future__ import annotations

import re
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


def test_the_champions_roc_curve_loads_from_the_api_with_a_link_to_the_report(
    page_as: Callable[..., Page], workbench: DemoServer
) -> None:
    champion = workbench.api("admin").get("/api/v1/models/champion/info").json()["model"]
    version = champion["version"]
    page = page_as("admin", "/app/models")
    report = page.get_by_test_id("champion-report")
    roc = report.get_by_role("img", name=re.compile(rf"^ROC curve.*of model {re.escape(version)}"))
    expect(roc).to_have_attribute("src", f"/api/v1/models/{version}/report/roc.png")
    expect(roc).to_be_visible()
    handle = roc.element_handle()
    page.wait_for_function("image => image.complete", arg=handle)
    assert page.evaluate("image => image.naturalWidth", handle) > 0
    expect(report.get_by_role("img")).to_have_count(4)
    link = report.get_by_role("link", name=re.compile("full evaluation report"))
    href = link.get_attribute("href")
    assert href == f"/api/v1/models/{version}/report/report.html"
    with page.context.expect_page() as opened:
        link.click()
    full = opened.value
    expect(full).to_have_title(f"Model {version}: evaluation report")
    # Under the report's own policy its plots still load: they come from the same route.
    full_roc = full.get_by_role("img", name="roc.png")
    expect(full_roc).to_be_visible()
    full.wait_for_function("image => image.complete", arg=full_roc.element_handle())
    assert full.evaluate("image => image.naturalWidth", full_roc.element_handle()) > 0
    full.close()
    for image in report.get_by_role("img").all():
        page.wait_for_function("image => image.complete", arg=image.element_handle())
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
