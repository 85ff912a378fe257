"""What the queue screen shows: the list of cases, and the summary above it."""

from __future__ import annotations

from attrs import field, frozen

from application.credit.ports import UnitOfWork
from application.credit.queries import (
    Page,
    PriorityBandBounds,
    QueueCounts,
    QueueQuery,
    page_problems,
)
from application.ports import Clock
from domain.credit.queue import PriorityBand, QueueEntry, QueuePolicy, priority_band
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

_PRIORITIES = range(1, 101)


def band_bounds() -> PriorityBandBounds:
    """The band limits exactly as `domain.credit.queue.priority_band` draws them, so the counts
    a repository makes in SQL can never disagree with the band shown on a case."""
    return PriorityBandBounds(
        high_max=max(p for p in _PRIORITIES if priority_band(p) is PriorityBand.HIGH),
        medium_max=max(p for p in _PRIORITIES if priority_band(p) is PriorityBand.MEDIUM),
    )


def queue_query_problems(query: QueueQuery) -> tuple[Problem, ...]:
    found = list(page_problems(query.page, query.page_size))
    if query.max_priority is not None and not 1 <= query.max_priority <= 100:
        found.append(Problem("max_priority", "must be between 1 and 100"))
    return tuple(found)


@frozen
class ListQueue:
    uow: UnitOfWork

    def __call__(self, principal: Principal, query: QueueQuery) -> Page[QueueEntry]:
        authorize(principal, Permission.QUEUE_VIEW)
        found = queue_query_problems(query)
        if found:
            raise ValidationFailed(found)
        with self.uow:
            return self.uow.queue.search(principal.tenant_id, query)


@frozen
class SummarizeQueue:
    """Open cases by status, by SLA (approaching within the policy's warning time, breached)
    and by priority band."""

    uow: UnitOfWork
    clock: Clock
    policy: QueuePolicy = field(factory=QueuePolicy)

    def __call__(self, principal: Principal) -> QueueCounts:
        authorize(principal, Permission.QUEUE_VIEW)
        now = self.clock.now()
        with self.uow:
            return self.uow.queue.counts(
                principal.tenant_id,
                now=now,
                approaching_before=now + self.policy.sla_warning,
                bands=band_bounds(),
            )
