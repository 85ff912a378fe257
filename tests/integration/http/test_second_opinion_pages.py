"""The workbench's second-opinion panel and the dashboard's LLM card, rendered through the
real stack over SQLite, with the scripted OpenAI-compatible server behind the real client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from tests.builders import a_principal, a_user
from tests.integration.http.second_opinions import llm_deps, opinion_json, score, submit
from tests.integration.http.support import app_for, auth
from tests.services.openai_server import MODEL, OpenAiServer, answer, json_answer

Client = TestClient[Any]
APPROVES = 0.01


def with_people(deps: Deps) -> Deps:
    """The users behind the test tokens (the layout shows who is in)."""
    with deps.uow() as uow:
        for role in (Role.ANALYST, Role.READONLY, Role.ADMIN):
            principal = a_principal(role)
            uow.users.add(a_user(id=principal.user_id, email=f"{role.value}@example.com",
                                 role=role))  # fmt: skip
        uow.commit()
    return deps


@pytest.fixture
def client(sqlite_database: Path, openai_server: OpenAiServer) -> Iterator[tuple[Client, Deps]]:
    deps = with_people(llm_deps(sqlite_database, openai_server))
    try:
        with TestClient(app_for(deps)) as test_client:
            yield test_client, deps
    finally:
        deps.close()


def text_of(html: str, test_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*data-testid="{test_id}"[^>]*>(.*?)</\1>', html, re.DOTALL)
    assert found is not None, f"nothing marked {test_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def case_page(client: Client, application_id: str) -> str:
    response = client.get(f"/app/cases/{application_id}", headers=auth(Role.ANALYST))
    assert response.status_code == 200, response.text
    return response.text


def test_the_panel_shows_the_latest_opinion_with_its_model_tokens_and_cost(
    client: tuple[Client, Deps], openai_server: OpenAiServer
) -> None:
    http, deps = client
    openai_server.script(
        json_answer(opinion_json("review", "high", 0.74), input_tokens=640, output_tokens=90)
    )
    application_id = submit(http, "SO-PAGE-1")
    score(deps, application_id, APPROVES)

    html = case_page(http, application_id)

    assert text_of(html, "opinion-suggestion") == "review"
    assert text_of(html, "opinion-risk") == "high"
    assert text_of(html, "opinion-confidence") == "74%"
    assert "sent to review" in text_of(html, "opinion-routed")
    factors = text_of(html, "opinion-factors")
    assert "Debt to income : 0.22 of income goes to debt payments" in factors
    usage = text_of(html, "opinion-usage")
    assert MODEL in usage
    assert "credit-second-opinion/1" in usage
    assert "640 in, 90 out" in usage
    assert 'data-testid="ask-opinion"' in html
    assert '<script src="/static/second_opinion.js" defer></script>' in html


def test_the_panel_shows_a_fallback_and_its_cause(
    client: tuple[Client, Deps], openai_server: OpenAiServer
) -> None:
    http, deps = client
    openai_server.script(answer("{oops"))
    application_id = submit(http, "SO-PAGE-2")
    score(deps, application_id, APPROVES)

    html = case_page(http, application_id)

    assert "not valid JSON" in text_of(html, "opinion-fallback")
    assert "malformed_json" in text_of(html, "opinion-fallback")
    assert "model and scorecard result stands" in text_of(html, "opinion-outcome")


def test_the_dashboard_card_counts_todays_calls_tokens_and_rates(
    client: tuple[Client, Deps], openai_server: OpenAiServer
) -> None:
    http, deps = client
    openai_server.script(
        json_answer(opinion_json(), input_tokens=600, output_tokens=100), answer("{oops")
    )
    first = submit(http, "SO-DASH-1")
    score(deps, first, APPROVES)
    http.post(f"/api/v1/applications/{first}/second-opinions", headers=auth(Role.ANALYST))
    second = submit(http, "SO-DASH-2")
    score(deps, second, 0.30)

    html = http.get("/app/dashboard", headers=auth(Role.ANALYST)).text

    assert text_of(html, "llm-calls").startswith("3 (1 answered, 1 from the cache, 1 fallbacks)")
    assert text_of(html, "llm-tokens").startswith("770")  # 700 answered, 70 the bad answer
    assert text_of(html, "llm-cache-rate") == "50%"
    assert text_of(html, "llm-fallback-rate").startswith("33%")
    assert "malformed json: 1" in text_of(html, "llm-fallback-rate")


def test_with_llm_use_off_the_panel_and_the_card_say_so(sqlite_database: Path) -> None:
    deps = with_people(llm_deps(sqlite_database, None))
    try:
        with TestClient(app_for(deps)) as http:
            application_id = submit(http, "SO-PAGE-OFF")
            score(deps, application_id, 0.06)
            html = case_page(http, application_id)
            assert "not configured" in text_of(html, "llm-off")
            assert 'data-testid="ask-opinion"' not in html
            assert text_of(html, "no-opinion")
            dashboard = http.get("/app/dashboard", headers=auth(Role.ANALYST)).text
            assert "not configured" in text_of(dashboard, "llm-usage-off")
    finally:
        deps.close()
