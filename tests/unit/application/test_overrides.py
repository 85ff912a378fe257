from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.errors import NotFound
from domain.credit.decisions import Decision, DecisionStatus
from domain.credit.overrides import OverrideStatus, SelfApproval
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.errors import ConflictError, PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal
from tests.builders import NOW, a_queue_entry
from tests.unit.application.helpers import (
    ANALYST,
    COLLEAGUE,
    JUSTIFICATION,
    OUTSIDER,
    READONLY,
    SENIOR,
    SENIOR_2,
    Desk,
    approval,
)


def _overridden(desk: Desk, analyst: Principal = ANALYST, external_id: str = "LND-1") -> Decision:
    application, _entry = desk.held(external_id, analyst, model_declines=True)
    return desk.decide(analyst, application.id, approval(justification=JUSTIFICATION))


def test_reviewers_see_the_overrides_waiting_oldest_first(desk: Desk) -> None:
    first = _overridden(desk, ANALYST, "LND-1")
    second = _overridden(desk, COLLEAGUE, "LND-2")

    assert desk.pending_overrides(READONLY) == [first, second]
    blind = evolve(READONLY, denials=frozenset({Permission.DECISION_VIEW}))
    with pytest.raises(PermissionDenied):
        desk.pending_overrides(blind)
    assert desk.pending_overrides(OUTSIDER) == []


def test_a_second_person_approves_and_the_decision_becomes_final(desk: Desk) -> None:
    decision = _overridden(desk)

    approved = desk.approve_override(SENIOR, decision.id, "Payslip checked.")

    assert approved.status is DecisionStatus.FINAL
    assert approved.override is not None
    assert approved.override.status is OverrideStatus.APPROVED
    assert approved.override.reviewed_by == SENIOR.user_id
    found = desk.application(decision.application_id)
    assert found is not None
    assert found.status is ApplicationStatus.APPROVED
    assert desk.pending_overrides(SENIOR) == []
    assert [e.action for e in desk.events()[-2:]] == ["override.approved", "application.decided"]
    assert desk.topics()[-1] == "application.decided"


def test_nobody_approves_their_own_override(desk: Desk) -> None:
    decision = _overridden(desk, SENIOR)
    before = desk.stored()

    with pytest.raises(SelfApproval):
        desk.approve_override(SENIOR, decision.id)

    assert desk.stored() == before
    assert desk.approve_override(SENIOR_2, decision.id).is_final


def test_approving_overrides_needs_its_permission(desk: Desk) -> None:
    decision = _overridden(desk)

    with pytest.raises(PermissionDenied, match="decision:approve_override"):
        desk.approve_override(COLLEAGUE, decision.id)
    with pytest.raises(PermissionDenied):
        desk.reject_override(COLLEAGUE, decision.id, "No.")


def test_an_override_is_reviewed_once(desk: Desk) -> None:
    decision = _overridden(desk)
    desk.approve_override(SENIOR, decision.id)

    with pytest.raises(ConflictError):
        desk.approve_override(SENIOR_2, decision.id)
    with pytest.raises(ConflictError):
        desk.reject_override(SENIOR_2, decision.id, "Too late to disagree.")


def test_a_decision_without_an_override_has_nothing_to_approve(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    decision = desk.decide(ANALYST, application.id, approval())

    with pytest.raises(ConflictError, match="no override"):
        desk.approve_override(SENIOR, decision.id)


def test_a_rejected_override_is_reverted_and_its_case_back_in_the_queue(desk: Desk) -> None:
    decision = _overridden(desk)

    reverted = desk.reject_override(SENIOR, decision.id, "The new contract is not signed yet.")

    assert reverted.status is DecisionStatus.REVERTED
    assert reverted.override is not None
    assert reverted.override.status is OverrideStatus.REJECTED
    found = desk.application(decision.application_id)
    assert found is not None
    assert found.status is ApplicationStatus.REVIEW
    entry = desk.entry_of(decision.application_id)
    assert entry is not None
    assert (entry.status, entry.analyst_id, entry.release_count) == (QueueStatus.PENDING, None, 1)
    assert [e.action for e in desk.events()[-2:]] == ["override.rejected", "queue.reopened"]
    [message] = [
        m for m in desk.read(lambda uow: uow.outbox.pending(100)) if m.topic == "override.rejected"
    ]
    assert message.payload["requested_by"] == ANALYST.user_id


def test_a_rejection_must_say_why(desk: Desk) -> None:
    decision = _overridden(desk)
    before = desk.stored()

    with pytest.raises(ValidationFailed, match="comment"):
        desk.reject_override(SENIOR, decision.id, "  ")

    assert desk.stored() == before


def test_the_right_case_is_reopened_among_many_closed_ones(desk: Desk) -> None:
    decision = _overridden(desk)
    # More closed cases than fit on one page, all newer than the one to reopen.
    with desk.uow:
        for number in range(150):
            desk.uow.queue.add(
                a_queue_entry(
                    id=f"entry-old-{number}",
                    application_id=f"app-old-{number}",
                    status=QueueStatus.COMPLETED,
                    entered_at=NOW + timedelta(hours=1),
                )
            )
        desk.uow.commit()

    desk.reject_override(SENIOR, decision.id, "Not convinced by the payslip.")

    entry = desk.entry_of(decision.application_id)
    assert entry is not None
    assert entry.status is QueueStatus.PENDING


def test_another_tenants_override_is_not_found(desk: Desk) -> None:
    decision = _overridden(desk)

    with pytest.raises(NotFound):
        desk.approve_override(OUTSIDER, decision.id)
    with pytest.raises(NotFound):
        desk.reject_override(OUTSIDER, decision.id, "Not ours.")
    with pytest.raises(NotFound):
        desk.approve_override(SENIOR, "decision-unknown")
