"""The SLA watch: warn once, breach once, escalate to the least-loaded senior who can take over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.queue import (
    CaseNotAvailable,
    QueueEntry,
    QueuePolicy,
    QueueStatus,
    WrongTenant,
)
from domain.credit.sla import (
    escalate,
    mark_breached,
    mark_warned,
    senior_for,
    sla_actions,
)
from domain.errors import PermissionDenied
from domain.identity import Permission, Principal, Role
from tests.builders import a_queue_entry

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
POLICY = QueuePolicy()
MINUTE = timedelta(minutes=1)
senior = Principal("u-sen", "tenant-a", Role.SENIOR_ANALYST)
senior_2 = Principal("u-sen2", "tenant-a", Role.SENIOR_ANALYST)
elsewhere = Principal("u-sen3", "tenant-b", Role.SENIOR_ANALYST)
analyst = Principal("u-ana", "tenant-a", Role.ANALYST)


def _entry(
    deadline: datetime, status: QueueStatus = QueueStatus.PENDING, analyst_id: str | None = None
) -> QueueEntry:
    return a_queue_entry(status=status, deadline=deadline, analyst_id=analyst_id)


def test_a_case_is_warned_once_it_is_less_than_the_warning_time_from_its_deadline() -> None:
    at_two_hours = _entry(NOW + POLICY.sla_warning)
    assert sla_actions([at_two_hours], NOW, POLICY).warn == ()
    (warned,) = sla_actions([at_two_hours], NOW + MINUTE, POLICY).warn
    marked = mark_warned(warned, NOW + MINUTE, POLICY)
    assert marked.sla_warned_at == NOW + MINUTE
    assert sla_actions([marked], NOW + 2 * MINUTE, POLICY) == sla_actions([], NOW, POLICY)


def test_a_case_is_breached_at_its_deadline_and_then_never_warned() -> None:
    entry = _entry(NOW)
    actions = sla_actions([entry], NOW, POLICY)
    assert actions.warn == ()
    assert actions.breach == (entry,)
    breached = mark_breached(entry, NOW, POLICY)
    assert breached.sla_breached_at == NOW
    later = sla_actions([breached], NOW + timedelta(days=3), POLICY)
    assert later.warn == later.breach == ()


def test_a_completed_case_is_neither_warned_nor_breached() -> None:
    done = _entry(NOW - MINUTE, QueueStatus.COMPLETED)
    assert sla_actions([done, evolve(done, sla_deadline=NOW + MINUTE)], NOW, POLICY).warn == ()
    with pytest.raises(CaseNotAvailable):
        mark_breached(done, NOW, POLICY)


def test_marking_twice_is_refused() -> None:
    warned = mark_warned(_entry(NOW + MINUTE), NOW, POLICY)
    with pytest.raises(CaseNotAvailable):
        mark_warned(warned, NOW, POLICY)
    breached = mark_breached(_entry(NOW), NOW, POLICY)
    with pytest.raises(CaseNotAvailable):
        mark_breached(breached, NOW, POLICY)


deadlines = st.integers(min_value=-600, max_value=600).map(lambda m: NOW + m * MINUTE)
statuses = st.sampled_from(QueueStatus)
steps = st.lists(st.integers(min_value=0, max_value=90), min_size=1, max_size=30)


@given(st.lists(st.tuples(deadlines, statuses), min_size=1, max_size=8), steps)
def test_runs_at_any_times_warn_and_breach_each_case_at_most_once(
    cases: list[tuple[datetime, QueueStatus]], gaps: list[int]
) -> None:
    entries = {
        f"e-{i}": evolve(a_queue_entry(status=s, deadline=d), id=f"e-{i}")
        for i, (d, s) in enumerate(cases)
    }
    warnings: list[str] = []
    breaches: list[str] = []
    now = NOW - timedelta(hours=10)
    for gap in gaps:
        now += gap * MINUTE
        actions = sla_actions(entries.values(), now, POLICY)
        for entry in actions.warn:
            assert now < entry.sla_deadline < now + POLICY.sla_warning
            entries[entry.id] = mark_warned(entry, now, POLICY)
            warnings.append(entry.id)
        for entry in actions.breach:
            assert now >= entry.sla_deadline  # a breach is a deadline passed
            entries[entry.id] = mark_breached(entry, now, POLICY)
            breaches.append(entry.id)
    assert len(warnings) == len(set(warnings))
    assert len(breaches) == len(set(breaches))
    assert not set(warnings) & {e.id for e in entries.values() if not e.is_open}


def test_escalation_records_the_senior_once() -> None:
    breached = mark_breached(_entry(NOW, QueueStatus.ASSIGNED, analyst_id="u-ana"), NOW, POLICY)
    escalated = escalate(breached, senior)
    assert escalated.escalated_to == "u-sen"
    assert escalated.analyst_id == "u-ana"  # the case stays with its analyst
    with pytest.raises(CaseNotAvailable):
        escalate(escalated, senior_2)


def test_escalation_needs_a_breach_a_senior_of_the_tenant_and_not_the_holder() -> None:
    breached = mark_breached(_entry(NOW), NOW, POLICY)
    with pytest.raises(CaseNotAvailable):
        escalate(_entry(NOW), senior)
    with pytest.raises(WrongTenant):
        escalate(breached, elsewhere)
    with pytest.raises(PermissionDenied):
        escalate(breached, analyst)
    held = evolve(breached, status=QueueStatus.ASSIGNED, analyst_id="u-sen")
    with pytest.raises(CaseNotAvailable):
        escalate(held, senior)


def test_the_senior_is_the_least_loaded_then_the_first_by_id() -> None:
    breached = mark_breached(_entry(NOW), NOW, POLICY)
    assert senior_for(breached, {senior: 3, senior_2: 1}) == senior_2
    assert senior_for(breached, {senior_2: 2, senior: 2}) == senior
    assert senior_for(breached, {}) is None


def test_the_senior_is_never_the_holder_another_tenants_or_one_who_cannot_take_over() -> None:
    held = evolve(
        mark_breached(_entry(NOW), NOW, POLICY), status=QueueStatus.ASSIGNED, analyst_id="u-sen"
    )
    denied = evolve(senior_2, denials=frozenset({Permission.QUEUE_ASSIGN}))
    assert senior_for(held, {senior: 0, denied: 0, elsewhere: 0, analyst: 0}) is None
    assert senior_for(held, {senior: 0, senior_2: 9}) == senior_2
