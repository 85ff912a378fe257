"""The daily model check over the day before its slot, and work done tenant by tenant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.daily_model_check import DailyModelCheck
from application.credit.every_tenant import for_every_tenant
from domain.credit.model_monitoring import FeatureProfile
from domain.errors import PermissionDenied
from domain.identity import Permission, Principal, Role
from tests.builders import OTHER_TENANT, TENANT, a_tenant, an_application_form, eur
from tests.fakes import FakeModelLoader, FakeScorer, InMemoryUnitOfWork
from tests.unit.application.helpers import DESK_CHAMPION, LENDER, WORKER, Desk

DAY = timedelta(days=1)
SYSTEM = Principal(
    "system:scheduler", TENANT, Role.READONLY, extra_grants=frozenset({Permission.CONFIG_MANAGE})
)


def _champion() -> FakeScorer:
    training = [
        an_application_form(external_id=f"t-{i}", amount=eur(4_000 + 100 * i)) for i in range(50)
    ]
    columns = FakeScorer(model_version=DESK_CHAMPION).columns(training)
    profiles = [FeatureProfile(name, tuple(sorted(v)), 0.0) for name, v in columns.items()]
    return FakeScorer(model_version=DESK_CHAMPION, profiles=profiles)


def _check(desk: Desk) -> DailyModelCheck:
    return DailyModelCheck(desk.uow, FakeModelLoader(_champion()), desk.clock, desk.ids)


def test_the_check_covers_the_day_before_the_slot_and_stores_its_report() -> None:
    desk = Desk()
    for i in range(3):  # two days ago, yesterday, today after the slot
        form = an_application_form(external_id=f"live-{i}", amount=eur(5_000))
        desk.score(WORKER, desk.submit(LENDER, form).application.id)
        desk.clock.advance(DAY)
    slot = desk.clock.now() - DAY - timedelta(minutes=1)

    report = _check(desk)(SYSTEM, until=slot)

    assert report is not None
    assert (report.window_start, report.window_end) == (slot - DAY, slot)
    assert report.quality.rows == 1
    assert [e.action for e in desk.events()][-1] == "model.monitored"
    assert desk.events()[-1].actor == "system:scheduler"


def test_a_tenant_without_a_champion_has_nothing_to_check() -> None:
    desk = Desk()
    empty = InMemoryUnitOfWork()
    check = DailyModelCheck(empty, FakeModelLoader(), desk.clock, desk.ids)
    assert check(SYSTEM) is None
    assert empty.committed == [False]  # looked, wrote nothing


def test_only_someone_who_manages_configuration_runs_it() -> None:
    desk = Desk()
    with pytest.raises(PermissionDenied):
        _check(desk)(Principal("system:scheduler", TENANT, Role.READONLY))


def test_work_in_every_tenant_goes_on_past_a_failing_one_and_skips_inactive_ones() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.tenants.add(a_tenant(id=TENANT, slug="a-lender"))
        uow.tenants.add(a_tenant(id=OTHER_TENANT, slug="b-lender"))
        uow.tenants.add(a_tenant(id="tenant-c", slug="c-lender", active=False))
        uow.commit()

    def act(tenant_id: str) -> str:
        if tenant_id == TENANT:
            raise RuntimeError("model server went away")
        return f"done in {tenant_id}"

    outcomes = for_every_tenant(uow, act)

    assert [(o.tenant_id, o.result) for o in outcomes] == [
        (TENANT, None),
        (OTHER_TENANT, f"done in {OTHER_TENANT}"),
    ]
    assert isinstance(outcomes[0].error, RuntimeError)
    assert outcomes[1].error is None
