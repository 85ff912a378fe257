"""The SLA check, run every minute for each tenant: warn, mark breaches, escalate.

A case whose deadline is near is warned once (`case.sla_warning`); a case past its deadline is
marked breached once (`case.sla_breached`) and escalated to the active senior analyst holding
the fewest active cases (`case.escalated`; see `domain.credit.sla` for why the case itself stays
where it is). Each change commits alone, with its audit event and outbox message, under the
entry's lock: the check re-reads the entry there and acts only if the step is still to be done,
so two checks running at once (two schedulers, a claim lost) never act twice on one case.

A breach with no senior to take it over is still marked and notified, and reported to the
caller (`SlaReport.unescalated`) for the operator's log.
"""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen, validators

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import snapshot
from application.ports import Clock, IdGenerator
from domain.credit.queue import QueueEntry, QueuePolicy
from domain.credit.sla import (
    escalate,
    mark_breached,
    mark_warned,
    needs_breach,
    needs_warning,
    senior_for,
    sla_actions,
)
from domain.identity import Permission, Principal, Role, authorize

ENTITY = "queue_entry"


def deadline_payload(entry: QueueEntry) -> dict[str, str | int]:
    """What a warning or breach message says: the case, its deadline, who holds it if anyone."""
    payload: dict[str, str | int] = {
        "entry_id": entry.id,
        "application_id": entry.application_id,
        "sla_deadline": entry.sla_deadline.isoformat(),
    }
    if entry.analyst_id is not None:
        payload["analyst_id"] = entry.analyst_id
    return payload


@frozen
class SlaReport:
    """Entry ids acted on in one tenant: warned, breached, and of those breached, escalated or
    left without a senior."""

    warned: tuple[str, ...] = ()
    breached: tuple[str, ...] = ()
    escalated: tuple[str, ...] = ()
    unescalated: tuple[str, ...] = ()


@frozen
class CheckSla:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    policy: QueuePolicy = field(factory=QueuePolicy)
    #: At most this many cases a run; the rest (earliest deadlines go first) wait a minute.
    batch: int = field(default=500, validator=validators.ge(1))

    def __call__(self, principal: Principal) -> SlaReport:
        """Check the principal's tenant; the principal needs queue:assign (a system user)."""
        authorize(principal, Permission.QUEUE_ASSIGN)
        now = self.clock.now()
        tenant_id = principal.tenant_id
        with self.uow:
            due = self.uow.queue.sla_due(
                tenant_id, now=now, warn_before=now + self.policy.sla_warning, limit=self.batch
            )
            if not due:
                return SlaReport()
            people = self.uow.users.active_with_roles(tenant_id, (Role.SENIOR_ANALYST,))
            loads = self.uow.queue.active_counts(tenant_id)
        seniors = {user.principal(): loads.get(user.id, 0) for user in people}
        plan = sla_actions(due, now, self.policy)
        warned = tuple(e.id for e in plan.warn if self._warn(principal, e.id, now))
        breached: list[str] = []
        escalated: list[str] = []
        for entry in plan.breach:
            done, senior = self._breach(principal, entry.id, now, seniors)
            if done:
                breached.append(entry.id)
                if senior is not None:
                    escalated.append(entry.id)
                    seniors[senior] += 1  # spread the escalations of one run
        return SlaReport(
            warned=warned,
            breached=tuple(breached),
            escalated=tuple(escalated),
            unescalated=tuple(i for i in breached if i not in escalated),
        )

    def _warn(self, actor: Principal, entry_id: str, now: datetime) -> bool:
        with self.uow:
            entry = self.uow.queue.lock(actor.tenant_id, entry_id)
            if entry is None or not needs_warning(entry, now, self.policy):
                return False  # decided, or warned by another check, since it was listed
            warned = mark_warned(entry, now, self.policy)
            self.uow.queue.update(warned)
            journal = Journal.of(self.uow, actor, now)
            journal.audit(
                "queue.sla_warned", ENTITY, entry_id, old=snapshot(entry), new=snapshot(warned)
            )
            journal.emit(self.ids, Topic.CASE_SLA_WARNING, deadline_payload(warned))
            self.uow.commit()
            return True

    def _breach(
        self, actor: Principal, entry_id: str, now: datetime, seniors: dict[Principal, int]
    ) -> tuple[bool, Principal | None]:
        """Mark the breach and escalate it; (done, the senior it went to)."""
        with self.uow:
            entry = self.uow.queue.lock(actor.tenant_id, entry_id)
            if entry is None or not needs_breach(entry, now, self.policy):
                return False, None
            breached = mark_breached(entry, now, self.policy)
            senior = senior_for(breached, seniors)
            final = breached if senior is None else escalate(breached, senior)
            self.uow.queue.update(final)
            journal = Journal.of(self.uow, actor, now)
            journal.audit(
                "queue.sla_breached", ENTITY, entry_id, old=snapshot(entry), new=snapshot(breached)
            )
            journal.emit(self.ids, Topic.CASE_SLA_BREACHED, deadline_payload(breached))
            if senior is not None:
                journal.audit(
                    "queue.escalated", ENTITY, entry_id, old=snapshot(breached), new=snapshot(final)
                )
                journal.emit(
                    self.ids,
                    Topic.CASE_ESCALATED,
                    {
                        "entry_id": entry_id,
                        "application_id": final.application_id,
                        "senior_id": senior.user_id,
                    },
                )
            self.uow.commit()
            return True, senior
