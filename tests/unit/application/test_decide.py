from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from attrs import evolve

from application.errors import NotFound
from domain.credit.decisions import (
    Condition,
    ConditionType,
    DecisionDraft,
    DecisionStatus,
    DecisionType,
    Terms,
)
from domain.credit.overrides import OverrideDirection
from domain.credit.policy_versions import VersionStatus
from domain.credit.queue import CaseNotAvailable
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission
from tests.builders import TENANT, a_policy_version, a_routing_policy, eur
from tests.unit.application.helpers import (
    ANALYST,
    JUSTIFICATION,
    OUTSIDER,
    READONLY,
    Desk,
    approval,
    decline,
)


def test_the_holder_approves_and_the_case_is_closed(desk: Desk) -> None:
    application, entry = desk.held("LND-1")
    desk.clock.advance(timedelta(minutes=10))

    decision = desk.decide(ANALYST, application.id, approval())

    assert decision.decision_type is DecisionType.ANALYST_APPROVE
    assert decision.status is DecisionStatus.FINAL
    assert decision.review_seconds == 600
    assert desk.decisions_of(application.id) == [decision]
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.APPROVED
    assert desk.entry_of(application.id) is None
    closed = desk.read(lambda uow: uow.queue.get(TENANT, entry.id))
    assert closed is not None
    assert closed.completed_at == desk.clock.now()
    assert [e.action for e in desk.events()[-3:]] == [
        "queue.completed",
        "decision.made",
        "application.decided",
    ]
    assert desk.topics()[-1] == "application.decided"


def test_a_decline_needs_its_reasoning_and_closes_the_case(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")

    decision = desk.decide(ANALYST, application.id, decline())

    assert decision.decision_type is DecisionType.ANALYST_DECLINE
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.DECLINED


def test_a_conditional_approval_offers_the_adjusted_terms(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS,
        terms=Terms(eur(12_000), 48, Decimal("7.9")),
        conditions=(
            Condition(ConditionType.REDUCED_AMOUNT, "Lower amount", adjusted_amount=eur(9_000)),
            Condition(ConditionType.DOCUMENTATION, "Three months of payslips"),
        ),
    )

    decision = desk.decide(ANALYST, application.id, draft)

    assert decision.terms is not None
    assert decision.terms.amount == eur(9_000)
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.APPROVED


def test_an_override_waits_for_a_second_person_out_of_the_queue(desk: Desk) -> None:
    application, _entry = desk.held("LND-1", model_declines=True)

    decision = desk.decide(ANALYST, application.id, approval(justification=JUSTIFICATION))

    assert decision.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    assert decision.override is not None
    assert decision.override.direction is OverrideDirection.MODEL_DECLINE_ANALYST_APPROVE
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.REVIEW
    assert desk.entry_of(application.id) is None
    assert desk.topics()[-1] == "override.awaiting_approval"
    assert "application.decided" not in [e.action for e in desk.events()]


def test_every_problem_of_a_draft_is_reported_and_nothing_stored(desk: Desk) -> None:
    application, _entry = desk.held("LND-1", model_declines=True)
    draft = evolve(
        approval(),
        conditions=(Condition(ConditionType.DOCUMENTATION, " "),),
    )
    before = desk.stored()

    with pytest.raises(ValidationFailed) as raised:
        desk.decide(ANALYST, application.id, draft)

    assert [p.path for p in raised.value.problems] == [
        "conditions",
        "conditions[0].description",
        "override_justification",
    ]
    assert desk.stored() == before


def test_overriding_needs_the_override_permission(desk: Desk) -> None:
    application, _entry = desk.held("LND-1", model_declines=True)
    cautious = evolve(ANALYST, denials=frozenset({Permission.DECISION_OVERRIDE}))

    with pytest.raises(PermissionDenied, match="decision:override"):
        desk.decide(cautious, application.id, approval(justification=JUSTIFICATION))


def test_deciding_needs_the_decision_permission(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")

    with pytest.raises(PermissionDenied):
        desk.decide(READONLY, application.id, approval())


def test_only_a_case_someone_holds_is_decided(desk: Desk) -> None:
    pending = desk.submitted("LND-1")
    waiting, _entry = desk.in_review("LND-2")
    before = desk.stored()

    with pytest.raises(CaseNotAvailable, match="no open case"):
        desk.decide(ANALYST, pending.id, approval())
    with pytest.raises(CaseNotAvailable, match="held"):
        desk.decide(ANALYST, waiting.id, approval())

    assert desk.stored() == before


def test_a_decided_case_is_not_decided_twice(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    desk.decide(ANALYST, application.id, approval())

    with pytest.raises(CaseNotAvailable):
        desk.decide(ANALYST, application.id, decline())


def test_another_tenants_application_is_not_found(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")

    with pytest.raises(NotFound):
        desk.decide(OUTSIDER, application.id, approval())


def test_the_model_is_judged_by_the_policy_that_routed_the_case(desk: Desk) -> None:
    application, _entry = desk.held("LND-1")
    # Since routing, thresholds moved so that this score would now mean "approve".
    lenient = a_routing_policy(version=2, auto_decline_max=500, auto_approve_min=600)
    with desk.uow:
        desk.uow.policies.add(
            a_policy_version(version=2, policy=lenient, status=VersionStatus.APPROVED)
        )
        desk.uow.policies.activate(TENANT, 2)
        desk.uow.commit()

    decision = desk.decide(ANALYST, application.id, decline())

    assert decision.status is DecisionStatus.FINAL
    assert decision.override is None
