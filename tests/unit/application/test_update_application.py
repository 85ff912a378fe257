from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import NotFound
from domain.credit.status import ApplicationStatus, FinalStatusChange
from domain.errors import ConflictError, IllegalTransition, PermissionDenied, ValidationFailed
from tests.builders import NOW, an_application_form, eur
from tests.unit.application.helpers import ANALYST, APPROVE_PD, LENDER, OUTSIDER, Desk


def test_a_pending_application_takes_a_corrected_form(desk: Desk) -> None:
    application = desk.submitted("LND-1")
    desk.clock.advance(timedelta(minutes=3))
    corrected = an_application_form(external_id="LND-1", amount=eur(10_000))

    updated = desk.update(LENDER, application.id, corrected)

    assert updated.form == corrected
    assert updated.updated_at == NOW + timedelta(minutes=3)
    assert updated.status is ApplicationStatus.PENDING
    assert desk.application(application.id) == updated
    last = desk.events()[-1]
    assert last.action == "application.updated"
    assert {c.path for c in last.diff} == {"form.loan.amount.amount", "updated_at"}


def test_the_same_form_again_changes_nothing(desk: Desk) -> None:
    application = desk.submitted("LND-1")
    before = desk.stored()

    assert desk.update(LENDER, application.id, application.form) == application

    assert desk.stored() == before


def test_a_scored_application_can_no_longer_be_changed(desk: Desk) -> None:
    application, _entry = desk.in_review("LND-1")
    before = desk.stored()

    with pytest.raises(IllegalTransition, match="review"):
        desk.update(LENDER, application.id, an_application_form(external_id="LND-1"))

    assert desk.stored() == before


def test_an_invalid_correction_lists_every_problem(desk: Desk) -> None:
    application = desk.submitted("LND-1")
    before = desk.stored()

    with pytest.raises(ValidationFailed) as raised:
        desk.update(LENDER, application.id, an_application_form(external_id="", term_months=999))

    assert [p.path for p in raised.value.problems] == ["external_id", "loan.term_months"]
    assert desk.stored() == before


def test_an_external_id_taken_by_another_application_is_a_conflict(desk: Desk) -> None:
    desk.submitted("LND-1")
    second = desk.submitted("LND-2")

    with pytest.raises(ConflictError, match="LND-1"):
        desk.update(LENDER, second.id, an_application_form(external_id="LND-1"))


def test_a_new_external_id_that_is_free_is_taken(desk: Desk) -> None:
    application = desk.submitted("LND-1")

    updated = desk.update(LENDER, application.id, an_application_form(external_id="LND-9"))

    assert updated.form.external_id == "LND-9"


def test_updating_needs_the_create_permission_and_the_tenants_own_application(
    desk: Desk,
) -> None:
    application = desk.submitted("LND-1")
    form = an_application_form(external_id="LND-1", amount=eur(9_000))

    with pytest.raises(PermissionDenied):
        desk.update(ANALYST, application.id, form)
    with pytest.raises(NotFound):
        desk.update(OUTSIDER, application.id, form)


def test_a_pending_application_is_cancelled(desk: Desk) -> None:
    application = desk.submitted("LND-1")

    cancelled = desk.cancel(LENDER, application.id)

    assert cancelled.status is ApplicationStatus.CANCELLED
    assert desk.application(application.id) == cancelled
    last = desk.events()[-1]
    assert last.action == "application.cancelled"
    assert [(c.path, c.before, c.after) for c in last.diff] == [("status", "pending", "cancelled")]


def test_only_a_pending_application_is_cancelled(desk: Desk) -> None:
    in_review, _entry = desk.in_review("LND-1")
    approved = desk.routed(APPROVE_PD, "LND-2")
    before = desk.stored()

    with pytest.raises(IllegalTransition, match="allowed"):
        desk.cancel(LENDER, in_review.id)
    with pytest.raises(FinalStatusChange):
        desk.cancel(LENDER, approved.id)

    assert desk.stored() == before


def test_cancelling_needs_the_permission_and_the_tenants_own_application(desk: Desk) -> None:
    application = desk.submitted("LND-1")

    with pytest.raises(PermissionDenied):
        desk.cancel(ANALYST, application.id)
    with pytest.raises(NotFound):
        desk.cancel(OUTSIDER, application.id)
