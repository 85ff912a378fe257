"""Routing thresholds as reviewed versions: propose, approve (which puts it in force), reject,
and read what there is.

Moving a threshold changes who is approved without a person looking, so it follows the
four-eyes rule of `domain.credit.policy_versions`: one person with config:manage proposes, a
different one approves. Versions are numbered by the use case, one past the tenant's newest
(the shipped default counting as version 1), so a proposal never reuses a number.
"""

from __future__ import annotations

from attrs import evolve, frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.credit.routing_policies import (
    PolicyInForce,
    next_version_number,
    policy_in_force,
)
from application.credit.snapshots import snapshot
from application.errors import NotFound
from application.ports import Clock
from domain.credit.policy_versions import PolicyVersion, approve, propose, reject
from domain.credit.routing import RoutingPolicy
from domain.identity import Permission, Principal, authorize

_ENTITY = "routing_policy"


def _load(uow: UnitOfWork, tenant_id: str, version: int) -> PolicyVersion:
    found = uow.policies.get(tenant_id, version)
    if found is None:
        raise NotFound("routing policy version", str(version))
    return found


@frozen
class ProposeThresholds:
    uow: UnitOfWork
    clock: Clock

    def __call__(
        self, principal: Principal, policy: RoutingPolicy, note: str = ""
    ) -> PolicyVersion:
        """Propose `policy` as the tenant's next version; its own version number is replaced."""
        authorize(principal, Permission.CONFIG_MANAGE)
        now = self.clock.now()
        with self.uow:
            number = next_version_number(self.uow.policies.versions(principal.tenant_id))
            proposed = propose(
                evolve(policy, version=number), proposer=principal, now=now, note=note
            )
            self.uow.policies.add(proposed)
            Journal.of(self.uow, principal, now).audit(
                "policy.proposed", _ENTITY, str(number), new=snapshot(proposed)
            )
            self.uow.commit()
            return proposed


@frozen
class ApproveThresholds:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, version: int) -> PolicyVersion:
        """A second person approves the version, and it is put in force at once."""
        authorize(principal, Permission.CONFIG_MANAGE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            proposed = _load(self.uow, tenant_id, version)
            approved = approve(proposed, reviewer=principal, now=now)
            before = policy_in_force(self.uow, tenant_id)
            self.uow.policies.update(approved)
            self.uow.policies.activate(tenant_id, version)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "policy.approved",
                _ENTITY,
                str(version),
                old=snapshot(proposed),
                new=snapshot(approved),
            )
            journal.audit(
                "policy.activated",
                _ENTITY,
                str(version),
                old={
                    "active_version": before.policy.version,
                    "source": "default" if before.is_default else "tenant",
                },
                new={"active_version": version, "source": "tenant"},
            )
            self.uow.commit()
            return approved


@frozen
class RejectThresholds:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, version: int) -> PolicyVersion:
        authorize(principal, Permission.CONFIG_MANAGE)
        now = self.clock.now()
        with self.uow:
            proposed = _load(self.uow, principal.tenant_id, version)
            rejected = reject(proposed, reviewer=principal, now=now)
            self.uow.policies.update(rejected)
            Journal.of(self.uow, principal, now).audit(
                "policy.rejected",
                _ENTITY,
                str(version),
                old=snapshot(proposed),
                new=snapshot(rejected),
            )
            self.uow.commit()
            return rejected


@frozen
class ListThresholdVersions:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[PolicyVersion]:
        """Every version of the tenant, newest first."""
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            return self.uow.policies.versions(principal.tenant_id)


@frozen
class ActiveThresholds:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> PolicyInForce:
        """The policy applications are routed by now; anyone who sees applications may ask."""
        authorize(principal, Permission.APPLICATION_VIEW)
        with self.uow:
            return policy_in_force(self.uow, principal.tenant_id)
