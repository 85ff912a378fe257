"""Routing-policy versions and the four-eyes rule for changing them.

Thresholds decide who is approved without a person looking, so moving them is as consequential as
an override: one person with config:manage proposes a version, and a *different* person with
config:manage approves it. Only an approved version can be put in force, and every scoring result
records the version it was routed by.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import evolve, frozen

from domain.credit.routing import RoutingPolicy
from domain.errors import ConflictError, PermissionDenied
from domain.identity import Permission, Principal, authorize


class VersionStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


@frozen
class PolicyVersion:
    tenant_id: str
    policy: RoutingPolicy
    proposed_by: str
    proposed_at: datetime
    status: VersionStatus = VersionStatus.PROPOSED
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    note: str = ""

    @property
    def version(self) -> int:
        return self.policy.version


def propose(
    policy: RoutingPolicy, *, proposer: Principal, now: datetime, note: str = ""
) -> PolicyVersion:
    authorize(proposer, Permission.CONFIG_MANAGE)
    return PolicyVersion(proposer.tenant_id, policy, proposer.user_id, now, note=note)


def _review(version: PolicyVersion, reviewer: Principal) -> None:
    authorize(reviewer, Permission.CONFIG_MANAGE)
    if reviewer.tenant_id != version.tenant_id:
        raise PermissionDenied("a policy is reviewed inside its own tenant")
    if version.status is not VersionStatus.PROPOSED:
        raise ConflictError(f"policy version {version.version} is already {version.status}")
    if reviewer.user_id == version.proposed_by:
        raise PermissionDenied("a policy version must be approved by someone other than its author")


def approve(version: PolicyVersion, *, reviewer: Principal, now: datetime) -> PolicyVersion:
    _review(version, reviewer)
    return evolve(
        version, status=VersionStatus.APPROVED, reviewed_by=reviewer.user_id, reviewed_at=now
    )


def reject(version: PolicyVersion, *, reviewer: Principal, now: datetime) -> PolicyVersion:
    _review(version, reviewer)
    return evolve(
        version, status=VersionStatus.REJECTED, reviewed_by=reviewer.user_id, reviewed_at=now
    )
