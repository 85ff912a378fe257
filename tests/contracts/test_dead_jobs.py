"""The contract of `DeadJobRepository`: every implementation (tests/contracts/conftest.py)
passes it, the fake and the SQL adapter on SQLite and PostgreSQL alike.

Dead jobs are read across tenants, so unlike the per-tenant contracts a fresh tenant is no
empty store here: the Hypothesis property keeps a model of everything it stored instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import DeadJob, UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from tests.builders import NOW, OTHER_TENANT, TENANT, a_dead_job
from tests.contracts.parents import with_tenants

_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)

BELGRADE = timezone(timedelta(hours=1))


def _ids(uow: UnitOfWork, limit: int = 10, *, include_retried: bool = False) -> list[str]:
    return [job.id for job in uow.dead_jobs.list(limit=limit, include_retried=include_retried)]


def test_a_dead_job_comes_back_exactly(uow: UnitOfWork) -> None:
    # An offset other than UTC: the instant must survive the round trip, and come back aware.
    job = a_dead_job(failed_at=datetime(2026, 11, 22, 10, 30, tzinfo=BELGRADE))
    with uow:
        with_tenants(uow, TENANT)
        uow.dead_jobs.add(job)
        uow.commit()

    with uow:
        found = uow.dead_jobs.get("msg-1")
        assert found == job
        assert found is not None
        assert found.failed_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert found.failed_at.utcoffset() is not None
        assert found.retried_at is None
        assert dict(found.payload) == {"application_id": "app-1", "attempt": 5}
        assert found.error == "TimeoutError: the model server did not answer within 30 s"
        assert found.attempts == 5
        assert uow.dead_jobs.list(limit=10) == [job]
        assert uow.dead_jobs.get("msg-2") is None


def test_an_id_is_recorded_once_whatever_the_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.dead_jobs.add(a_dead_job("msg-1"))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.dead_jobs.add(a_dead_job("msg-1", failed_at=NOW + timedelta(hours=1)))
        with pytest.raises(AlreadyExists):
            uow.dead_jobs.add(a_dead_job("msg-1", tenant_id=OTHER_TENANT))
        # A refused write leaves the unit of work usable.
        uow.dead_jobs.add(a_dead_job("msg-2", tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        assert uow.dead_jobs.get("msg-1") == a_dead_job("msg-1")
        assert _ids(uow) == ["msg-2", "msg-1"]


def test_the_list_is_newest_first_ties_to_the_greater_id_up_to_the_limit(
    uow: UnitOfWork,
) -> None:
    failed = {"j-a": 0, "j-b": 60, "j-c": 60, "j-d": 30, "j-e": -30}  # id -> minutes
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for job_id, minutes in failed.items():
            uow.dead_jobs.add(a_dead_job(job_id, failed_at=NOW + timedelta(minutes=minutes)))
        # Another tenant's job, at the same instant as j-d spelled in another offset: operators
        # see every tenant's, and ties are settled by id whatever the offset.
        in_belgrade = (NOW + timedelta(minutes=30)).astimezone(BELGRADE)
        uow.dead_jobs.add(a_dead_job("j-z", tenant_id=OTHER_TENANT, failed_at=in_belgrade))
        uow.commit()

    with uow:
        assert _ids(uow) == ["j-c", "j-b", "j-z", "j-d", "j-a", "j-e"]
        assert _ids(uow, 3) == ["j-c", "j-b", "j-z"]
        assert _ids(uow, 1) == ["j-c"]
        assert _ids(uow, 0) == []
        assert _ids(uow, -1) == []


def test_a_retried_job_is_listed_only_when_asked(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        for minutes, job_id in enumerate(["j-1", "j-2", "j-3"]):
            uow.dead_jobs.add(a_dead_job(job_id, failed_at=NOW + timedelta(minutes=minutes)))
        uow.commit()

    retried_at = datetime(2026, 11, 22, 12, 0, tzinfo=BELGRADE)
    with uow:
        uow.dead_jobs.mark_retried("j-2", retried_at)
        uow.commit()

    with uow:
        assert _ids(uow) == ["j-3", "j-1"]
        assert _ids(uow, 1) == ["j-3"]
        assert _ids(uow, include_retried=True) == ["j-3", "j-2", "j-1"]
        assert _ids(uow, 2, include_retried=True) == ["j-3", "j-2"]
        assert _ids(uow, 0, include_retried=True) == []
        found = uow.dead_jobs.get("j-2")
        assert found == a_dead_job(
            "j-2", failed_at=NOW + timedelta(minutes=1), retried_at=retried_at
        )
        assert found is not None
        assert found.retried_at == datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
        assert found.retried_at.utcoffset() is not None


def test_marking_an_unknown_job_retried_is_refused(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.dead_jobs.add(a_dead_job("j-1"))
        uow.commit()

    later = NOW + timedelta(hours=2)
    with uow:
        with pytest.raises(RecordNotFound):
            uow.dead_jobs.mark_retried("j-404", later)
        # The refusal leaves the unit of work usable, and the known job untouched.
        assert uow.dead_jobs.get("j-404") is None
        uow.dead_jobs.mark_retried("j-1", later)
        uow.commit()

    with uow:
        assert uow.dead_jobs.get("j-1") == a_dead_job("j-1", retried_at=later)
        assert _ids(uow) == []


def test_a_second_retry_records_its_own_time(uow: UnitOfWork) -> None:
    first, second = NOW + timedelta(hours=1), NOW + timedelta(hours=3)
    with uow:
        with_tenants(uow, TENANT)
        uow.dead_jobs.add(a_dead_job("j-1"))
        uow.dead_jobs.mark_retried("j-1", first)
        uow.commit()
    with uow:
        uow.dead_jobs.mark_retried("j-1", second)
        uow.commit()

    with uow:
        assert uow.dead_jobs.get("j-1") == a_dead_job("j-1", retried_at=second)
        assert uow.dead_jobs.list(limit=10, include_retried=True) == [
            a_dead_job("j-1", retried_at=second)
        ]


def test_what_is_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.dead_jobs.add(a_dead_job("j-kept"))
        uow.commit()
    with uow:
        uow.dead_jobs.add(a_dead_job("j-1"))
        uow.dead_jobs.mark_retried("j-kept", NOW + timedelta(hours=1))
        assert uow.dead_jobs.get("j-1") == a_dead_job("j-1")
        assert _ids(uow) == ["j-1"]  # the unit of work reads its own writes

    with uow:
        assert uow.dead_jobs.get("j-1") is None
        assert uow.dead_jobs.get("j-kept") == a_dead_job("j-kept")
        uow.dead_jobs.add(a_dead_job("j-2"))
        uow.dead_jobs.mark_retried("j-kept", NOW + timedelta(hours=1))
        uow.rollback()
        assert _ids(uow) == ["j-kept"]
        # Discarded, so adding it again is no duplicate.
        uow.dead_jobs.add(a_dead_job("j-1"))
        uow.commit()

    with uow:
        assert _ids(uow) == ["j-kept", "j-1"]
        assert uow.dead_jobs.get("j-kept") == a_dead_job("j-kept")


class _Stored:
    """Every dead job one database holds, as the property's examples add them; ids number
    the jobs across examples, so no two examples collide."""

    def __init__(self, new_uow: Callable[[], UnitOfWork]) -> None:
        self.uow = new_uow()
        self.jobs: dict[str, DeadJob] = {}
        self.numbers = itertools.count()
        with self.uow:
            with_tenants(self.uow, TENANT)
            self.uow.commit()


@pytest.fixture
def stored(new_uow: Callable[[], UnitOfWork]) -> _Stored:
    return _Stored(new_uow)


_offsets = st.sampled_from([UTC, BELGRADE, timezone(timedelta(hours=-5))])


@_settings
@given(
    failures=st.lists(
        st.tuples(st.integers(min_value=-3, max_value=3), _offsets, st.booleans()), max_size=8
    ),
    limit=st.integers(min_value=0, max_value=12),
    include_retried=st.booleans(),
)
def test_the_list_orders_any_jobs_as_documented(
    stored: _Stored,
    failures: list[tuple[int, timezone, bool]],
    limit: int,
    include_retried: bool,
) -> None:
    added = [
        a_dead_job(
            f"j-{next(stored.numbers):04d}",
            failed_at=(NOW + timedelta(minutes=minutes)).astimezone(offset),
            retried_at=NOW + timedelta(days=1) if retried else None,
        )
        for minutes, offset, retried in failures
    ]
    with stored.uow as uow:
        for job in added:
            uow.dead_jobs.add(evolve(job, retried_at=None))
            if job.retried_at is not None:
                uow.dead_jobs.mark_retried(job.id, job.retried_at)
        uow.commit()
    stored.jobs.update((job.id, job) for job in added)

    with stored.uow as uow:
        found = uow.dead_jobs.list(limit=limit, include_retried=include_retried)
    listed = [j for j in stored.jobs.values() if include_retried or j.retried_at is None]
    expected = sorted(listed, key=lambda j: (j.failed_at, j.id), reverse=True)[:limit]
    assert found == expected
