from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.errors import NotFound
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.policy_versions import VersionStatus
from domain.credit.queue import QueueStatus
from domain.credit.routing import RoutingOutcome
from domain.credit.status import ApplicationStatus
from domain.errors import IllegalTransition, PermissionDenied
from tests.builders import NOW, TENANT, a_policy_version, a_routing_policy, an_application_form
from tests.fakes import DEFAULT_WEIGHTS, FakeScorer
from tests.unit.application.helpers import (
    ANALYST,
    APPROVE_PD,
    DECLINE_PD,
    LENDER,
    OUTSIDE_WORKER,
    REVIEW_PD,
    WORKER,
    BrokenScorer,
    Desk,
    scorer_giving,
)


def test_a_borderline_case_goes_to_the_queue_and_the_application_to_review(desk: Desk) -> None:
    application = desk.submitted()

    result = desk.score(WORKER, application.id)

    assert result.model.model_version == "fake-logistic-1"
    assert result.model.probability_of_default == pytest.approx(REVIEW_PD)
    assert result.routing.outcome is RoutingOutcome.HUMAN_REVIEW
    assert result.routing.policy_version == 1
    assert result.scorecard.scorecard_version == "default-2026.1"
    stored = desk.read(lambda uow: uow.scoring_results.latest(TENANT, application.id))
    assert stored == result
    entry = desk.entry_of(application.id)
    assert entry is not None
    assert entry.status is QueueStatus.PENDING
    assert entry.score_at_routing == result.model.score
    assert entry.sla_deadline == NOW + timedelta(hours=8)
    assert 1 <= entry.priority <= 100
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.REVIEW
    assert [e.action for e in desk.events()] == [
        "application.submitted",
        "application.scored",
        "queue.entered",
        "application.routed",
    ]
    assert desk.decisions_of(application.id) == []


def test_the_audit_event_says_the_default_policy_routed_until_the_tenant_has_one(
    desk: Desk,
) -> None:
    application = desk.submitted()

    desk.score(WORKER, application.id)

    scored = next(e for e in desk.events() if e.action == "application.scored")
    assert scored.new is not None
    assert scored.new["routing"] == {
        "outcome": "human_review",
        "reasons": ["borderline_score"],
        "policy_version": 1,
        "policy_source": "default",
    }


def test_a_clear_approval_is_decided_by_the_machine(desk: Desk) -> None:
    application = desk.routed(APPROVE_PD)

    assert application.status is ApplicationStatus.APPROVED
    [decision] = desk.decisions_of(application.id)
    assert decision.decision_type is DecisionType.AUTO_APPROVE
    assert decision.status is DecisionStatus.FINAL
    assert decision.decided_by == "system"
    assert desk.entry_of(application.id) is None
    assert desk.topics() == ["application.score", "application.decided"]


def test_a_clear_decline_cites_the_models_principal_reasons(desk: Desk) -> None:
    application = desk.routed(DECLINE_PD)

    assert application.status is ApplicationStatus.DECLINED
    [decision] = desk.decisions_of(application.id)
    assert decision.decision_type is DecisionType.AUTO_DECLINE
    # The fake model's positive contributions are debt-to-income and payment-to-income.
    assert decision.adverse_action_codes == ("R01", "R02")
    assert "Excessive obligations in relation to income" in decision.reasoning


def test_the_tenants_active_policy_routes_and_is_recorded(desk: Desk) -> None:
    lenient = a_routing_policy(version=2, auto_decline_max=500, auto_approve_min=600)
    with desk.uow:
        desk.uow.policies.add(
            a_policy_version(version=2, policy=lenient, status=VersionStatus.APPROVED)
        )
        desk.uow.policies.activate(TENANT, 2)
        desk.uow.commit()
    application = desk.submitted()

    result = desk.score(WORKER, application.id)

    assert result.routing.outcome is RoutingOutcome.AUTO_APPROVE
    assert result.routing.policy_version == 2
    scored = next(e for e in desk.events() if e.action == "application.scored")
    assert scored.new is not None
    routing = scored.new["routing"]
    assert isinstance(routing, dict)
    assert routing["policy_source"] == "tenant"


def test_the_model_reads_the_whole_form_not_only_the_domain_s_features(desk: Desk) -> None:
    form = evolve(an_application_form(), attributes={"purchase_price": "25000"})
    application = desk.submit(LENDER, form).application
    scorer = FakeScorer(weights={**DEFAULT_WEIGHTS, "purchase_price": -0.0001})

    result = desk.scoring(scorer)(WORKER, application.id)

    assert dict(result.model.contributions)["purchase_price"] == pytest.approx(-2.5)
    assert result.model == scorer.score(form)


def test_scoring_again_with_the_same_model_returns_the_stored_result(desk: Desk) -> None:
    application = desk.submitted()
    first = desk.score(WORKER, application.id)
    before = desk.stored()
    desk.clock.advance(timedelta(minutes=5))

    again = desk.score(WORKER, application.id)

    assert again == first
    assert desk.stored() == before


def test_another_model_version_cannot_rescore_a_routed_application(desk: Desk) -> None:
    application = desk.submitted()
    desk.score(WORKER, application.id)
    before = desk.stored()

    with pytest.raises(IllegalTransition):
        desk.scoring(scorer_giving(REVIEW_PD, version="fake-logistic-2"))(WORKER, application.id)

    assert desk.stored() == before


def test_a_failing_model_leaves_nothing_written(desk: Desk) -> None:
    application = desk.submitted()
    before = desk.stored()

    with pytest.raises(RuntimeError, match="model server"):
        desk.scoring(BrokenScorer())(WORKER, application.id)

    assert desk.stored() == before
    assert [e.action for e in desk.events()] == ["application.submitted"]
    found = desk.application(application.id)
    assert found is not None
    assert found.status is ApplicationStatus.PENDING
    assert desk.uow.committed[-2] is False


def test_scoring_needs_the_score_permission(desk: Desk) -> None:
    application = desk.submitted()

    with pytest.raises(PermissionDenied, match="application:score"):
        desk.score(ANALYST, application.id)


def test_another_tenants_application_is_not_found(desk: Desk) -> None:
    application = desk.submitted()

    with pytest.raises(NotFound):
        desk.score(OUTSIDE_WORKER, application.id)
    with pytest.raises(NotFound):
        desk.score(WORKER, "no-such-application")


def test_a_cancelled_application_is_not_scored(desk: Desk) -> None:
    application = desk.submitted()
    desk.cancel(LENDER, application.id)
    before = desk.stored()

    with pytest.raises(IllegalTransition):
        desk.score(WORKER, application.id)

    assert desk.stored() == before
