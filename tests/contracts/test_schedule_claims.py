"""Contract of `ScheduleClaims`: one winner per (job, slot), however many claim it at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from adapters.sql import create_engine_for
from adapters.sql.schedule_claims import SqlScheduleClaims
from application.credit.ports import ScheduleClaims
from tests.builders import NOW
from tests.fakes import InMemoryScheduleClaims

MINUTE = timedelta(minutes=1)
RACERS = 8


def _memory(_request: pytest.FixtureRequest) -> ScheduleClaims:
    return InMemoryScheduleClaims()


def _sql(database_fixture: str) -> Callable[[pytest.FixtureRequest], ScheduleClaims]:
    def make(request: pytest.FixtureRequest) -> ScheduleClaims:
        engine = create_engine_for(request.getfixturevalue(database_fixture), pool_size=RACERS)
        request.addfinalizer(engine.dispose)
        return SqlScheduleClaims(engine)

    return make


IMPLEMENTATIONS = {
    "memory": _memory,
    "sqlite": _sql("sqlite_database"),
    "postgresql": _sql("postgres_database"),
}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def claims(request: pytest.FixtureRequest) -> ScheduleClaims:
    return IMPLEMENTATIONS[request.param](request)


def test_a_slot_is_claimed_once_and_other_slots_and_jobs_are_free(claims: ScheduleClaims) -> None:
    assert claims.claim("sla_check", NOW, holder="host-a", at=NOW)
    assert not claims.claim("sla_check", NOW, holder="host-b", at=NOW)
    assert not claims.claim("sla_check", NOW, holder="host-a", at=NOW + MINUTE)
    assert claims.claim("sla_check", NOW + MINUTE, holder="host-b", at=NOW + MINUTE)
    assert claims.claim("clean_up", NOW, holder="host-b", at=NOW)


def test_forgetting_old_claims_frees_nothing_current(claims: ScheduleClaims) -> None:
    for minutes in range(4):
        assert claims.claim("sla_check", NOW + minutes * MINUTE, holder="host-a", at=NOW)
    assert claims.forget_before(NOW + 2 * MINUTE) == 2
    assert claims.forget_before(NOW + 2 * MINUTE) == 0
    assert not claims.claim("sla_check", NOW + 2 * MINUTE, holder="host-b", at=NOW)
    assert claims.claim("sla_check", NOW, holder="host-b", at=NOW)  # forgotten, so free


def test_of_schedulers_claiming_one_slot_at_once_exactly_one_wins(claims: ScheduleClaims) -> None:
    start = threading.Barrier(RACERS)

    def race(holder: int) -> bool:
        start.wait()
        return claims.claim("sla_check", NOW, holder=f"host-{holder}", at=NOW)

    for _round in range(3):
        with ThreadPoolExecutor(RACERS) as pool:
            won = list(pool.map(race, range(RACERS)))
        assert won.count(True) == 1
        assert claims.forget_before(NOW + MINUTE) == 1  # free the slot for the next round
