"""Auto-assignment, run every minute for each tenant: pending cases near their SLA go to
analysts with room for them (`domain.credit.auto_assignment`).

The plan is drawn from one read of the queue and the analysts' loads; each assignment then
commits alone, with its audit event and `case.assigned` message, under the entry's lock and
through the domain's `assign` with a fresh count of the analyst's active cases. A case taken
by a person meanwhile is left alone, and an analyst who filled up meanwhile is not given more:
the case waits for the next run. (A person assigning at the very same moment is counted by
`AssignCase`, which does not hold the tenant's chain while it counts; the cap may then be
passed by one, as between two people assigning at once.)
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from attrs import field, frozen, validators

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import snapshot
from application.ports import Clock, IdGenerator
from domain.credit.auto_assignment import (
    DEFAULT_WITHIN,
    Assignment,
    due_for_assignment,
    plan_assignments,
)
from domain.credit.queue import QueueEntry, QueuePolicy, WorkloadCapReached, assign
from domain.identity import Permission, Principal, Role, authorize


@frozen
class AutoAssign:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    policy: QueuePolicy = field(factory=QueuePolicy)
    #: A pending case is handed out once its deadline is this close.
    within: timedelta = DEFAULT_WITHIN
    #: Whose work it is: analysts; seniors are kept free for escalations.
    roles: Collection[Role] = (Role.ANALYST,)
    batch: int = field(default=200, validator=validators.ge(1))

    def __call__(self, principal: Principal) -> tuple[QueueEntry, ...]:
        """Assign in the principal's tenant, who needs queue:assign; the entries assigned."""
        authorize(principal, Permission.QUEUE_ASSIGN)
        now = self.clock.now()
        tenant_id = principal.tenant_id
        with self.uow:
            due = self.uow.queue.pending_due(tenant_id, before=now + self.within, limit=self.batch)
            if not due:
                return ()
            people = self.uow.users.active_with_roles(tenant_id, self.roles)
            loads = self.uow.queue.active_counts(tenant_id)
        analysts = {user.principal(): loads.get(user.id, 0) for user in people}
        plan = plan_assignments(due, analysts, now=now, within=self.within, policy=self.policy)
        done = (self._assign(principal, planned, now) for planned in plan)
        return tuple(entry for entry in done if entry is not None)

    def _assign(self, actor: Principal, planned: Assignment, now: datetime) -> QueueEntry | None:
        tenant_id = actor.tenant_id
        analyst = planned.analyst
        with self.uow:
            # Every change of the tenant holds its audit chain until it commits; holding it
            # from the start keeps the analyst's count from changing under the cap check when
            # two runs assign at once.
            self.uow.audit.head(tenant_id, for_append=True)
            entry = self.uow.queue.lock(tenant_id, planned.entry.id)
            if entry is None or not due_for_assignment(entry, now, self.within):
                return None  # taken, decided or gone since the plan was drawn
            try:
                assigned = assign(
                    entry,
                    assignee=analyst,
                    assignee_active_cases=self.uow.queue.active_count(tenant_id, analyst.user_id),
                    actor=actor,
                    now=now,
                    policy=self.policy,
                )
            except WorkloadCapReached:
                return None
            self.uow.queue.update(assigned)
            journal = Journal.of(self.uow, actor, now)
            journal.audit(
                "queue.assigned",
                "queue_entry",
                entry.id,
                old=snapshot(entry),
                new=snapshot(assigned),
            )
            journal.emit(
                self.ids,
                Topic.CASE_ASSIGNED,
                {
                    "entry_id": entry.id,
                    "application_id": entry.application_id,
                    "analyst_id": analyst.user_id,
                    "assigned_by": actor.user_id,
                },
            )
            self.uow.commit()
            return assigned
