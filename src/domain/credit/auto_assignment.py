"""Auto-assignment: a pending case about to miss its SLA goes to an analyst with room for it.

Only cases whose deadline is near (within `within` of now) are handed out: the rest wait for
analysts to pick them, which is how a desk prefers to work. The analyst must be of the case's
tenant and able to decide it, and below the workload cap; among those, the one holding the
fewest active cases gets it (ties by user id, so the choice is the same on every scheduler).
A plan hands out cases most urgent first and counts each case it gives against the analyst's
load, so one run never takes anyone over the cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from attrs import frozen

from domain.credit.queue import QueueEntry, QueuePolicy, QueueStatus
from domain.identity import Permission, Principal, can

#: By default a case is handed out when it enters the SLA warning window of the default policy.
DEFAULT_WITHIN = QueuePolicy().sla_warning


def due_for_assignment(entry: QueueEntry, now: datetime, within: timedelta) -> bool:
    """A pending case whose deadline falls within `within` of `now` (or has passed)."""
    return entry.status is QueueStatus.PENDING and entry.sla_deadline - now <= within


def pick_assignee(
    entry: QueueEntry,
    analysts: Mapping[Principal, int],
    *,
    now: datetime,
    within: timedelta,
    policy: QueuePolicy,
) -> Principal | None:
    """Who gets `entry` now, or None; `analysts` maps each candidate to their active cases."""
    if not due_for_assignment(entry, now, within):
        return None
    fit = [
        (load, analyst.user_id, analyst)
        for analyst, load in analysts.items()
        if analyst.tenant_id == entry.tenant_id
        and can(analyst, Permission.DECISION_CREATE)
        and load < policy.max_active_cases
    ]
    return min(fit, key=lambda found: (found[0], found[1]))[2] if fit else None


@frozen
class Assignment:
    entry: QueueEntry
    analyst: Principal


def plan_assignments(
    entries: Iterable[QueueEntry],
    analysts: Mapping[Principal, int],
    *,
    now: datetime,
    within: timedelta,
    policy: QueuePolicy,
) -> tuple[Assignment, ...]:
    """Who gets which of `entries`, earliest deadline first (ties by id)."""
    loads = dict(analysts)
    plan: list[Assignment] = []
    for entry in sorted(entries, key=lambda e: (e.sla_deadline, e.id)):
        analyst = pick_assignee(entry, loads, now=now, within=within, policy=policy)
        if analyst is not None:
            loads[analyst] += 1
            plan.append(Assignment(entry, analyst))
    return tuple(plan)
