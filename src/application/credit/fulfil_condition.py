"""Record that a condition of a conditional approval has been met (documents received, say)."""

from __future__ import annotations

from attrs import frozen

from application.credit.lifecycle import load_decision
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.credit.snapshots import snapshot
from application.ports import Clock
from domain.credit.decisions import Decision, fulfil_condition
from domain.identity import Permission, Principal, authorize


@frozen
class FulfilCondition:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, decision_id: str, index: int) -> Decision:
        """Mark condition `index` (0-based, in the order the decision lists them) fulfilled."""
        authorize(principal, Permission.DECISION_CREATE)
        now = self.clock.now()
        with self.uow:
            decision = load_decision(self.uow, principal.tenant_id, decision_id)
            fulfilled = fulfil_condition(decision, index, actor=principal, now=now)
            self.uow.decisions.update(fulfilled)
            Journal.of(self.uow, principal, now).audit(
                "decision.condition_fulfilled",
                "decision",
                decision_id,
                old=snapshot(decision),
                new=snapshot(fulfilled),
            )
            self.uow.commit()
            return fulfilled
