from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.queue import (
    CaseNotAvailable,
    PriorityBand,
    QueueEntry,
    QueuePolicy,
    QueueStatus,
    SlaStatus,
    WorkloadCapReached,
    WrongTenant,
    assign,
    complete,
    enqueue,
    priority,
    priority_band,
    release,
    reopen,
    start,
)
from domain.errors import PermissionDenied
from domain.identity import Principal, Role

from .strategies import scores

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
POLICY = QueuePolicy()
ROUTING = DEFAULT_ROUTING_POLICY

analyst = Principal("u-ana", "t-1", Role.ANALYST)
colleague = Principal("u-bob", "t-1", Role.ANALYST)
senior = Principal("u-sen", "t-1", Role.SENIOR_ANALYST)
viewer = Principal("u-view", "t-1", Role.READONLY)

amounts = st.integers(min_value=1, max_value=5_000_000).map(Decimal)
time_left = st.integers(min_value=-10 * 3600, max_value=8 * 3600).map(
    lambda s: timedelta(seconds=s)
)
releases = st.integers(min_value=0, max_value=10)


def _entry(score: float = 620.0, amount: Decimal = Decimal(20_000)) -> QueueEntry:
    return enqueue(
        entry_id="q-1",
        tenant_id="t-1",
        application_id="a-1",
        score=score,
        amount=amount,
        reasons=("borderline_score",),
        now=NOW,
        routing=ROUTING,
        policy=POLICY,
    )


def _priority(score: float, amount: Decimal, left: timedelta, released: int) -> int:
    return priority(
        score=score,
        amount=amount,
        time_left=left,
        release_count=released,
        routing=ROUTING,
        policy=POLICY,
    )


@given(scores, amounts, time_left, releases)
def test_property_priority_stays_between_1_and_100(
    score: float, amount: Decimal, left: timedelta, released: int
) -> None:
    assert 1 <= _priority(score, amount, left, released) <= 100


@given(scores, amounts, time_left, time_left, releases)
def test_property_less_sla_time_left_never_makes_a_case_less_urgent(
    score: float, amount: Decimal, a: timedelta, b: timedelta, released: int
) -> None:
    less, more = sorted((a, b))
    assert _priority(score, amount, less, released) <= _priority(score, amount, more, released)


@given(scores, amounts, time_left, releases)
def test_property_a_release_never_makes_a_case_less_urgent(
    score: float, amount: Decimal, left: timedelta, released: int
) -> None:
    assert _priority(score, amount, left, released + 1) <= _priority(score, amount, left, released)


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=20))
def test_property_the_workload_cap_is_never_exceeded(active: int, cap: int) -> None:
    policy = QueuePolicy(max_active_cases=cap)
    entry = _entry()
    if active >= cap:
        with pytest.raises(WorkloadCapReached, match=f"the limit is {cap}"):
            assign(
                entry,
                assignee=analyst,
                assignee_active_cases=active,
                actor=analyst,
                now=NOW,
                policy=policy,
            )
    else:
        taken = assign(
            entry,
            assignee=analyst,
            assignee_active_cases=active,
            actor=analyst,
            now=NOW,
            policy=policy,
        )
        assert taken.analyst_id == analyst.user_id


def test_a_case_entering_the_queue_has_an_eight_hour_sla() -> None:
    entry = _entry()
    assert entry.status is QueueStatus.PENDING
    assert entry.sla_deadline == NOW + timedelta(hours=8)
    assert entry.sla(NOW, POLICY) is SlaStatus.OK
    assert entry.sla(NOW + timedelta(hours=6, seconds=1), POLICY) is SlaStatus.APPROACHING
    assert entry.sla(NOW + timedelta(hours=8), POLICY) is SlaStatus.BREACHED


def test_priority_bands() -> None:
    assert [priority_band(p) for p in (1, 33, 34, 66, 67, 100)] == [
        PriorityBand.HIGH,
        PriorityBand.HIGH,
        PriorityBand.MEDIUM,
        PriorityBand.MEDIUM,
        PriorityBand.LOW,
        PriorityBand.LOW,
    ]


def test_the_whole_path_of_a_case() -> None:
    entry = assign(
        _entry(), assignee=analyst, assignee_active_cases=0, actor=analyst, now=NOW, policy=POLICY
    )
    later = NOW + timedelta(minutes=5)
    working = start(entry, actor=analyst, now=later)
    assert (working.status, working.started_at) == (QueueStatus.IN_PROGRESS, later)
    done = complete(working, decider=analyst, now=later + timedelta(minutes=20))
    assert done.status is QueueStatus.COMPLETED
    assert not done.is_open


def test_giving_a_case_to_someone_else_needs_queue_assign() -> None:
    with pytest.raises(PermissionDenied, match="queue:assign"):
        assign(
            _entry(),
            assignee=colleague,
            assignee_active_cases=0,
            actor=analyst,
            now=NOW,
            policy=POLICY,
        )
    given_out = assign(
        _entry(), assignee=colleague, assignee_active_cases=0, actor=senior, now=NOW, policy=POLICY
    )
    assert given_out.analyst_id == colleague.user_id


def test_someone_who_cannot_decide_is_never_given_a_case() -> None:
    with pytest.raises(PermissionDenied, match="decision:create"):
        assign(
            _entry(), assignee=viewer, assignee_active_cases=0, actor=senior, now=NOW, policy=POLICY
        )


def test_a_taken_case_cannot_be_taken_again_or_started_by_another() -> None:
    taken = assign(
        _entry(), assignee=analyst, assignee_active_cases=0, actor=analyst, now=NOW, policy=POLICY
    )
    with pytest.raises(CaseNotAvailable):
        assign(
            taken,
            assignee=colleague,
            assignee_active_cases=0,
            actor=colleague,
            now=NOW,
            policy=POLICY,
        )
    with pytest.raises(CaseNotAvailable):
        start(taken, actor=colleague, now=NOW)


def test_a_released_case_goes_back_pending_and_more_urgent() -> None:
    entry = _entry()
    taken = assign(
        entry, assignee=analyst, assignee_active_cases=0, actor=analyst, now=NOW, policy=POLICY
    )
    back = release(
        start(taken, actor=analyst, now=NOW), actor=analyst, now=NOW, routing=ROUTING, policy=POLICY
    )
    assert back.status is QueueStatus.PENDING
    assert (back.analyst_id, back.assigned_at, back.started_at) == (None, None, None)
    assert back.release_count == 1
    assert back.priority < entry.priority
    with pytest.raises(PermissionDenied):
        release(taken, actor=colleague, now=NOW, routing=ROUTING, policy=POLICY)


def test_a_rejected_override_reopens_a_completed_case() -> None:
    taken = assign(
        _entry(), assignee=analyst, assignee_active_cases=0, actor=analyst, now=NOW, policy=POLICY
    )
    done = complete(taken, decider=analyst, now=NOW)
    again = reopen(done, now=NOW, routing=ROUTING, policy=POLICY)
    assert (again.status, again.completed_at, again.release_count) == (QueueStatus.PENDING, None, 1)
    with pytest.raises(CaseNotAvailable):
        reopen(again, now=NOW, routing=ROUTING, policy=POLICY)


def test_people_of_another_tenant_never_touch_a_case() -> None:
    stranger = evolve(senior, tenant_id="t-2")
    with pytest.raises(WrongTenant):
        assign(
            _entry(),
            assignee=stranger,
            assignee_active_cases=0,
            actor=stranger,
            now=NOW,
            policy=POLICY,
        )


def test_a_case_is_decided_by_whoever_holds_it_or_a_senior() -> None:
    taken = assign(
        _entry(), assignee=analyst, assignee_active_cases=0, actor=analyst, now=NOW, policy=POLICY
    )
    with pytest.raises(PermissionDenied, match="does not hold"):
        complete(taken, decider=colleague, now=NOW)
    assert complete(taken, decider=senior, now=NOW).status is QueueStatus.COMPLETED
    with pytest.raises(CaseNotAvailable, match="only a held case"):
        complete(_entry(), decider=analyst, now=NOW)
