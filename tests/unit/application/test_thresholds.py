from __future__ import annotations

import pytest

from application.errors import NotFound
from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.policy_versions import VersionStatus
from domain.credit.routing import RoutingOutcome
from domain.errors import ConflictError, PermissionDenied
from tests.builders import a_routing_policy
from tests.unit.application.helpers import (
    ADMIN,
    ADMIN_2,
    ANALYST,
    LENDER,
    OUTSIDER,
    SENIOR,
    WORKER,
    Desk,
)

LENIENT = a_routing_policy(version=99, auto_decline_max=500, auto_approve_min=600)


def test_a_proposal_is_numbered_after_the_default_and_not_yet_in_force(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT, "Approve more of the borderline cases")

    assert proposed.version == 2
    assert proposed.status is VersionStatus.PROPOSED
    assert proposed.proposed_by == ADMIN.user_id
    assert proposed.policy.auto_approve_min == 600
    assert desk.threshold_versions(ADMIN) == [proposed]
    in_force = desk.active_thresholds(LENDER)
    assert (in_force.policy, in_force.is_default) == (DEFAULT_ROUTING_POLICY, True)
    assert desk.events()[-1].action == "policy.proposed"
    assert desk.propose(ADMIN, LENIENT).version == 3


def test_a_second_person_approves_and_the_version_routes_from_then_on(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)

    approved = desk.approve_thresholds(ADMIN_2, proposed.version)

    assert approved.status is VersionStatus.APPROVED
    assert approved.reviewed_by == ADMIN_2.user_id
    in_force = desk.active_thresholds(ANALYST)
    assert (in_force.policy, in_force.is_default) == (approved.policy, False)
    activated = desk.events()[-1]
    assert activated.action == "policy.activated"
    assert activated.old == {"active_version": 1, "source": "default"}
    application = desk.submitted("LND-1")
    result = desk.score(WORKER, application.id)
    assert result.routing.policy_version == 2
    assert result.routing.outcome is RoutingOutcome.AUTO_APPROVE


def test_nobody_approves_their_own_proposal(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)
    before = desk.stored()

    with pytest.raises(PermissionDenied, match="someone other"):
        desk.approve_thresholds(ADMIN, proposed.version)

    assert desk.stored() == before
    assert desk.active_thresholds(ADMIN).is_default


def test_thresholds_are_managed_only_with_config_manage(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)

    for person in (ANALYST, SENIOR):
        with pytest.raises(PermissionDenied, match="config:manage"):
            desk.propose(person, LENIENT)
        with pytest.raises(PermissionDenied):
            desk.approve_thresholds(person, proposed.version)
        with pytest.raises(PermissionDenied):
            desk.threshold_versions(person)


def test_a_version_is_reviewed_once(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)
    desk.approve_thresholds(ADMIN_2, proposed.version)

    with pytest.raises(ConflictError, match="already approved"):
        desk.reject_thresholds(ADMIN_2, proposed.version)


def test_a_rejected_version_never_routes(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)

    rejected = desk.reject_thresholds(ADMIN_2, proposed.version)

    assert rejected.status is VersionStatus.REJECTED
    assert desk.active_thresholds(ADMIN).is_default
    assert desk.events()[-1].action == "policy.rejected"
    with pytest.raises(ConflictError):
        desk.approve_thresholds(ADMIN_2, proposed.version)


def test_unknown_and_foreign_versions_are_not_found(desk: Desk) -> None:
    proposed = desk.propose(ADMIN, LENIENT)

    with pytest.raises(NotFound):
        desk.approve_thresholds(ADMIN_2, 7)
    with pytest.raises(NotFound):
        desk.approve_thresholds(OUTSIDER, proposed.version)
    with pytest.raises(NotFound):
        desk.reject_thresholds(OUTSIDER, proposed.version)
    assert desk.threshold_versions(OUTSIDER) == []
