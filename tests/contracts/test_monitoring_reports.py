"""The contract of `MonitoringReportRepository`: every implementation
(tests/contracts/conftest.py) passes it, the fake and the SQL adapter on SQLite and PostgreSQL
alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists
from domain.credit.model_monitoring import FeatureQuality
from domain.credit.monitoring import DriftLevel, FeatureDrift
from tests.builders import NOW, OTHER_TENANT, TENANT, a_monitoring_report
from tests.contracts.parents import with_tenants

_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)


def test_a_report_comes_back_exactly(uow: UnitOfWork) -> None:
    # An offset other than UTC: every instant must survive the round trip, and come back aware.
    belgrade = timezone(timedelta(hours=1))
    report = a_monitoring_report(created_at=datetime(2026, 11, 22, 10, 30, tzinfo=belgrade))
    with uow:
        with_tenants(uow, TENANT)
        uow.monitoring.add(report)
        uow.commit()

    with uow:
        found = uow.monitoring.get(TENANT, "report-1")
        assert found == report
        assert found is not None
        assert found.created_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert found.window_start.utcoffset() is not None
        assert found.level is DriftLevel.WATCH
        assert found.alerts == report.alerts
        assert uow.monitoring.recent(TENANT, limit=5) == [report]
        assert uow.monitoring.get(TENANT, "report-2") is None


_rate = st.floats(min_value=0.0, max_value=1.0)
_drifts = st.lists(
    st.builds(
        FeatureDrift,
        feature=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20),
        psi=st.floats(min_value=0.0, allow_infinity=False),
        ks=_rate,
        level=st.sampled_from(DriftLevel),
    ),
    max_size=6,
).map(tuple)


@_settings
@given(drift=_drifts, rates=st.tuples(_rate, _rate, _rate))
def test_any_drift_figures_come_back_bit_for_bit(
    new_uow: Callable[[], UnitOfWork],
    drift: tuple[FeatureDrift, ...],
    rates: tuple[float, float, float],
) -> None:
    tenant = f"tenant-{uuid.uuid4()}"  # a fresh tenant is an empty store, by tenant isolation
    base = a_monitoring_report(tenant_id=tenant)
    quality = evolve(base.quality, features=(FeatureQuality("debt_to_income", *rates),))
    report = evolve(base, drift=drift, quality=quality)
    uow = new_uow()
    with uow:
        with_tenants(uow, tenant)
        uow.monitoring.add(report)
        uow.commit()

    with uow:
        found = uow.monitoring.get(tenant, report.id)
    assert found == report
    assert found is not None
    assert [(d.psi.hex(), d.ks.hex()) for d in found.drift] == [
        (d.psi.hex(), d.ks.hex()) for d in drift
    ]
    assert found.level is report.level


def test_an_id_is_taken_once_per_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.monitoring.add(a_monitoring_report())
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.monitoring.add(a_monitoring_report(created_at=NOW + timedelta(days=1)))
        # A refused write leaves the unit of work usable; the id is free in another tenant.
        uow.monitoring.add(a_monitoring_report(tenant_id=OTHER_TENANT, model_version="xgb-9"))
        uow.commit()

    with uow:
        assert uow.monitoring.get(TENANT, "report-1") == a_monitoring_report()
        assert uow.monitoring.get(OTHER_TENANT, "report-1") == a_monitoring_report(
            tenant_id=OTHER_TENANT, model_version="xgb-9"
        )


def test_another_tenant_never_sees_a_report(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.monitoring.add(a_monitoring_report())
        uow.commit()

    with uow:
        assert uow.monitoring.get(OTHER_TENANT, "report-1") is None
        assert uow.monitoring.recent(OTHER_TENANT, limit=10) == []


def test_recent_is_newest_first_ties_to_the_greater_id_up_to_the_limit(uow: UnitOfWork) -> None:
    created = {"r-a": 0, "r-b": 60, "r-c": 60, "r-d": 30, "r-e": -30}  # id -> minutes
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for report_id, minutes in created.items():
            uow.monitoring.add(
                a_monitoring_report(report_id, created_at=NOW + timedelta(minutes=minutes))
            )
        uow.monitoring.add(
            a_monitoring_report("r-z", tenant_id=OTHER_TENANT, created_at=NOW + timedelta(days=1))
        )
        uow.commit()

    def ids(limit: int) -> list[str]:
        return [report.id for report in uow.monitoring.recent(TENANT, limit=limit)]

    with uow:
        assert ids(10) == ["r-c", "r-b", "r-d", "r-a", "r-e"]
        assert ids(2) == ["r-c", "r-b"]
        assert ids(0) == []


@_settings
@given(
    minutes=st.lists(st.integers(min_value=-2, max_value=2), max_size=8),
    limit=st.integers(min_value=0, max_value=10),
)
def test_recent_orders_any_reports_as_documented(
    new_uow: Callable[[], UnitOfWork], minutes: list[int], limit: int
) -> None:
    tenant = f"tenant-{uuid.uuid4()}"
    reports = [
        a_monitoring_report(f"r-{n}", tenant_id=tenant, created_at=NOW + timedelta(minutes=m))
        for n, m in enumerate(minutes)
    ]
    uow = new_uow()
    with uow:
        with_tenants(uow, tenant)
        for report in reports:
            uow.monitoring.add(report)
        uow.commit()

    with uow:
        found = uow.monitoring.recent(tenant, limit=limit)
    expected = sorted(reports, key=lambda r: (r.created_at, r.id), reverse=True)
    assert found == expected[:limit]


def test_a_report_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.commit()
    with uow:
        uow.monitoring.add(a_monitoring_report())
        assert uow.monitoring.get(TENANT, "report-1") == a_monitoring_report()

    with uow:
        assert uow.monitoring.get(TENANT, "report-1") is None
        uow.monitoring.add(a_monitoring_report("report-2"))
        uow.rollback()
        assert uow.monitoring.recent(TENANT, limit=10) == []
        # Discarded, so adding it again is no duplicate.
        uow.monitoring.add(a_monitoring_report())
        uow.commit()

    with uow:
        assert uow.monitoring.recent(TENANT, limit=10) == [a_monitoring_report()]
