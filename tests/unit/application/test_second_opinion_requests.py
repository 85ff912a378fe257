"""Asking for a second opinion on request, reading them, and what a question never carries."""

from __future__ import annotations

import pytest

from application.credit.second_opinion_requests import NotScoredYet, SecondOpinionsOff
from application.errors import NotFound
from domain.credit.second_opinion_record import OpinionOutcome, OpinionTrigger
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied
from domain.identity import Principal
from tests.builders import OTHER_TENANT, a_scoring_result, an_application_form
from tests.unit.application.helpers import (
    ANALYST,
    APPROVE_PD,
    LENDER,
    OUTSIDER,
    READONLY,
    SENIOR,
    WORKER,
)
from tests.unit.application.second_opinion_desk import OpinionDesk, answer


@pytest.fixture
def desk() -> OpinionDesk:
    return OpinionDesk()


def test_an_analyst_asks_and_the_case_stays_where_it_is(desk: OpinionDesk) -> None:
    application = desk.routed(APPROVE_PD)
    desk.model.answer(answer("decline", "high"))

    record = desk.request_opinion(ANALYST, application.id)

    assert record.trigger is OpinionTrigger.REQUESTED
    assert record.requested_by == ANALYST.user_id
    assert record.outcome is OpinionOutcome.ANSWERED
    assert not record.routing_changed
    assert desk.status(application.id) is ApplicationStatus.APPROVED
    assert desk.list_opinions(READONLY, application.id) == [record]
    requested = desk.events()[-1]
    assert requested.action == "second_opinion.requested"
    assert requested.new == {"application_id": application.id, "outcome": "answered"}


def test_a_failed_request_is_stored_as_a_fallback_with_its_cause(desk: OpinionDesk) -> None:
    application = desk.routed(APPROVE_PD)
    desk.model.answer("{")

    record = desk.request_opinion(SENIOR, application.id)

    assert record.outcome is OpinionOutcome.FALLBACK
    assert record.fallback_cause == "malformed_json"
    assert desk.list_opinions(ANALYST, application.id) == [record]


def test_with_no_model_configured_a_request_is_refused_and_nothing_stored() -> None:
    desk = OpinionDesk(configured=False)
    application = desk.routed(APPROVE_PD)
    before = desk.stored()

    with pytest.raises(SecondOpinionsOff, match="LLM use is not configured"):
        desk.request_opinion(ANALYST, application.id)

    assert desk.stored() == before


def test_an_application_not_yet_scored_cannot_be_asked_about(desk: OpinionDesk) -> None:
    application = desk.submitted()
    with pytest.raises(NotScoredYet):
        desk.request_opinion(ANALYST, application.id)


@pytest.mark.parametrize("who", [READONLY, LENDER, WORKER])
def test_only_people_who_decide_may_ask(desk: OpinionDesk, who: Principal) -> None:
    application = desk.routed(APPROVE_PD)
    with pytest.raises(PermissionDenied):
        desk.request_opinion(who, application.id)


def test_another_tenants_application_is_not_found(desk: OpinionDesk) -> None:
    application = desk.routed(APPROVE_PD)
    with pytest.raises(NotFound):
        desk.request_opinion(OUTSIDER, application.id)
    with pytest.raises(NotFound):
        desk.list_opinions(OUTSIDER, application.id)
    assert OUTSIDER.tenant_id == OTHER_TENANT


def test_the_question_names_no_person_and_no_id(desk: OpinionDesk) -> None:
    form = an_application_form(
        external_id="LND-QX7731", first_name="Zephyrine", last_name="Quackenbush"
    )
    result = a_scoring_result(tenant_id="tenant-KL9021", application_id="app-VB5512", form=form)
    request = desk.adviser.request(result, form.loan)
    text = request.system + request.user
    personal = form.applicant.personal
    address = form.applicant.address
    for secret in (
        "LND-QX7731",
        "Zephyrine",
        "Quackenbush",
        "tenant-KL9021",
        "app-VB5512",
        personal.email,
        personal.phone,
        personal.national_id,
        personal.date_of_birth.isoformat(),
        address.street,
        address.city,
        form.applicant.employment.employer_name,
    ):
        assert secret not in text
    assert request.purpose == "credit.second_opinion"
    assert request.prompt_version == "credit-second-opinion/1"
