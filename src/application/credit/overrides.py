"""The second pair of eyes on an override: the worklist, approval and rejection.

Approval makes the override's decision final and the application approved or declined.
Rejection reverts the decision and puts the case back in the queue (`domain.credit.queue.reopen`,
counted as a release, so it comes back more urgent); the application stays in review and the
analyst who overrode is told why through the outbox (`override.rejected`).
"""

from __future__ import annotations

from attrs import field, frozen

from application.credit.lifecycle import decided_status, load_application, load_decision, moved
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.routing_policies import policy_in_force
from application.credit.snapshots import application_snapshot, snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.decisions import Decision, approve_override, reject_override
from domain.credit.queue import QueueEntry, QueuePolicy, reopen
from domain.identity import Permission, Principal, authorize


@frozen
class ListPendingOverrides:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[Decision]:
        """Decisions whose override waits for a second person, oldest first."""
        authorize(principal, Permission.DECISION_VIEW)
        with self.uow:
            return self.uow.decisions.awaiting_override(principal.tenant_id)


@frozen
class ApproveOverride:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, decision_id: str, comment: str = "") -> Decision:
        authorize(principal, Permission.DECISION_APPROVE_OVERRIDE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            decision = load_decision(self.uow, tenant_id, decision_id)
            approved = approve_override(decision, reviewer=principal, now=now, comment=comment)
            application = load_application(self.uow, tenant_id, decision.application_id)
            decided = moved(application, decided_status(approved), now)
            self.uow.decisions.update(approved)
            self.uow.applications.update(decided)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "override.approved",
                "decision",
                decision_id,
                old=snapshot(decision),
                new=snapshot(approved),
            )
            journal.audit(
                "application.decided",
                "application",
                application.id,
                old=application_snapshot(application),
                new=application_snapshot(decided),
            )
            journal.emit(
                self.ids,
                Topic.APPLICATION_DECIDED,
                {"application_id": application.id, "decision_id": decision_id},
            )
            self.uow.commit()
            return approved


def _completed_case(uow: UnitOfWork, tenant_id: str, application_id: str) -> QueueEntry:
    """The queue entry the overriding analyst completed, to be reopened."""
    entry = uow.queue.latest_for_application(tenant_id, application_id)
    if entry is None:
        raise NotFound("queue entry of application", application_id)
    return entry


@frozen
class RejectOverride:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    policy: QueuePolicy = field(factory=QueuePolicy)

    def __call__(self, principal: Principal, decision_id: str, comment: str) -> Decision:
        authorize(principal, Permission.DECISION_APPROVE_OVERRIDE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            decision = load_decision(self.uow, tenant_id, decision_id)
            reverted = reject_override(decision, reviewer=principal, now=now, comment=comment)
            entry = _completed_case(self.uow, tenant_id, decision.application_id)
            reopened = reopen(
                entry,
                now=now,
                routing=policy_in_force(self.uow, tenant_id).policy,
                policy=self.policy,
            )
            self.uow.decisions.update(reverted)
            self.uow.queue.update(reopened)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "override.rejected",
                "decision",
                decision_id,
                old=snapshot(decision),
                new=snapshot(reverted),
            )
            journal.audit(
                "queue.reopened",
                "queue_entry",
                entry.id,
                old=snapshot(entry),
                new=snapshot(reopened),
            )
            journal.emit(
                self.ids,
                Topic.OVERRIDE_REJECTED,
                {
                    "application_id": decision.application_id,
                    "decision_id": decision_id,
                    "requested_by": decision.decided_by,
                },
            )
            self.uow.commit()
            return reverted
