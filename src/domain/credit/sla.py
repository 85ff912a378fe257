"""Watching the queue's deadlines: warn once when a case's SLA is near, mark it once when it has
passed, and escalate a breached case to a senior who can take it over.

The steps are remembered on the entry (`sla_warned_at`, `sla_breached_at`, `escalated_to`), so
running the check again, or on two schedulers at once, never tells anyone the same thing twice:
an entry already warned is not warned again, a breach is marked once, and a breached entry is
not warned at all (a warning after the fact helps nobody). "Near" is what the queue summary
calls approaching (`domain.credit.queue.sla_status`), so the screen and the messages agree.

Escalation does not take the case away from whoever holds it: the senior is told and may take
it over (a senior holds queue:assign, so may release, reassign or decide it). Moving a case in
the middle of someone's review would lose their work, and a senior's own workload cap would
make escalation fail exactly when seniors are busiest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from attrs import evolve, frozen

from domain.credit.queue import CaseNotAvailable, QueueEntry, QueuePolicy, SlaStatus, WrongTenant
from domain.errors import PermissionDenied
from domain.identity import Permission, Principal, can


@frozen
class SlaActions:
    """What the SLA check must do now: the entries to warn, and those to mark breached."""

    warn: tuple[QueueEntry, ...] = ()
    breach: tuple[QueueEntry, ...] = ()


def needs_warning(entry: QueueEntry, now: datetime, policy: QueuePolicy) -> bool:
    return (
        entry.is_open
        and entry.sla_warned_at is None
        and entry.sla_breached_at is None
        and entry.sla(now, policy) is SlaStatus.APPROACHING
    )


def needs_breach(entry: QueueEntry, now: datetime, policy: QueuePolicy) -> bool:
    return (
        entry.is_open
        and entry.sla_breached_at is None
        and entry.sla(now, policy) is SlaStatus.BREACHED
    )


def sla_actions(entries: Iterable[QueueEntry], now: datetime, policy: QueuePolicy) -> SlaActions:
    """Which of `entries` to warn and which to mark breached at `now`, each earliest deadline
    first (ties by id); an entry is in at most one of the two, and in neither once done."""
    ordered = sorted(entries, key=lambda e: (e.sla_deadline, e.id))
    return SlaActions(
        warn=tuple(e for e in ordered if needs_warning(e, now, policy)),
        breach=tuple(e for e in ordered if needs_breach(e, now, policy)),
    )


def mark_warned(entry: QueueEntry, now: datetime, policy: QueuePolicy) -> QueueEntry:
    if not needs_warning(entry, now, policy):
        raise CaseNotAvailable(f"case {entry.id} needs no SLA warning now")
    return evolve(entry, sla_warned_at=now)


def mark_breached(entry: QueueEntry, now: datetime, policy: QueuePolicy) -> QueueEntry:
    if not needs_breach(entry, now, policy):
        raise CaseNotAvailable(f"case {entry.id} is not newly past its SLA deadline")
    return evolve(entry, sla_breached_at=now)


def can_take_over(person: Principal) -> bool:
    """A senior a breached case can go to: may reassign cases and decide them."""
    return can(person, Permission.QUEUE_ASSIGN) and can(person, Permission.DECISION_CREATE)


def escalate(entry: QueueEntry, senior: Principal) -> QueueEntry:
    """Record that the breached case went to `senior`; once per entry."""
    if senior.tenant_id != entry.tenant_id:
        raise WrongTenant("the case and the senior belong to different tenants")
    if entry.sla_breached_at is None or not entry.is_open or entry.escalated_to is not None:
        raise CaseNotAvailable(f"case {entry.id} is not an open breach waiting for escalation")
    if not can_take_over(senior):
        raise PermissionDenied(f"user {senior.user_id} cannot take over cases")
    if senior.user_id == entry.analyst_id:
        raise CaseNotAvailable(f"case {entry.id} is already held by user {senior.user_id}")
    return evolve(entry, escalated_to=senior.user_id)


def senior_for(entry: QueueEntry, seniors: Mapping[Principal, int]) -> Principal | None:
    """The senior to escalate `entry` to: of the tenant, able to take over, not the holder;
    the one with the fewest active cases (`seniors` maps each to that count), ties by id."""
    fit = [
        (load, senior.user_id, senior)
        for senior, load in seniors.items()
        if senior.tenant_id == entry.tenant_id
        and can_take_over(senior)
        and senior.user_id != entry.analyst_id
    ]
    return min(fit, key=lambda found: (found[0], found[1]))[2] if fit else None
