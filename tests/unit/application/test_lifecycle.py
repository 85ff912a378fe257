"""Whole cases from submission to final decision, and what the trail says about them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus, FinalStatusChange
from tests.unit.application.helpers import (
    ADMIN,
    ANALYST,
    APPROVE_PD,
    COLLEAGUE,
    JUSTIFICATION,
    LENDER,
    SENIOR,
    SENIOR_2,
    WORKER,
    Desk,
    approval,
    decline,
)


def test_the_whole_lifecycle_of_an_overridden_case(desk: Desk) -> None:
    application, entry = desk.held("LND-1", ANALYST, model_declines=True)
    desk.clock.advance(timedelta(minutes=20))

    first = desk.decide(ANALYST, application.id, approval(justification=JUSTIFICATION))
    assert first.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    assert desk.pending_overrides(SENIOR) == [first]

    desk.clock.advance(timedelta(hours=1))
    desk.reject_override(SENIOR, first.id, "The contract change is not documented yet.")
    back = desk.entry_of(application.id)
    assert back is not None
    assert (back.id, back.status) == (entry.id, QueueStatus.PENDING)

    desk.assign(SENIOR, back.id, COLLEAGUE.user_id)
    desk.start(COLLEAGUE, back.id)
    second = desk.decide(COLLEAGUE, application.id, approval(justification=JUSTIFICATION))
    final = desk.approve_override(SENIOR_2, second.id, "Contract now signed; documents attached.")

    assert final.status is DecisionStatus.FINAL
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.APPROVED
    history = desk.decisions_of(application.id)
    assert [d.status for d in history] == [DecisionStatus.REVERTED, DecisionStatus.FINAL]
    assert desk.entry_of(application.id) is None
    assert desk.pending_overrides(SENIOR) == []
    assert desk.topics() == [
        "application.score",
        "case.assigned",
        "override.awaiting_approval",
        "override.rejected",
        "case.assigned",
        "override.awaiting_approval",
        "application.decided",
    ]


def test_after_a_busy_day_the_trail_verifies_and_tells_the_story(desk: Desk) -> None:
    auto = desk.routed(APPROVE_PD, "LND-auto")
    declined, _entry = desk.held("LND-declined")
    desk.decide(ANALYST, declined.id, decline())
    overridden, _entry = desk.held("LND-override", COLLEAGUE, model_declines=True)
    decision = desk.decide(COLLEAGUE, overridden.id, approval(justification=JUSTIFICATION))
    desk.approve_override(SENIOR, decision.id)
    desk.cancel(LENDER, desk.submitted("LND-cancelled").id)
    desk.propose(ADMIN, evolve(desk.active_thresholds(ADMIN).policy, auto_approve_min=700))

    verification = desk.verify_audit(ADMIN)

    events = desk.events()
    assert verification.ok
    assert verification.checked == len(events)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    decided = [e.entity_id for e in events if e.action == "application.decided"]
    assert decided == [declined.id, overridden.id]
    routed_auto = [e for e in events if e.entity_id == auto.id and e.action == "application.routed"]
    assert [(c.path, c.after) for c in routed_auto[0].diff if c.path == "status"] == [
        ("status", "approved")
    ]
    submitted = [e.entity_id for e in events if e.action == "application.submitted"]
    statuses = {}
    for application_id in submitted:
        found = desk.application(application_id)
        assert found is not None
        statuses[found.form.external_id] = found.status
    assert statuses == {
        "LND-auto": ApplicationStatus.APPROVED,
        "LND-declined": ApplicationStatus.DECLINED,
        "LND-override": ApplicationStatus.APPROVED,
        "LND-cancelled": ApplicationStatus.CANCELLED,
    }


def test_a_decision_failing_after_its_first_writes_stores_none_of_them(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    # The application was closed behind the queue's back: deciding writes the queue entry and
    # the decision, then finds the lifecycle refuses the move, and must take both back.
    with desk.uow:
        desk.uow.applications.update(evolve(application, status=ApplicationStatus.APPROVED))
        desk.uow.commit()
    before = desk.stored()
    events = len(desk.events())

    with pytest.raises(FinalStatusChange):
        desk.decide(ANALYST, application.id, approval())

    assert desk.stored() == before
    assert len(desk.events()) == events
    assert desk.decisions_of(application.id) == []


def test_the_machine_and_the_people_are_both_named_in_the_trail(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    desk.decide(ANALYST, application.id, approval())

    actors = {e.actor for e in desk.events()}

    assert actors == {LENDER.user_id, WORKER.user_id, ANALYST.user_id}
    [made] = desk.decisions_of(application.id)
    assert made.decision_type is DecisionType.ANALYST_APPROVE
