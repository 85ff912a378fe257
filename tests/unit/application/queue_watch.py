"""A queue seen by the periodic jobs: tenants, their staff and cases placed directly, over the
fakes, so each test of the SLA check or auto-assignment spells out only the cases it is about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from application.credit.ports import OutboxMessage
from domain.audit import AuditEvent
from domain.credit.queue import QueueEntry, QueuePolicy, QueueStatus
from domain.identity import Permission, Principal, Role
from tests.builders import NOW, OTHER_TENANT, TENANT, a_queue_entry, a_tenant, a_user
from tests.fakes import FixedClock, InMemoryUnitOfWork, SequentialIds

T = TypeVar("T")

#: Who the scheduler acts as in the tenant: a system user that may assign cases.
SYSTEM = Principal(
    "system:scheduler", TENANT, Role.READONLY, extra_grants=frozenset({Permission.QUEUE_ASSIGN})
)


class QueueWatch:
    def __init__(self) -> None:
        self.uow = InMemoryUnitOfWork()
        self.clock = FixedClock(NOW)
        self.ids = SequentialIds("msg-")
        with self.uow:
            for tenant_id in (TENANT, OTHER_TENANT):
                self.uow.tenants.add(a_tenant(id=tenant_id, slug=tenant_id))
            self.uow.commit()

    def hire(
        self, user_id: str, role: Role, *, tenant_id: str = TENANT, active: bool = True
    ) -> None:
        with self.uow:
            email = f"{user_id}@{tenant_id}.example.com"
            self.uow.users.add(
                a_user(id=user_id, tenant_id=tenant_id, email=email, role=role, active=active)
            )
            self.uow.commit()

    def case(
        self,
        entry_id: str,
        deadline: datetime,
        *,
        status: QueueStatus = QueueStatus.PENDING,
        analyst_id: str | None = None,
        tenant_id: str = TENANT,
    ) -> QueueEntry:
        entry = a_queue_entry(
            id=entry_id,
            tenant_id=tenant_id,
            application_id=f"app-{entry_id}",
            status=status,
            analyst_id=analyst_id,
            entered_at=deadline - QueuePolicy().sla,
            deadline=deadline,
        )
        with self.uow:
            self.uow.queue.add(entry)
            self.uow.commit()
        return entry

    def holding(self, analyst_id: str, count: int) -> None:
        """`analyst_id` already holds `count` cases, far from their deadline."""
        for i in range(count):
            self.case(
                f"{analyst_id}-held-{i}",
                NOW + timedelta(hours=7),
                status=QueueStatus.IN_PROGRESS,
                analyst_id=analyst_id,
            )

    def read(self, look: Callable[[InMemoryUnitOfWork], T]) -> T:
        with self.uow:
            return look(self.uow)

    def entry(self, entry_id: str, tenant_id: str = TENANT) -> QueueEntry:
        found = self.read(lambda uow: uow.queue.get(tenant_id, entry_id))
        assert found is not None
        return found

    def messages(self, topic: str | None = None) -> list[OutboxMessage]:
        sent = self.read(lambda uow: uow.outbox.pending(1000))
        return [m for m in sent if topic is None or m.topic == topic]

    def events(self, tenant_id: str = TENANT) -> list[AuditEvent]:
        return self.read(lambda uow: uow.audit.events(tenant_id))
