"""Auto-assignment: only pending cases near their SLA, to analysts of the tenant under the cap,
least loaded first."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.auto_assignment import pick_assignee, plan_assignments
from domain.credit.queue import QueueEntry, QueuePolicy, QueueStatus
from domain.identity import Permission, Principal, Role
from tests.builders import a_queue_entry

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
POLICY = QueuePolicy(max_active_cases=3)
WITHIN = timedelta(hours=2)
HOUR = timedelta(hours=1)
ana = Principal("u-ana", "tenant-a", Role.ANALYST)
bob = Principal("u-bob", "tenant-a", Role.ANALYST)
viewer = Principal("u-ro", "tenant-a", Role.READONLY)
other = Principal("u-eve", "tenant-b", Role.ANALYST)


def _pending(deadline: datetime, tenant_id: str = "tenant-a") -> QueueEntry:
    return a_queue_entry(deadline=deadline, tenant_id=tenant_id)


def _pick(entry: QueueEntry, analysts: dict[Principal, int]) -> Principal | None:
    return pick_assignee(entry, analysts, now=NOW, within=WITHIN, policy=POLICY)


def test_only_a_pending_case_due_within_the_horizon_is_handed_out() -> None:
    assert _pick(_pending(NOW + WITHIN), {ana: 0}) == ana
    assert _pick(_pending(NOW - HOUR), {ana: 0}) == ana  # already late: all the more
    assert _pick(_pending(NOW + WITHIN + timedelta(seconds=1)), {ana: 0}) is None
    held = a_queue_entry(status=QueueStatus.ASSIGNED, deadline=NOW)
    assert _pick(held, {ana: 0}) is None


def test_the_least_loaded_analyst_gets_it_ties_by_id() -> None:
    due = _pending(NOW + HOUR)
    assert _pick(due, {ana: 2, bob: 1}) == bob
    assert _pick(due, {bob: 1, ana: 1}) == ana


def test_nobody_at_the_cap_who_cannot_decide_or_of_another_tenant_gets_it() -> None:
    assert _pick(_pending(NOW), {ana: 3, viewer: 0, other: 0}) is None
    denied = evolve(bob, denials=frozenset({Permission.DECISION_CREATE}))
    assert _pick(_pending(NOW), {denied: 0}) is None


def test_a_plan_hands_out_the_most_urgent_first_and_counts_what_it_gave() -> None:
    entries = [
        evolve(_pending(NOW + i * timedelta(minutes=10)), id=f"e-{i}", application_id=f"a-{i}")
        for i in range(5)
    ]
    plan = plan_assignments(
        reversed(entries), {ana: 1, bob: 2}, now=NOW, within=WITHIN, policy=POLICY
    )
    assert [(a.entry.id, a.analyst.user_id) for a in plan] == [
        ("e-0", "u-ana"),
        ("e-1", "u-ana"),  # ana 2, bob 2: ties by id
        ("e-2", "u-bob"),
    ]  # both at the cap of 3: e-3 and e-4 wait


tenants = st.sampled_from(["tenant-a", "tenant-b"])
people = st.builds(
    Principal,
    user_id=st.sampled_from([f"u-{i}" for i in range(6)]),
    tenant_id=tenants,
    role=st.sampled_from(Role),
)
cases = st.builds(
    lambda i, tenant, minutes, status: evolve(
        a_queue_entry(
            tenant_id=tenant, status=status, deadline=NOW + minutes * timedelta(minutes=1)
        ),
        id=f"e-{i}",
    ),
    st.integers(0, 50),
    tenants,
    st.integers(-300, 300),
    st.sampled_from(QueueStatus),
)


@given(
    st.lists(cases, max_size=25, unique_by=lambda e: e.id),
    st.dictionaries(people, st.integers(0, 5), max_size=6),
)
def test_a_plan_never_exceeds_a_cap_crosses_tenants_or_takes_a_case_not_due(
    entries: list[QueueEntry], analysts: dict[Principal, int]
) -> None:
    plan = plan_assignments(entries, analysts, now=NOW, within=WITHIN, policy=POLICY)
    given_to = Counter(a.analyst for a in plan)
    for analyst, count in given_to.items():
        assert analysts[analyst] + count <= POLICY.max_active_cases
    for assignment in plan:
        entry, analyst = assignment.entry, assignment.analyst
        assert entry.tenant_id == analyst.tenant_id
        assert entry.status is QueueStatus.PENDING
        assert entry.sla_deadline - NOW <= WITHIN
    assert len({a.entry.id for a in plan}) == len(plan)
