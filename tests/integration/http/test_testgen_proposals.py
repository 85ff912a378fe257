"""`POST /api/v1/testgen/suites/{suite_id}/proposals` over SQLite, with and without a model
(the scripted OpenAI-compatible server on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve
from litestar.testing import TestClient

from domain.identity import Role
from entrypoints.composition import Deps
from entrypoints.llm_settings import LlmSettings
from tests.builders import TENANT
from tests.integration.http.support import app_for, auth, sqlite_deps
from tests.integration.http.testgen import SUITES, seed
from tests.services.openai_server import MODEL, OpenAiServer, json_answer

GOOD = {
    "title": "A pet named with forty letters is created",
    "expected_status": "201",
    "parameters": [],
    "body_json": '{"name": "' + "n" * 40 + '"}',
    "credentials": "valid",
}
TEAPOT = dict(GOOD, title="A teapot", expected_status="500")


@pytest.fixture
def llm_deps(sqlite_database: Path, openai_server: OpenAiServer) -> Iterator[Deps]:
    built = sqlite_deps(sqlite_database)
    llm = LlmSettings(base_url=openai_server.base_url, model=MODEL, max_retries=0)
    built = evolve(built, settings=evolve(built.settings, llm=llm))
    try:
        yield built
    finally:
        built.close()


def test_without_a_model_the_answer_is_a_fallback_with_the_settings_to_set(
    deps: Deps, client: TestClient[Any]
) -> None:
    suite_id = seed(deps, TENANT)["suite_id"]

    response = client.post(
        f"{SUITES}/{suite_id}/proposals", json={"operation": "createPet"}, headers=auth(Role.ADMIN)
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fallback"] == "not_configured"
    assert "CREDITDESK_LLM_BASE_URL" in body["hint"]
    assert (body["accepted"], body["suite"]) == ([], None)


def test_an_empty_operation_or_an_unknown_one_is_refused(
    deps: Deps, client: TestClient[Any]
) -> None:
    suite_id = seed(deps, TENANT)["suite_id"]
    url = f"{SUITES}/{suite_id}/proposals"

    empty = client.post(url, json={"operation": " "}, headers=auth(Role.ADMIN))
    unknown = client.post(url, json={"operation": "adoptPet"}, headers=auth(Role.ADMIN))

    assert empty.status_code == 422
    assert unknown.status_code == 404


def test_kept_proposals_come_back_in_a_new_suite_pending_review(
    llm_deps: Deps, openai_server: OpenAiServer
) -> None:
    suite_id = seed(llm_deps, TENANT)["suite_id"]
    openai_server.script(json_answer({"cases": [GOOD, TEAPOT]}))

    with TestClient(app_for(llm_deps)) as client:
        response = client.post(
            f"{SUITES}/{suite_id}/proposals",
            json={"operation": "POST /pets"},
            headers=auth(Role.QA_ENGINEER),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        new_suite = client.get(body["suite"]["links"]["self"], headers=auth(Role.QA_ENGINEER))

    assert body["outcome"] == "answered"
    assert body["accepted"] == [GOOD["title"]]
    assert body["dropped"][0]["title"] == "A teapot"
    assert "500" in body["dropped"][0]["reason"]
    assert body["suite"]["created"] is True
    rules = [test["rule"] for test in new_suite.json()["tests"]]
    assert rules.count("llm_proposal") == 1
