"""Test proposals through the real `openai` client and the scripted server on loopback: the
structured-output request, a mixed answer checked against the spec, a refusal, a cached repeat."""

from __future__ import annotations

from attrs import evolve

from adapters.llm.answers import CattrsAnswerReader
from adapters.llm.openai_model import OpenAiModel
from application.llm.gateway import LlmGateway
from application.llm.ports import CallOutcome
from application.testgen.propose import ProposeTests
from application.testgen.submit import SubmitSpec
from domain.testgen.generate import generate
from entrypoints.composition import SystemClock
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger
from tests.services.openai_server import MODEL, OpenAiServer, json_answer, refusal
from tests.unit.application.testgen.testgen_desk import QA, TestgenDesk, upload
from tests.unit.domain.testgen.specs import petstore_30

PROPOSALS = {
    "cases": [
        {
            "title": "Reading a pet with a long trace header",
            "expected_status": "200",
            "parameters": [
                {"name": "petId", "location": "path", "value": "1"},
                {"name": "X-Trace", "location": "header", "value": "t" * 64},
            ],
            "body_json": "",
            "credentials": "valid",
        },
        {
            "title": "Reading a pet by name",
            "expected_status": "200",
            "parameters": [{"name": "name", "location": "query", "value": "Rex"}],
            "body_json": "",
            "credentials": "valid",
        },
    ]
}


def _propose(server: OpenAiServer) -> tuple[ProposeTests, str]:
    desk = TestgenDesk()
    service = evolve(desk.service, generate=generate)
    suite_id = service.submit(QA, upload(petstore_30())).suite_id
    model = OpenAiModel(base_url=server.base_url, model=MODEL, timeout=5.0, max_retries=0)
    gateway = LlmGateway(
        model=model,
        reader=CattrsAnswerReader(),
        cache=InMemoryLlmCache(),
        ledger=InMemoryUsageLedger(),
        clock=SystemClock(),
    )
    submit = SubmitSpec(
        service.uow, service.clock, service.ids, service.loader, service.renderer, generate
    )
    return ProposeTests(service.uow, gateway, generate, submit), suite_id


def test_a_mixed_answer_is_checked_and_a_repeat_comes_from_the_cache(
    openai_server: OpenAiServer,
) -> None:
    propose, suite_id = _propose(openai_server)
    openai_server.script(json_answer(PROPOSALS))

    first = propose(QA, suite_id, "getPet", "cli")

    assert first.accepted == ("Reading a pet with a long trace header",)
    (dropped,) = first.dropped
    assert "query parameter 'name'" in dropped.reason
    assert first.suite is not None
    (sent,) = openai_server.received()
    schema = sent.body["response_format"]["json_schema"]
    assert schema["name"] == "test_proposals"
    assert schema["strict"] is True
    assert "Operation: GET /pets/{petId} (operationId getPet)" in sent.prompt

    again = propose(QA, suite_id, "getPet", "cli")

    assert again.outcome is CallOutcome.CACHED
    assert len(openai_server.received()) == 1
    assert again.suite is not None
    assert again.suite.suite_id == first.suite.suite_id  # the same spec: the same suite
    assert not again.suite.created


def test_a_refusal_is_a_fallback_and_stores_nothing(openai_server: OpenAiServer) -> None:
    propose, suite_id = _propose(openai_server)
    openai_server.script(refusal())

    result = propose(QA, suite_id, "createPet", "cli")

    assert result.fallback == "refusal"
    assert (result.accepted, result.suite) == ((), None)
