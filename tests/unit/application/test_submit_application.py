from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from application.errors import IdempotencyKeyReused
from domain.credit.status import ApplicationStatus
from domain.errors import ConflictError, PermissionDenied, ValidationFailed
from domain.identity import Principal
from tests.builders import NOW, an_application_form, eur
from tests.unit.application.helpers import ANALYST, LENDER, OUTSIDER, READONLY, Desk


def test_a_submission_is_stored_pending_with_its_audit_event_and_scoring_job(desk: Desk) -> None:
    submitted = desk.submit(LENDER, an_application_form(), "key-1")

    assert desk.uow.committed == [True, True]  # hiring the staff, then the submission
    assert submitted.created
    application = submitted.application
    assert application.status is ApplicationStatus.PENDING
    assert application.submitted_at == NOW
    assert desk.application(application.id) == application
    [event] = desk.events()
    assert (event.action, event.entity_id, event.actor) == (
        "application.submitted",
        application.id,
        LENDER.user_id,
    )
    [message] = desk.read(lambda uow: uow.outbox.pending(10))
    assert message.topic == "application.score"
    assert message.payload == {"application_id": application.id}


def test_the_audit_event_carries_no_personal_data_in_the_clear(desk: Desk) -> None:
    form = an_application_form()
    desk.submit(LENDER, form)

    [event] = desk.events()
    text = json.dumps(event.new, ensure_ascii=False)
    personal = form.applicant.personal
    for secret in (personal.email, personal.phone, personal.national_id, personal.last_name):
        assert secret not in text
    assert personal.date_of_birth.isoformat() not in text
    assert form.applicant.address.street not in text
    assert "example.com" in text  # masked, not dropped: the email's domain is kept


def test_the_same_key_and_form_return_the_first_application_and_write_nothing(
    desk: Desk,
) -> None:
    first = desk.submit(LENDER, an_application_form(), "key-1")
    before = desk.stored()

    again = desk.submit(LENDER, an_application_form(), "key-1")

    assert again.application == first.application
    assert not again.created
    assert desk.stored() == before
    assert len(desk.events()) == 1
    assert desk.topics() == ["application.score"]


def test_the_same_form_spelt_differently_is_the_same_request(desk: Desk) -> None:
    first = desk.submit(LENDER, an_application_form(amount=eur("12000")), "key-1")

    again = desk.submit(LENDER, an_application_form(amount=eur("12000.00")), "key-1")

    assert again.application.id == first.application.id


def test_the_same_key_with_another_form_is_a_conflict_naming_the_key(desk: Desk) -> None:
    desk.submit(LENDER, an_application_form(), "key-1")
    before = desk.stored()

    with pytest.raises(IdempotencyKeyReused, match="key-1") as raised:
        desk.submit(LENDER, an_application_form(amount=eur(15_000)), "key-1")

    assert raised.value.key == "key-1"
    assert desk.stored() == before


def test_a_key_belongs_to_its_tenant(desk: Desk) -> None:
    mine = desk.submit(LENDER, an_application_form(), "key-1")
    theirs = desk.submit(OUTSIDER, an_application_form(), "key-1")

    assert theirs.created
    assert theirs.application.tenant_id == OUTSIDER.tenant_id != mine.application.tenant_id
    assert len(desk.events(OUTSIDER.tenant_id)) == 1


def test_every_problem_of_the_form_and_the_key_is_reported_and_nothing_stored(
    desk: Desk,
) -> None:
    form = an_application_form(external_id=" ", date_of_birth=date(2020, 1, 1), term_months=1)
    before = desk.stored()

    with pytest.raises(ValidationFailed) as raised:
        desk.submit(LENDER, form, "   ")

    assert [p.path for p in raised.value.problems] == [
        "idempotency_key",
        "external_id",
        "applicant.personal.date_of_birth",
        "loan.term_months",
    ]
    assert desk.stored() == before


def test_an_over_long_key_is_refused(desk: Desk) -> None:
    with pytest.raises(ValidationFailed, match="idempotency_key"):
        desk.submit(LENDER, an_application_form(), "k" * 256)


@pytest.mark.parametrize("person", [ANALYST, READONLY])
def test_only_who_may_create_applications_submits(desk: Desk, person: Principal) -> None:
    before = desk.stored()

    with pytest.raises(PermissionDenied, match="application:create"):
        desk.submit(person, an_application_form())

    assert desk.stored() == before


def test_a_resubmitted_external_id_finds_the_original_when_the_form_is_the_same(
    desk: Desk,
) -> None:
    first = desk.submit(LENDER, an_application_form())

    again = desk.submit(LENDER, an_application_form(), "key-late")

    assert again.application.id == first.application.id
    assert not again.created
    assert len(desk.events()) == 1
    # The key now remembers the original, so its retries find it too.
    assert desk.submit(LENDER, an_application_form(), "key-late").application == again.application


def test_a_reused_external_id_with_another_form_is_a_conflict(desk: Desk) -> None:
    desk.submit(LENDER, an_application_form())

    with pytest.raises(ConflictError, match="LND-2026-000123"):
        desk.submit(LENDER, an_application_form(annual_rate_percent=Decimal("9.9")))
