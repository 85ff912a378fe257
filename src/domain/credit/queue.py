"""The analyst queue: who works which case, in what order, against which deadline.

Priority is an integer from 1 (most urgent) to 100. It rises with the time the SLA has left
running out, with the closeness of the score to a threshold (a near-miss is quick to settle and
a customer is waiting on it), with the amount, and with every time the case was released back
(a bounced case must not sink to the bottom). An analyst holds at most `max_active_cases` at once.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from attrs import evolve, frozen

from domain.credit.routing import RoutingPolicy
from domain.errors import ConflictError, DomainError, PermissionDenied
from domain.identity import Permission, Principal, can


class QueueStatus(StrEnum):
    PENDING = "pending"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class SlaStatus(StrEnum):
    OK = "ok"
    APPROACHING = "approaching"
    BREACHED = "breached"


class PriorityBand(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class CaseNotAvailable(ConflictError):
    """The case is not in a state that allows this step (taken, finished, or not yours)."""


class WorkloadCapReached(ConflictError):
    """The analyst already holds as many active cases as the policy allows."""


class WrongTenant(DomainError):
    """People and cases of different tenants never meet."""


@frozen
class QueuePolicy:
    sla: timedelta = timedelta(hours=8)
    sla_warning: timedelta = timedelta(hours=2)
    max_active_cases: int = 5
    amount_reference: Decimal = Decimal(100_000)
    max_counted_releases: int = 4
    weight_sla: float = 0.4
    weight_threshold: float = 0.2
    weight_amount: float = 0.2
    weight_releases: float = 0.2


def sla_deadline(entered_at: datetime, policy: QueuePolicy) -> datetime:
    return entered_at + policy.sla


def sla_status(deadline: datetime, now: datetime, policy: QueuePolicy) -> SlaStatus:
    if now >= deadline:
        return SlaStatus.BREACHED
    if deadline - now < policy.sla_warning:
        return SlaStatus.APPROACHING
    return SlaStatus.OK


def _unit(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def priority(
    *,
    score: float,
    amount: Decimal,
    time_left: timedelta,
    release_count: int,
    routing: RoutingPolicy,
    policy: QueuePolicy,
) -> int:
    """1 (most urgent) to 100; see the module docstring for what raises urgency."""
    sla_pressure = 1.0 - _unit(time_left / policy.sla)
    half_band = (routing.auto_approve_min - routing.auto_decline_max) / 2.0
    nearest = min(abs(score - routing.auto_approve_min), abs(score - routing.auto_decline_max))
    near_threshold = 1.0 - _unit(nearest / half_band)
    size = _unit(math.log1p(max(float(amount), 0.0)) / math.log1p(float(policy.amount_reference)))
    bounced = min(release_count, policy.max_counted_releases) / policy.max_counted_releases
    total_weight = (
        policy.weight_sla + policy.weight_threshold + policy.weight_amount + policy.weight_releases
    )
    urgency = (
        policy.weight_sla * sla_pressure
        + policy.weight_threshold * near_threshold
        + policy.weight_amount * size
        + policy.weight_releases * bounced
    ) / total_weight
    return 100 - round(99 * _unit(urgency))


def priority_band(value: int) -> PriorityBand:
    if value <= 33:
        return PriorityBand.HIGH
    if value <= 66:
        return PriorityBand.MEDIUM
    return PriorityBand.LOW


@frozen
class QueueEntry:
    """A case waiting for, or in the hands of, an analyst."""

    id: str
    tenant_id: str
    application_id: str
    status: QueueStatus
    priority: int
    score_at_routing: float
    amount: Decimal
    routing_reasons: tuple[str, ...]
    entered_at: datetime
    sla_deadline: datetime
    analyst_id: str | None = None
    assigned_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    release_count: int = 0
    #: When the SLA check warned that the deadline was near, and when it found it passed: each
    #: is done once per entry, so a person is never told the same thing twice (`domain.credit.sla`).
    sla_warned_at: datetime | None = None
    sla_breached_at: datetime | None = None
    #: The senior the breached case was escalated to (who may take it over), if any was found.
    escalated_to: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not QueueStatus.COMPLETED

    @property
    def is_active(self) -> bool:
        """Counts against the analyst's workload cap."""
        return self.status in (QueueStatus.ASSIGNED, QueueStatus.IN_PROGRESS)

    def sla(self, now: datetime, policy: QueuePolicy) -> SlaStatus:
        return sla_status(self.sla_deadline, now, policy)


def enqueue(
    *,
    entry_id: str,
    tenant_id: str,
    application_id: str,
    score: float,
    amount: Decimal,
    reasons: tuple[str, ...],
    now: datetime,
    routing: RoutingPolicy,
    policy: QueuePolicy,
) -> QueueEntry:
    """A new pending entry with its SLA deadline and first priority."""
    return QueueEntry(
        id=entry_id,
        tenant_id=tenant_id,
        application_id=application_id,
        status=QueueStatus.PENDING,
        priority=priority(
            score=score,
            amount=amount,
            time_left=policy.sla,
            release_count=0,
            routing=routing,
            policy=policy,
        ),
        score_at_routing=score,
        amount=amount,
        routing_reasons=reasons,
        entered_at=now,
        sla_deadline=sla_deadline(now, policy),
    )


def reprioritize(
    entry: QueueEntry, now: datetime, routing: RoutingPolicy, policy: QueuePolicy
) -> QueueEntry:
    """The same entry with its priority recomputed for `now` (the SLA clock moves)."""
    return evolve(
        entry,
        priority=priority(
            score=entry.score_at_routing,
            amount=entry.amount,
            time_left=entry.sla_deadline - now,
            release_count=entry.release_count,
            routing=routing,
            policy=policy,
        ),
    )


def _same_tenant(entry: QueueEntry, *people: Principal) -> None:
    if any(p.tenant_id != entry.tenant_id for p in people):
        raise WrongTenant("the case and the people acting on it belong to different tenants")


def assign(
    entry: QueueEntry,
    *,
    assignee: Principal,
    assignee_active_cases: int,
    actor: Principal,
    now: datetime,
    policy: QueuePolicy,
) -> QueueEntry:
    """Give a pending case to an analyst.

    The assignee must be able to decide (decision:create). Anyone may pick a case for themself;
    giving it to someone else needs queue:assign. The workload cap applies either way.
    """
    _same_tenant(entry, assignee, actor)
    if entry.status is not QueueStatus.PENDING:
        raise CaseNotAvailable(f"case {entry.id} is {entry.status}, not pending")
    if not can(assignee, Permission.DECISION_CREATE):
        raise PermissionDenied(f"user {assignee.user_id} cannot decide cases (decision:create)")
    if actor.user_id != assignee.user_id and not can(actor, Permission.QUEUE_ASSIGN):
        raise PermissionDenied(f"user {actor.user_id} cannot assign cases to others (queue:assign)")
    if assignee_active_cases >= policy.max_active_cases:
        raise WorkloadCapReached(
            f"user {assignee.user_id} already holds {assignee_active_cases} active cases "
            f"(the limit is {policy.max_active_cases})"
        )
    return evolve(entry, status=QueueStatus.ASSIGNED, analyst_id=assignee.user_id, assigned_at=now)


def start(entry: QueueEntry, *, actor: Principal, now: datetime) -> QueueEntry:
    """The assigned analyst opens the case; the review clock starts."""
    _same_tenant(entry, actor)
    if entry.status is not QueueStatus.ASSIGNED or entry.analyst_id != actor.user_id:
        raise CaseNotAvailable(f"case {entry.id} is not assigned to user {actor.user_id}")
    return evolve(entry, status=QueueStatus.IN_PROGRESS, started_at=now)


def release(
    entry: QueueEntry,
    *,
    actor: Principal,
    now: datetime,
    routing: RoutingPolicy,
    policy: QueuePolicy,
) -> QueueEntry:
    """Hand a case back to the queue; it comes back more urgent than it left."""
    _same_tenant(entry, actor)
    if not entry.is_active:
        raise CaseNotAvailable(f"case {entry.id} is {entry.status}; only a held case is released")
    if entry.analyst_id != actor.user_id and not can(actor, Permission.QUEUE_ASSIGN):
        raise PermissionDenied(f"user {actor.user_id} cannot release another analyst's case")
    return _back_to_queue(entry, now, routing, policy)


def complete(entry: QueueEntry, *, decider: Principal, now: datetime) -> QueueEntry:
    """The case was decided; it leaves the queue.

    A case is decided by the analyst who holds it; someone with queue:assign (a senior taking
    over a case) may decide it too, but nobody decides a case that nobody holds.
    """
    _same_tenant(entry, decider)
    if not entry.is_active:
        raise CaseNotAvailable(f"case {entry.id} is {entry.status}; only a held case is decided")
    if entry.analyst_id != decider.user_id and not can(decider, Permission.QUEUE_ASSIGN):
        raise PermissionDenied(f"user {decider.user_id} does not hold case {entry.id}")
    return evolve(entry, status=QueueStatus.COMPLETED, completed_at=now)


def reopen(
    entry: QueueEntry, *, now: datetime, routing: RoutingPolicy, policy: QueuePolicy
) -> QueueEntry:
    """A rejected override sends its case back to the queue, counted as a release."""
    if entry.status is not QueueStatus.COMPLETED:
        raise CaseNotAvailable(f"case {entry.id} is {entry.status}; only a completed case reopens")
    return _back_to_queue(evolve(entry, completed_at=None), now, routing, policy)


def _back_to_queue(
    entry: QueueEntry, now: datetime, routing: RoutingPolicy, policy: QueuePolicy
) -> QueueEntry:
    bounced = evolve(
        entry,
        status=QueueStatus.PENDING,
        analyst_id=None,
        assigned_at=None,
        started_at=None,
        release_count=entry.release_count + 1,
    )
    return reprioritize(bounced, now, routing, policy)
