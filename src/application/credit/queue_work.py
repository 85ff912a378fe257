"""An analyst's moves on a case: take it (or be given it), start it, hand it back.

The entry is locked for the transaction (`QueueRepository.lock`), so two people taking the same
case at once are served one after the other: the second reads the case as the first left it and
the domain refuses it (`domain.credit.queue.CaseNotAvailable`).
"""

from __future__ import annotations

from attrs import field, frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.routing_policies import policy_in_force
from application.credit.snapshots import snapshot
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.queue import QueueEntry, QueuePolicy, assign, release, start
from domain.identity import Permission, Principal, authorize


def _locked(uow: UnitOfWork, tenant_id: str, entry_id: str) -> QueueEntry:
    entry = uow.queue.lock(tenant_id, entry_id)
    if entry is None:
        raise NotFound("queue entry", entry_id)
    return entry


def _assignee(uow: UnitOfWork, actor: Principal, assignee_id: str | None) -> Principal:
    if assignee_id is None or assignee_id == actor.user_id:
        return actor
    # Giving a case to someone else needs queue:assign; checked before looking the person up,
    # so that the answer does not tell who exists.
    authorize(actor, Permission.QUEUE_ASSIGN)
    user = uow.users.get(actor.tenant_id, assignee_id)
    if user is None or not user.active:
        raise NotFound("user", assignee_id)
    return user.principal()


@frozen
class AssignCase:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    policy: QueuePolicy = field(factory=QueuePolicy)

    def __call__(
        self, principal: Principal, entry_id: str, assignee_id: str | None = None
    ) -> QueueEntry:
        """Give the case to `assignee_id`, or to the acting person when None."""
        authorize(principal, Permission.QUEUE_VIEW)
        now = self.clock.now()
        with self.uow:
            entry = _locked(self.uow, principal.tenant_id, entry_id)
            assignee = _assignee(self.uow, principal, assignee_id)
            assigned = assign(
                entry,
                assignee=assignee,
                assignee_active_cases=self.uow.queue.active_count(
                    principal.tenant_id, assignee.user_id
                ),
                actor=principal,
                now=now,
                policy=self.policy,
            )
            self.uow.queue.update(assigned)
            journal = Journal.of(self.uow, principal, now)
            journal.audit(
                "queue.assigned",
                "queue_entry",
                entry_id,
                old=snapshot(entry),
                new=snapshot(assigned),
            )
            journal.emit(
                self.ids,
                Topic.CASE_ASSIGNED,
                {
                    "entry_id": entry_id,
                    "application_id": entry.application_id,
                    "analyst_id": assignee.user_id,
                    "assigned_by": principal.user_id,
                },
            )
            self.uow.commit()
            return assigned


@frozen
class StartCase:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, entry_id: str) -> QueueEntry:
        authorize(principal, Permission.QUEUE_VIEW)
        now = self.clock.now()
        with self.uow:
            entry = _locked(self.uow, principal.tenant_id, entry_id)
            started = start(entry, actor=principal, now=now)
            self.uow.queue.update(started)
            Journal.of(self.uow, principal, now).audit(
                "queue.started", "queue_entry", entry_id, old=snapshot(entry), new=snapshot(started)
            )
            self.uow.commit()
            return started


@frozen
class ReleaseCase:
    """Hand a case back; its new priority is computed against the routing policy in force."""

    uow: UnitOfWork
    clock: Clock
    policy: QueuePolicy = field(factory=QueuePolicy)

    def __call__(self, principal: Principal, entry_id: str) -> QueueEntry:
        authorize(principal, Permission.QUEUE_VIEW)
        now = self.clock.now()
        with self.uow:
            entry = _locked(self.uow, principal.tenant_id, entry_id)
            released = release(
                entry,
                actor=principal,
                now=now,
                routing=policy_in_force(self.uow, principal.tenant_id).policy,
                policy=self.policy,
            )
            self.uow.queue.update(released)
            Journal.of(self.uow, principal, now).audit(
                "queue.released",
                "queue_entry",
                entry_id,
                old=snapshot(entry),
                new=snapshot(released),
            )
            self.uow.commit()
            return released
