"""Overrides: an analyst deciding against the model needs a reason and a second person.

The model "recommends" approval when the score reaches `auto_approve_min` and decline when it
falls to `auto_decline_max`. An analyst who declines the first or approves the second overrides
the model. That is allowed (people see what models miss) but never alone: the analyst writes a
justification of at least 50 characters, and the decision is final only once a *different*
person holding decision:approve_override approves it. A rejection sends the case back.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import evolve, frozen

from domain.credit.routing import RoutingOutcome, RoutingPolicy
from domain.errors import ConflictError, PermissionDenied, Problem, ValidationFailed
from domain.identity import Permission, Principal, can

MIN_JUSTIFICATION = 50


class OverrideDirection(StrEnum):
    MODEL_APPROVE_ANALYST_DECLINE = "model_approve_analyst_decline"
    MODEL_DECLINE_ANALYST_APPROVE = "model_decline_analyst_approve"


class OverrideStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"


class SelfApproval(PermissionDenied):
    """The person who overrode the model tried to approve their own override."""


class OverrideAlreadyReviewed(ConflictError):
    """An override is approved or rejected once."""


def detect_override(
    score: float, policy: RoutingPolicy, analyst_approves: bool
) -> OverrideDirection | None:
    """The direction in which the analyst goes against the model, or None if they agree."""
    recommended = policy.model_outcome(score)
    if recommended is RoutingOutcome.AUTO_APPROVE and not analyst_approves:
        return OverrideDirection.MODEL_APPROVE_ANALYST_DECLINE
    if recommended is RoutingOutcome.AUTO_DECLINE and analyst_approves:
        return OverrideDirection.MODEL_DECLINE_ANALYST_APPROVE
    return None


def justification_problem(justification: str | None) -> str | None:
    """Why a justification is not enough, or None when it is."""
    text = (justification or "").strip()
    if len(text) < MIN_JUSTIFICATION:
        return f"an override needs a justification of at least {MIN_JUSTIFICATION} characters"
    return None


@frozen
class Override:
    direction: OverrideDirection
    justification: str
    requested_by: str
    requested_at: datetime
    status: OverrideStatus = OverrideStatus.AWAITING_APPROVAL
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str = ""

    @property
    def is_settled(self) -> bool:
        return self.status is not OverrideStatus.AWAITING_APPROVAL


def _check_reviewer(override: Override, reviewer: Principal) -> None:
    if override.is_settled:
        raise OverrideAlreadyReviewed(f"this override was already {override.status}")
    if not can(reviewer, Permission.DECISION_APPROVE_OVERRIDE):
        raise PermissionDenied(
            f"user {reviewer.user_id} cannot review overrides (decision:approve_override)"
        )
    if reviewer.user_id == override.requested_by:
        raise SelfApproval("an override must be reviewed by someone other than its author")


def approve(
    override: Override, *, reviewer: Principal, now: datetime, comment: str = ""
) -> Override:
    """The second person agrees: the override stands."""
    _check_reviewer(override, reviewer)
    return evolve(
        override,
        status=OverrideStatus.APPROVED,
        reviewed_by=reviewer.user_id,
        reviewed_at=now,
        review_comment=comment,
    )


def reject(override: Override, *, reviewer: Principal, now: datetime, comment: str) -> Override:
    """The second person disagrees; a rejection always says why."""
    _check_reviewer(override, reviewer)
    if not comment.strip():
        raise ValidationFailed((Problem("comment", "a rejection must tell its author why"),))
    return evolve(
        override,
        status=OverrideStatus.REJECTED,
        reviewed_by=reviewer.user_id,
        reviewed_at=now,
        review_comment=comment,
    )
