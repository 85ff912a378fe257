"""The second opinion through the real HTTP stack and the real openai client, against the
scripted OpenAI-compatible server on loopback: scoring with the adviser on, the routes, their
guards, and what a prompt never carries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from domain.identity import Role, can
from entrypoints.composition import Deps
from tests.builders import OTHER_TENANT, a_principal, an_application_form
from tests.integration.http.second_opinions import (
    APPS,
    ROUTES,
    llm_deps,
    opinion_json,
    score,
    submit,
)
from tests.integration.http.support import app_for, assert_allowed_or_refused, auth
from tests.services.openai_server import MODEL, OpenAiServer, answer, json_answer, status

Client = TestClient[Any]
APPROVES, DECLINES = 0.01, 0.30


@pytest.fixture
def llm_on(sqlite_database: Path, openai_server: OpenAiServer) -> Iterator[Deps]:
    deps = llm_deps(sqlite_database, openai_server)
    try:
        yield deps
    finally:
        deps.close()


@pytest.fixture
def client(llm_on: Deps) -> Iterator[Client]:
    with TestClient(app_for(llm_on)) as test_client:
        yield test_client


def opinions(client: Client, application_id: str, role: Role = Role.READONLY) -> list[Any]:
    response = client.get(f"{APPS}/{application_id}/second-opinions", headers=auth(role))
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


def status_of(client: Client, application_id: str) -> str:
    response = client.get(f"{APPS}/{application_id}", headers=auth(Role.ADMIN))
    found: str = response.json()["application"]["status"]
    return found


def test_a_disagreeing_answer_sends_an_automatic_approval_to_review(
    client: Client, llm_on: Deps, openai_server: OpenAiServer
) -> None:
    openai_server.script(
        json_answer(opinion_json("review", "high", 0.7), input_tokens=640, output_tokens=90)
    )
    application_id = submit(client, "SO-1")

    result = score(llm_on, application_id, APPROVES)

    assert result.routing.outcome.value == "human_review"
    assert status_of(client, application_id) == "review"
    [record] = opinions(client, application_id)
    assert record["outcome"] == "answered"
    assert record["trigger"] == "scoring"
    assert record["routing_changed"] is True
    assert record["opinion"]["suggested_outcome"] == "review"
    assert (record["model"], record["input_tokens"], record["output_tokens"]) == (MODEL, 640, 90)
    assert record["prompt_version"] == "credit-second-opinion/1"
    [sent] = openai_server.received()
    assert sent.body["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (answer("{not json"), "malformed_json"),
        (json_answer({**opinion_json(), "confidence": 7}), "schema_mismatch"),
        (status(500), "server_error"),
    ],
)
def test_a_bad_answer_falls_back_to_the_models_result_and_is_recorded(
    client: Client, llm_on: Deps, openai_server: OpenAiServer, reply: Any, cause: str
) -> None:
    openai_server.script(reply)
    application_id = submit(client, "SO-2")

    result = score(llm_on, application_id, APPROVES)

    assert result.routing.outcome.value == "auto_approve"
    assert status_of(client, application_id) == "approved"
    [record] = opinions(client, application_id)
    assert record["outcome"] == "fallback"
    assert record["fallback_cause"] == cause
    assert record["opinion"] is None


def test_the_prompts_the_server_receives_carry_no_personal_data_or_ids(
    client: Client, llm_on: Deps, openai_server: OpenAiServer
) -> None:
    openai_server.script(json_answer(opinion_json()))  # one answer: the second is cached
    application_id = submit(client, "SO-PRIVATE-7731")
    score(llm_on, application_id, DECLINES)
    asked = client.post(f"{APPS}/{application_id}/second-opinions", headers=auth(Role.ANALYST))
    assert asked.status_code == 201, asked.text

    form = an_application_form()
    personal, address = form.applicant.personal, form.applicant.address
    secrets = [
        "SO-PRIVATE-7731", application_id, "tenant-a", personal.first_name, personal.last_name,
        personal.email, personal.phone, personal.national_id, personal.date_of_birth.isoformat(),
        address.street, address.city, form.applicant.employment.employer_name,
    ]  # fmt: skip
    received = openai_server.received()
    assert len(received) == 1  # the request asked the same figures: answered from the cache
    for request in received:
        for secret in secrets:
            assert secret not in request.prompt
    [requested, scored] = opinions(client, application_id)
    assert (requested["trigger"], requested["outcome"]) == ("requested", "cached")
    assert requested["routing_changed"] is False
    assert scored["routing_changed"] is True  # it suggested approving a decline: review
    assert status_of(client, application_id) == "review"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "permission"), ROUTES)
def test_each_role_is_allowed_or_refused_as_its_permissions_say(
    client: Client,
    llm_on: Deps,
    openai_server: OpenAiServer,
    role: Role,
    method: str,
    path: str,
    permission: Any,
) -> None:
    openai_server.responder = lambda _body: json_answer(opinion_json())
    application_id = submit(client, f"SO-{role.value}")
    score(llm_on, application_id, APPROVES)
    concrete = path.replace("{application_id:str}", application_id)
    response = client.request(method, concrete, headers=auth(role))
    assert_allowed_or_refused(response, can(a_principal(role), permission))


def test_another_tenants_application_is_not_found(client: Client) -> None:
    theirs = submit(client, "SO-THEIRS", OTHER_TENANT)
    for method, path, _permission in ROUTES:
        concrete = path.replace("{application_id:str}", theirs)
        response = client.request(method, concrete, headers=auth(Role.ADMIN))
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"


def test_an_unscored_application_cannot_be_asked_about(client: Client) -> None:
    application_id = submit(client, "SO-NEW")
    response = client.post(f"{APPS}/{application_id}/second-opinions", headers=auth(Role.ANALYST))
    assert response.status_code == 409
    assert "not been scored" in response.json()["detail"]


def test_with_llm_use_off_asking_is_a_clear_conflict_and_scoring_is_unchanged(
    sqlite_database: Path,
) -> None:
    deps = llm_deps(sqlite_database, None)
    try:
        with TestClient(app_for(deps)) as client:
            application_id = submit(client, "SO-OFF")
            assert score(deps, application_id, APPROVES).routing.outcome.value == "auto_approve"
            response = client.post(
                f"{APPS}/{application_id}/second-opinions", headers=auth(Role.ANALYST)
            )
            assert response.status_code == 409
            assert response.headers["content-type"] == "application/problem+json"
            assert "LLM use is not configured" in response.json()["detail"]
            assert opinions(client, application_id) == []
    finally:
        deps.close()
