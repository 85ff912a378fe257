"""Two schedulers (two threads, each with its own adapters) on one PostgreSQL database act once.

A tenant has cases to warn, to mark breached and escalate, and to auto-assign. Both schedulers
run every due job at the same moment; then, without the claims, two SLA checks and two
auto-assignments run at once. Either way every case is warned, breached, escalated and assigned
exactly once, counted in the audit trail and the outbox.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from attrs import evolve
from sqlalchemy import URL

from application.credit.auto_assign import AutoAssign
from application.credit.check_sla import CheckSla
from application.credit.recording import Topic
from domain.credit.queue import QueuePolicy
from domain.identity import Permission, Role
from entrypoints import scheduler
from entrypoints.composition import Deps, build
from entrypoints.periodic_jobs import scheduler_principal
from entrypoints.settings import Settings
from tests.builders import TENANT, a_queue_entry, a_tenant, a_user, an_application
from tests.fakes import FixedClock

pytestmark = pytest.mark.integration
T = TypeVar("T")

NOW = datetime(2026, 11, 22, 9, 30, 20, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
ANALYSTS = ("user-ana", "user-bob")
SENIORS = ("user-sen", "user-sen2")
CAP = QueuePolicy().max_active_cases
#: Breached cases (to escalate), near ones (to warn) and pending near ones (also to assign).
BREACHED, NEAR = 6, 14


@pytest.fixture
def clock() -> FixedClock:
    """The time both schedulers read."""
    return FixedClock(NOW)


@pytest.fixture
def pair(postgres_database: URL, tmp_path: Path, clock: FixedClock) -> Iterator[list[Deps]]:
    """Two sets of adapters (two engines, two pools) on one database, as two hosts have."""
    url = postgres_database.render_as_string(hide_password=False)
    built = [
        evolve(build(Settings(data_dir=tmp_path / f"s{i}", database_url=url)), clock=clock)
        for i in range(2)
    ]
    _populate(built[0])
    yield built
    for deps in built:
        deps.close()


def _populate(deps: Deps) -> None:
    with deps.uow() as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
        staff = [(a, Role.ANALYST) for a in ANALYSTS] + [(s, Role.SENIOR_ANALYST) for s in SENIORS]
        for user_id, role in staff:
            uow.users.add(a_user(id=user_id, email=f"{user_id}@example.com", role=role))
        deadlines = [NOW - (i + 1) * MINUTE for i in range(BREACHED)]
        deadlines += [NOW + (i + 1) * 5 * MINUTE for i in range(NEAR)]
        for i, deadline in enumerate(deadlines):
            uow.applications.add(an_application(id=f"app-{i}"))
            uow.queue.add(a_queue_entry(id=f"e-{i}", application_id=f"app-{i}", deadline=deadline))
        uow.commit()


def _at_once(each: list[Deps], call: Callable[[Deps], T]) -> list[T]:
    """`call(deps)` for each of `each`, in threads let go at the same moment."""
    start = threading.Barrier(len(each))

    def go(deps: Deps) -> T:
        start.wait()
        return call(deps)

    with ThreadPoolExecutor(len(each)) as pool:
        return list(pool.map(go, each))


def _tally(deps: Deps) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Audit actions, outbox topics, and entries per (action, entry)."""
    with deps.uow() as uow:
        events = uow.audit.events(TENANT)
        messages = uow.outbox.pending(10_000)
    per_entry = Counter(f"{e.action}:{e.entity_id}" for e in events)
    return Counter(e.action for e in events), Counter(m.topic for m in messages), per_entry


def _assert_acted_once(deps: Deps) -> None:
    actions, topics, per_entry = _tally(deps)
    assert actions["queue.sla_breached"] == topics[Topic.CASE_SLA_BREACHED] == BREACHED
    assert actions["queue.escalated"] == topics[Topic.CASE_ESCALATED] == BREACHED
    assert actions["queue.sla_warned"] == topics[Topic.CASE_SLA_WARNING] == NEAR
    assert actions["queue.assigned"] == topics[Topic.CASE_ASSIGNED] == len(ANALYSTS) * CAP
    assert max(per_entry.values()) == 1, "a case was acted on twice"
    with deps.uow() as uow:
        loads = uow.queue.active_counts(TENANT)
    assert loads == dict.fromkeys(ANALYSTS, CAP)


def test_two_schedulers_running_the_same_due_jobs_at_once_act_once(
    pair: list[Deps], clock: FixedClock
) -> None:
    stop = threading.Event()
    ran = _at_once(pair, lambda deps: scheduler.run(deps, stop, once=True))

    assert sorted(ran[0] + ran[1]) == sorted(
        ["sla_check", "auto_assign", "model_check", "clean_up"]
    )
    _assert_acted_once(pair[0])

    clock.advance(timedelta(seconds=20))  # later in the same minute: nothing is due
    before = _tally(pair[0])
    assert _at_once(pair, lambda deps: scheduler.run(deps, stop, once=True)) == [[], []]
    assert _tally(pair[1]) == before


def test_sla_checks_and_auto_assignments_running_at_once_without_claims_act_once(
    pair: list[Deps],
) -> None:
    principal = scheduler_principal(TENANT, Permission.QUEUE_ASSIGN)
    four = [*pair, *pair]
    _at_once(four, lambda deps: CheckSla(deps.uow(), deps.clock, deps.ids)(principal))
    _at_once(four, lambda deps: AutoAssign(deps.uow(), deps.clock, deps.ids)(principal))
    _assert_acted_once(pair[0])
