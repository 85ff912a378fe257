"""An analyst decides a case in review.

The decision is checked by `domain.credit.decisions.decide` against the score the case was routed
with and the routing policy that routed it, so "against the model" means against what the model
said at the time. A decision that agrees with the model (or a borderline case) is final: the
application becomes approved or declined and the case leaves the queue. An override also takes
the case out of the queue, but waits for a second person; the reviewers hear of it through the
outbox (`override.awaiting_approval`) and the application stays in review until then.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.lifecycle import decided_status, load_application, moved
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.routing_policies import policy_in_force, policy_of_version
from application.credit.snapshots import application_snapshot, snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.decisions import Decision, DecisionDraft, decide
from domain.credit.queue import CaseNotAvailable, QueueEntry, complete
from domain.credit.routing import RoutingPolicy
from domain.identity import Permission, Principal, authorize


def _open_case(uow: UnitOfWork, tenant_id: str, application_id: str) -> QueueEntry:
    found = uow.queue.open_for_application(tenant_id, application_id)
    if found is None:
        raise CaseNotAvailable(f"application {application_id} has no open case to decide")
    entry = uow.queue.lock(tenant_id, found.id)
    if entry is None:
        raise NotFound("queue entry", found.id)
    return entry


def _routing_policy(uow: UnitOfWork, tenant_id: str, application_id: str) -> RoutingPolicy:
    """The policy the application was routed by (the one in force if it was never scored)."""
    scoring = uow.scoring_results.latest(tenant_id, application_id)
    if scoring is None:
        return policy_in_force(uow, tenant_id).policy
    return policy_of_version(uow, tenant_id, scoring.routing.policy_version)


@frozen
class DecideCase:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, application_id: str, draft: DecisionDraft) -> Decision:
        authorize(principal, Permission.DECISION_CREATE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            application = load_application(self.uow, tenant_id, application_id)
            entry = _open_case(self.uow, tenant_id, application_id)
            decision = decide(
                draft,
                decision_id=self.ids.new_id(),
                tenant_id=tenant_id,
                application_id=application_id,
                analyst=principal,
                score=entry.score_at_routing,
                routing=_routing_policy(self.uow, tenant_id, application_id),
                now=now,
                started_at=entry.started_at,
            )
            completed = complete(entry, decider=principal, now=now)
            journal = Journal.of(self.uow, principal, now)
            self.uow.queue.update(completed)
            journal.audit(
                "queue.completed",
                "queue_entry",
                entry.id,
                old=snapshot(entry),
                new=snapshot(completed),
            )
            self.uow.decisions.add(decision)
            journal.audit("decision.made", "decision", decision.id, new=snapshot(decision))
            payload = {"application_id": application_id, "decision_id": decision.id}
            if decision.is_final:
                decided = moved(application, decided_status(decision), now)
                self.uow.applications.update(decided)
                journal.audit(
                    "application.decided",
                    "application",
                    application_id,
                    old=application_snapshot(application),
                    new=application_snapshot(decided),
                )
                journal.emit(self.ids, Topic.APPLICATION_DECIDED, payload)
            else:
                journal.emit(self.ids, Topic.OVERRIDE_AWAITING_APPROVAL, payload)
            self.uow.commit()
            return decision
