"""`ProposeTests`: proposals checked against the spec, the kept ones in a new suite version."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from attrs import evolve

from adapters.llm.answers import CattrsAnswerReader
from application.errors import NotFound
from application.llm.gateway import LlmGateway
from application.llm.ports import CallOutcome, FailureCause
from application.testgen.proposal_prompt import PROPOSALS_PURPOSE
from application.testgen.propose import ProposeTests
from application.testgen.submit import SubmitSpec
from domain.errors import PermissionDenied
from domain.testgen.cases import Rule
from domain.testgen.generate import generate
from tests.fakes import FixedClock
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger, ScriptedModel
from tests.unit.application.testgen.testgen_desk import ANALYST, QA, TestgenDesk, upload
from tests.unit.domain.testgen.specs import petstore_30

GOOD = {
    "title": "A pet named with one letter is created",
    "expected_status": "201",
    "parameters": [],
    "body_json": '{"name": "R"}',
    "credentials": "valid",
}
UNKNOWN_FIELD = dict(GOOD, title="A pet with a colour", body_json='{"name": "R", "colour": "red"}')
UNDOCUMENTED = dict(GOOD, title="Server error", expected_status="500")
ANSWER = json.dumps({"cases": [GOOD, UNKNOWN_FIELD, UNDOCUMENTED]})


class Proposing:
    def __init__(self, model: ScriptedModel | None) -> None:
        self.desk = TestgenDesk()
        service = evolve(self.desk.service, generate=generate)
        self.service = service
        self.suite_id = service.submit(QA, upload(petstore_30())).suite_id
        gateway = LlmGateway(
            model=model,
            reader=CattrsAnswerReader(),
            cache=InMemoryLlmCache(),
            ledger=InMemoryUsageLedger(),
            clock=FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
        )
        submit = SubmitSpec(
            service.uow, service.clock, service.ids, service.loader, service.renderer, generate
        )
        self.propose = ProposeTests(service.uow, gateway, generate, submit)


def test_fitting_proposals_become_a_new_suite_and_the_rest_are_dropped_with_reasons() -> None:
    model = ScriptedModel().answer(ANSWER)
    desk = Proposing(model)

    result = desk.propose(QA, desk.suite_id, "createPet", "cli")

    assert result.operation == "POST /pets"
    assert result.accepted == (GOOD["title"],)
    assert [d.title for d in result.dropped] == ["A pet with a colour", "Server error"]
    assert "colour" in result.dropped[0].reason
    assert "500" in result.dropped[1].reason
    assert result.outcome is CallOutcome.ANSWERED
    assert result.suite is not None
    assert result.suite.created
    assert result.suite.changes is not None
    assert len(result.suite.changes.new) == 1
    detail = desk.service.suite(QA, result.suite.suite_id)
    proposed = [c for c in detail.cases if c.case.rule is Rule.LLM_PROPOSAL]
    assert [c.case.title for c in proposed] == [f"{GOOD['title']} (proposed)"]
    assert detail.summary.source == f"proposals for POST /pets on suite {desk.suite_id}"
    (request,) = model.requests
    assert request.purpose == PROPOSALS_PURPOSE
    assert "Operation: POST /pets (operationId createPet)" in request.user
    assert "- name, required: string, minLength 1, maxLength 40" in request.user
    assert "Documented statuses: 201, 4XX" in request.user
    assert "createPet: a valid request is answered 201" in request.user


def test_the_operation_may_be_named_by_method_and_path() -> None:
    desk = Proposing(ScriptedModel().answer(json.dumps({"cases": []})))

    result = desk.propose(QA, desk.suite_id, "post /pets", "upload")

    assert (result.accepted, result.dropped, result.suite) == ((), (), None)


def test_no_usable_answer_stores_nothing_and_says_why() -> None:
    desk = Proposing(ScriptedModel().answer('{"cases": [').fail(FailureCause.RATE_LIMITED))

    first = desk.propose(QA, desk.suite_id, "createPet", "cli")
    second = desk.propose(QA, desk.suite_id, "createPet", "cli")

    assert (first.fallback, second.fallback) == ("malformed_json", "rate_limited")
    assert first.outcome is CallOutcome.FALLBACK
    assert first.suite is None
    assert len(desk.service.suites(QA)) == 1


def test_it_needs_the_submit_permission_and_a_known_operation() -> None:
    desk = Proposing(ScriptedModel())
    with pytest.raises(PermissionDenied):
        desk.propose(ANALYST, desk.suite_id, "createPet", "cli")
    with pytest.raises(NotFound):
        desk.propose(QA, desk.suite_id, "adoptPet", "cli")
    with pytest.raises(NotFound):
        desk.propose(QA, "suite-of-nobody", "createPet", "cli")


def test_without_a_model_the_answer_is_a_fallback_naming_it() -> None:
    offline = Proposing(None)

    result = offline.propose(QA, offline.suite_id, "createPet", "cli")

    assert result.fallback == FailureCause.NOT_CONFIGURED.value
    assert result.suite is None
